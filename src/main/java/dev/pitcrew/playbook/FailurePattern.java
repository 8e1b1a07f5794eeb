package dev.pitcrew.playbook;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One regular expression of a playbook, compiled with RE2/J (linear time, so no pattern can hang a
 * scan), with the literals that must occur in a line for it to possibly match.
 *
 * @param keywords lower-case literals of which at least one must occur in a line for the pattern to
 *     match; used to skip the regex on most lines. Empty means "try every line".
 * @param confidence how sure a match of this pattern makes us, overriding the playbook's
 */
public record FailurePattern(
    String regex,
    Pattern compiled,
    List<String> keywords,
    List<String> groupNames,
    double confidence) {

  public FailurePattern {
    keywords = List.copyOf(keywords);
    groupNames = List.copyOf(groupNames);
  }

  /** The named captures of the first match in the line, if the pattern matches it. */
  public Optional<Map<String, String>> match(String line) {
    Matcher m = compiled.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    if (groupNames.isEmpty()) {
      return Optional.of(Map.of());
    }
    var caps = new java.util.LinkedHashMap<String, String>();
    for (String g : groupNames) {
      String v = m.group(g);
      if (v != null) {
        caps.put(g, v);
      }
    }
    return Optional.of(caps);
  }
}
