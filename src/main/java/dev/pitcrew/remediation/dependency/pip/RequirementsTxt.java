package dev.pitcrew.remediation.dependency.pip;

import dev.pitcrew.remediation.dependency.Ecosystem;
import dev.pitcrew.remediation.dependency.Edit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * requirements.txt: reads the declared names and adds or re-pins one line by string surgery, so
 * comments, options ({@code -r}, {@code --hash}) and ordering survive.
 */
public final class RequirementsTxt {
  private static final Pattern NAME = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*)");
  private static final Pattern PIN =
      Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*(?:\\[[^\\]]*\\])?)\\s*==\\s*([^\\s;#\\\\]+)");

  private RequirementsTxt() {}

  /** Normalised names of the requirements declared in the file. */
  public static List<String> names(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      name(line).ifPresent(n -> out.add(Ecosystem.PIP.normalize(n)));
    }
    return out;
  }

  static Optional<String> name(String line) {
    String t = line.strip();
    if (t.isEmpty() || t.startsWith("#") || t.startsWith("-")) {
      return Optional.empty();
    }
    Matcher m = NAME.matcher(t);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * Adds a requirement line. In a sorted file it goes where it sorts; otherwise after the last
   * requirement. The result is re-read to confirm the name is declared exactly once.
   */
  public static Edit add(String text, String requirement) throws Edit.Refused {
    String name =
        name(requirement).orElseThrow(() -> new Edit.Refused("not a requirement: " + requirement));
    String norm = Ecosystem.PIP.normalize(name);
    if (names(text).contains(norm)) {
      throw new Edit.Refused(name + " is already in requirements.txt");
    }
    String nl = text.contains("\r\n") ? "\r\n" : "\n";
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    boolean endsWithNewline = text.isEmpty() || text.endsWith("\n");
    if (endsWithNewline && !lines.isEmpty()) {
      lines.remove(lines.size() - 1); // the empty piece after the final newline
    }
    List<Integer> reqIdx = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (name(lines.get(i)).isPresent()) {
        reqIdx.add(i);
      }
    }
    boolean sorted = reqIdx.size() >= 2;
    for (int k = 1; k < reqIdx.size() && sorted; k++) {
      sorted = key(lines.get(reqIdx.get(k - 1))).compareTo(key(lines.get(reqIdx.get(k)))) <= 0;
    }
    int at;
    if (sorted) {
      at = reqIdx.get(reqIdx.size() - 1) + 1;
      for (int i : reqIdx) {
        if (key(lines.get(i)).compareTo(norm) > 0) {
          at = i;
          break;
        }
      }
    } else if (!reqIdx.isEmpty()) {
      at = reqIdx.get(reqIdx.size() - 1) + 1;
    } else {
      at = lines.size();
    }
    String cr = nl.equals("\r\n") ? "\r" : "";
    lines.add(at, requirement + cr);
    String after = String.join("\n", lines) + (endsWithNewline ? "\n" : "");
    long count = names(after).stream().filter(norm::equals).count();
    if (count != 1) {
      throw new Edit.Refused("re-reading requirements.txt found " + name + " " + count + " times");
    }
    return new Edit(after, "add `" + requirement + "` to requirements.txt");
  }

  /** Re-pins {@code name==old} to {@code name==version}; the line keeps its extras and comment. */
  public static Edit pin(String text, String name, String version) throws Edit.Refused {
    String norm = Ecosystem.PIP.normalize(name);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Optional<String> n = name(lines[i]);
      if (n.isEmpty() || !Ecosystem.PIP.normalize(n.get()).equals(norm)) {
        continue;
      }
      String lead = lines[i].substring(0, lines[i].length() - lines[i].stripLeading().length());
      Matcher m = PIN.matcher(lines[i].strip());
      if (!m.find()) {
        throw new Edit.Refused(
            name + " is not pinned with == in requirements.txt; Pitcrew only re-pins exact pins");
      }
      String rest = lines[i].strip().substring(m.end());
      lines[i] = lead + m.group(1) + "==" + version + rest;
      return new Edit(
          String.join("\n", lines), "pin " + name + " from " + m.group(2) + " to " + version);
    }
    throw new Edit.Refused(name + " is not in requirements.txt");
  }

  /** The pinned version of a requirement, if the file pins it with ==. */
  public static Optional<String> pinned(String text, String name) {
    String norm = Ecosystem.PIP.normalize(name);
    for (String line : text.split("\n", -1)) {
      Matcher m = PIN.matcher(line.strip());
      if (m.find() && Ecosystem.PIP.normalize(m.group(1).replaceAll("\\[.*", "")).equals(norm)) {
        return Optional.of(m.group(2));
      }
    }
    return Optional.empty();
  }

  private static String key(String line) {
    return Ecosystem.PIP.normalize(name(line).orElse(""));
  }
}
