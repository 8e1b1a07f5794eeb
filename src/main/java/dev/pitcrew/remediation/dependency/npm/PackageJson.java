package dev.pitcrew.remediation.dependency.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.remediation.dependency.Edit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * package.json: inserts one {@code "name": "range"} entry into a dependency section where it sorts
 * (npm keeps them sorted), or changes one version string; then re-parses with Jackson and checks
 * that nothing but that entry changed.
 */
public final class PackageJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PackageJson() {}

  public static Optional<String> version(String text, String section, String name)
      throws Edit.Refused {
    JsonNode v = parse(text).path(section).get(name);
    return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.asText());
  }

  /** The installed version in package-lock.json (lockfile v2/v3 or v1), if any. */
  public static Optional<String> lockedVersion(String lock, String name) throws Edit.Refused {
    JsonNode root = parse(lock);
    JsonNode v = root.path("packages").path("node_modules/" + name).get("version");
    if (v == null) {
      v = root.path("dependencies").path(name).get("version");
    }
    return v == null ? Optional.empty() : Optional.of(v.asText());
  }

  public static Edit add(String text, String section, String name, String range)
      throws Edit.Refused {
    JsonNode before = parse(text);
    if (before.path(section).has(name)) {
      throw new Edit.Refused(name + " is already in " + section + " of package.json");
    }
    String[] lines = text.split("\n", -1);
    Pattern open = Pattern.compile("^(\\s*)\"" + Pattern.quote(section) + "\"\\s*:\\s*\\{\\s*$");
    for (int i = 0; i < lines.length; i++) {
      Matcher m = open.matcher(lines[i]);
      if (!m.find() || m.group(1).replace("\t", "    ").length() > 4) { // top-level keys only
        continue;
      }
      int end = -1;
      List<Integer> entries = new ArrayList<>();
      for (int j = i + 1; j < lines.length; j++) {
        String t = lines[j].strip();
        if (t.startsWith("}")) {
          end = j;
          break;
        }
        if (!t.startsWith("\"") || t.endsWith("{") || t.endsWith("[")) {
          throw new Edit.Refused(section + " in package.json is not one entry per line");
        }
        entries.add(j);
      }
      if (end < 0) {
        throw new Edit.Refused(section + " in package.json never closes");
      }
      String indent =
          entries.isEmpty()
              ? m.group(1) + (m.group(1).contains("\t") ? "\t" : "  ")
              : lines[entries.get(0)].substring(
                  0,
                  lines[entries.get(0)].length() - lines[entries.get(0)].stripLeading().length());
      String entry = indent + JSON.valueToTree(name) + ": " + JSON.valueToTree(range);
      List<String> out = new ArrayList<>(List.of(lines));
      int at = entries.isEmpty() ? end : -1;
      for (int j : entries) {
        String key = lines[j].strip().substring(1, lines[j].strip().indexOf('"', 1));
        if (key.compareTo(name) > 0) {
          at = j;
          break;
        }
      }
      if (at == -1) {
        int last = entries.get(entries.size() - 1);
        out.set(last, lines[last].stripTrailing() + ",");
        out.add(last + 1, entry);
      } else if (entries.isEmpty()) {
        out.add(end, entry);
      } else {
        out.add(at, entry + ",");
      }
      return confirm(before, String.join("\n", out), section, name, range);
    }
    throw new Edit.Refused("package.json has no multi-line \"" + section + "\" object to add to");
  }

  /** Changes the version string of an existing entry, leaving everything else as it was. */
  public static Edit setVersion(String text, String section, String name, String range)
      throws Edit.Refused {
    JsonNode before = parse(text);
    if (!before.path(section).has(name)) {
      throw new Edit.Refused(name + " is not in " + section + " of package.json");
    }
    Pattern p = Pattern.compile("(\"" + Pattern.quote(name) + "\"\\s*:\\s*)\"([^\"]*)\"");
    Matcher m = p.matcher(text);
    int sectionAt = text.indexOf("\"" + section + "\"");
    while (m.find()) {
      if (m.start() > sectionAt) {
        String after =
            text.substring(0, m.start())
                + m.group(1)
                + JSON.valueToTree(range)
                + text.substring(m.end());
        return confirm(before, after, section, name, range);
      }
    }
    throw new Edit.Refused("could not find " + name + "'s version string in package.json");
  }

  private static Edit confirm(
      JsonNode before, String after, String section, String name, String range)
      throws Edit.Refused {
    JsonNode parsed = parse(after);
    ObjectNode expected = before.deepCopy();
    ((ObjectNode) expected.path(section)).put(name, range);
    if (!parsed.equals(expected)) {
      throw new Edit.Refused("re-reading package.json showed more than the intended change");
    }
    return new Edit(after, "set " + name + " to \"" + range + "\" in " + section);
  }

  private static JsonNode parse(String text) throws Edit.Refused {
    try {
      JsonNode n = JSON.readTree(text);
      if (n == null || !n.isObject()) {
        throw new Edit.Refused("package.json is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new Edit.Refused("package.json is not valid JSON: " + e.getMessage());
    }
  }
}
