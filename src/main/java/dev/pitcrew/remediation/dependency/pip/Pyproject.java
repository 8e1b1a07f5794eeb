package dev.pitcrew.remediation.dependency.pip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.pitcrew.remediation.dependency.Ecosystem;
import dev.pitcrew.remediation.dependency.Edit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pyproject.toml: adds a dependency to PEP 621 {@code [project] dependencies} or to Poetry's {@code
 * [tool.poetry.dependencies]} by inserting one line (or one array item), then re-parses the file as
 * TOML to confirm the dependency is declared and nothing else broke.
 */
public final class Pyproject {
  private static final TomlMapper TOML = new TomlMapper();
  private static final Pattern HEADER = Pattern.compile("^\\s*\\[\\[?\\s*([^\\]]+?)\\s*\\]\\]?");
  private static final Pattern DEPS = Pattern.compile("^(\\s*)dependencies\\s*=\\s*\\[");
  private static final Pattern NAME = Pattern.compile("^[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)");

  private Pyproject() {}

  /** Normalised names declared in PEP 621 dependencies and Poetry dependencies. */
  public static List<String> names(String text) throws Edit.Refused {
    JsonNode root = parse(text);
    List<String> out = new ArrayList<>();
    for (JsonNode d : root.path("project").path("dependencies")) {
      Matcher m = NAME.matcher(d.asText());
      if (m.find()) {
        out.add(Ecosystem.PIP.normalize(m.group(1)));
      }
    }
    Iterator<String> it = root.path("tool").path("poetry").path("dependencies").fieldNames();
    while (it.hasNext()) {
      out.add(Ecosystem.PIP.normalize(it.next()));
    }
    return out;
  }

  /**
   * Adds {@code requirement} (a PEP 508 string such as {@code requests>=2.31}) to the project's
   * dependencies; for Poetry, {@code name} with {@code poetryConstraint} (such as {@code "^2.31"}
   * or {@code "*"}).
   */
  public static Edit add(String text, String name, String requirement, String poetryConstraint)
      throws Edit.Refused {
    String norm = Ecosystem.PIP.normalize(name);
    if (names(text).contains(norm)) {
      throw new Edit.Refused(name + " is already declared in pyproject.toml");
    }
    String[] lines = text.split("\n", -1);
    String table = "";
    for (int i = 0; i < lines.length; i++) {
      Matcher h = HEADER.matcher(lines[i]);
      if (h.find() && !lines[i].strip().startsWith("#")) {
        table = h.group(1).strip();
        continue;
      }
      if (table.equals("project") && DEPS.matcher(lines[i]).find()) {
        String after = addToArray(lines, i, requirement);
        return confirm(after, norm, "add \"" + requirement + "\" to [project] dependencies");
      }
    }
    // Poetry: a key in [tool.poetry.dependencies]
    table = "";
    int lastKey = -1;
    for (int i = 0; i < lines.length; i++) {
      Matcher h = HEADER.matcher(lines[i]);
      if (h.find() && !lines[i].strip().startsWith("#")) {
        if (lastKey >= 0) {
          break;
        }
        table = h.group(1).strip();
        continue;
      }
      if (table.equals("tool.poetry.dependencies")
          && !lines[i].isBlank()
          && !lines[i].strip().startsWith("#")) {
        lastKey = i;
      }
    }
    if (lastKey >= 0) {
      List<String> out = new ArrayList<>(List.of(lines));
      String line = name + " = \"" + poetryConstraint + "\"";
      out.add(lastKey + 1, line);
      return confirm(
          String.join("\n", out), norm, "add `" + line + "` to [tool.poetry.dependencies]");
    }
    throw new Edit.Refused(
        "pyproject.toml has neither [project] dependencies nor [tool.poetry.dependencies]");
  }

  private static String addToArray(String[] lines, int start, String requirement)
      throws Edit.Refused {
    String quoted = "\"" + requirement.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    String first = lines[start];
    int open = first.indexOf('[');
    int close = first.indexOf(']', open);
    List<String> out = new ArrayList<>(List.of(lines));
    if (close >= 0) {
      String inside = first.substring(open + 1, close).strip();
      String items = inside.isEmpty() ? quoted : trimComma(inside) + ", " + quoted;
      out.set(start, first.substring(0, open + 1) + items + first.substring(close));
      return String.join("\n", out);
    }
    int end = -1;
    for (int i = start + 1; i < lines.length; i++) {
      if (lines[i].strip().startsWith("]")) {
        end = i;
        break;
      }
    }
    if (end < 0) {
      throw new Edit.Refused("the dependencies array in pyproject.toml never closes");
    }
    int lastItem = -1;
    for (int i = end - 1; i > start; i--) {
      String t = lines[i].strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        lastItem = i;
        break;
      }
    }
    String indent = "    ";
    if (lastItem > 0) {
      String li = lines[lastItem];
      indent = li.substring(0, li.length() - li.stripLeading().length());
      int hash = commentStart(li);
      String code = hash < 0 ? li : li.substring(0, hash);
      String comment = hash < 0 ? "" : li.substring(hash);
      if (!code.stripTrailing().endsWith(",")) {
        String stripped = code.stripTrailing();
        out.set(lastItem, stripped + "," + code.substring(stripped.length()) + comment);
      }
    }
    out.add(end, indent + quoted + ",");
    return String.join("\n", out);
  }

  /** Where a trailing comment starts, outside strings; -1 when there is none. */
  private static int commentStart(String line) {
    boolean dq = false;
    boolean sq = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"' && !sq) {
        dq = !dq;
      } else if (c == '\'' && !dq) {
        sq = !sq;
      } else if (c == '#' && !dq && !sq) {
        return i;
      }
    }
    return -1;
  }

  private static String trimComma(String s) {
    return s.endsWith(",") ? s.substring(0, s.length() - 1).stripTrailing() : s;
  }

  private static Edit confirm(String after, String norm, String description) throws Edit.Refused {
    if (!names(after).contains(norm)) {
      throw new Edit.Refused("re-reading pyproject.toml did not find the added dependency");
    }
    return new Edit(after, description);
  }

  private static JsonNode parse(String text) throws Edit.Refused {
    try {
      return TOML.readTree(text);
    } catch (IOException e) {
      throw new Edit.Refused("pyproject.toml is not valid TOML: " + e.getMessage());
    }
  }
}
