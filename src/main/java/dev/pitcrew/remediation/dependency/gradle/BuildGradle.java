package dev.pitcrew.remediation.dependency.gradle;

import dev.pitcrew.remediation.dependency.Edit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * build.gradle and build.gradle.kts: inserts one dependency line at the end of the top-level {@code
 * dependencies { }} block, in the file's own quoting style, then re-scans the block to confirm the
 * coordinate is declared once.
 */
public final class BuildGradle {
  private static final Pattern TOP_DEPS = Pattern.compile("^dependencies\\s*\\{\\s*(//.*)?$");

  private BuildGradle() {}

  public static Edit add(String text, boolean kotlin, String configuration, String coordinate)
      throws Edit.Refused {
    if (!configuration.matches("[A-Za-z][A-Za-z0-9]*")) {
      throw new Edit.Refused("'" + configuration + "' is not a Gradle configuration name");
    }
    String ga = coordinate.replaceFirst("^([^:]+:[^:]+).*$", "$1");
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (TOP_DEPS.matcher(lines.get(i)).find()) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      throw new Edit.Refused("the build file has no top-level dependencies { } block");
    }
    int depth = 0;
    int end = -1;
    for (int i = start; i < lines.size() && end < 0; i++) {
      String code = lines.get(i).replaceAll("//.*$", "").replaceAll("\"[^\"]*\"|'[^']*'", "");
      for (char c : code.toCharArray()) {
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          end = i;
          break;
        }
      }
    }
    if (end < 0) {
      throw new Edit.Refused("the dependencies block never closes");
    }
    if (!lines.get(end).strip().equals("}")) {
      throw new Edit.Refused("the dependencies block does not end on a line of its own");
    }
    String indent = "    ";
    boolean dq = kotlin;
    for (int i = start + 1; i < end; i++) {
      String l = lines.get(i);
      if (l.contains(":" + ga.substring(ga.indexOf(':') + 1)) && l.contains(ga)) {
        throw new Edit.Refused(ga + " is already declared in the build file");
      }
      if (!l.isBlank()) {
        indent = l.substring(0, l.length() - l.stripLeading().length());
        dq = kotlin || l.contains("\"");
      }
    }
    String line =
        kotlin
            ? indent + configuration + "(\"" + coordinate + "\")"
            : indent + configuration + (dq ? " \"" + coordinate + "\"" : " '" + coordinate + "'");
    lines.add(end, line);
    String after = String.join("\n", lines);
    long count =
        after
            .lines()
            .filter(l -> l.contains(ga + ":") || l.contains(ga + "\"") || l.contains(ga + "'"))
            .count();
    if (count != 1) {
      throw new Edit.Refused("re-reading the build file found " + ga + " " + count + " times");
    }
    return new Edit(after, "add `" + line.strip() + "` to the dependencies block");
  }
}
