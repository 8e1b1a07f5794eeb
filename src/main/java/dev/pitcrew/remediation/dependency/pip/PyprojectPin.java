package dev.pitcrew.remediation.dependency.pip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.pitcrew.remediation.dependency.Ecosystem;
import dev.pitcrew.remediation.dependency.Edit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-pins one dependency of a pyproject.toml: a PEP 621 requirement string ({@code
 * "requests==2.31.0"} in {@code [project] dependencies} or an optional-dependencies group) gets
 * {@code ==version} in place of its version specifier; a Poetry dependency ({@code requests =
 * "^2.31"} or {@code requests = { version = "^2.31", ... }}) gets the new constraint. Only that
 * string changes; the file is re-parsed as TOML to confirm the new version and that every other
 * dependency is as it was.
 */
public final class PyprojectPin {
  private static final TomlMapper TOML = new TomlMapper();

  /** name, extras, the version specifier, and the rest (environment marker). */
  private static final Pattern PEP508 =
      Pattern.compile(
          "^(\\s*[A-Za-z0-9][A-Za-z0-9._-]*\\s*(?:\\[[^\\]]*\\])?\\s*)([^;@]*?)(\\s*(?:;.*)?)$");

  private static final Pattern HEADER =
      Pattern.compile("^\\s*\\[\\s*([^\\]\\[]+?)\\s*\\]\\s*(#.*)?$");
  private static final Pattern POETRY_TABLE =
      Pattern.compile(
          "tool\\.poetry\\.(?:dependencies|dev-dependencies|group\\.[A-Za-z0-9_-]+\\.dependencies)");

  private PyprojectPin() {}

  /** The declared version (specifier or constraint) of a dependency, when it is declared. */
  public static Optional<String> version(String text, String name) throws Edit.Refused {
    List<String> found = declarations(parse(text), name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Pins {@code name} to {@code version} (PEP 621: {@code ==version}; Poetry: {@code version}). */
  public static Edit pin(String text, String name, String version) throws Edit.Refused {
    if (!version.matches("[\\^~]?[0-9A-Za-z][0-9A-Za-z.+_*-]{0,40}")) {
      throw new Edit.Refused("'" + version + "' is not a version Pitcrew writes into a manifest");
    }
    JsonNode root = parse(text);
    String norm = Ecosystem.PIP.normalize(name);
    // PEP 621: the requirement string, found literally in the file
    for (String req : pep621(root)) {
      if (!nameOf(req).map(Ecosystem.PIP::normalize).orElse("").equals(norm)) {
        continue;
      }
      Matcher m = PEP508.matcher(req);
      if (!m.matches()) {
        throw new Edit.Refused("cannot read the requirement \"" + req + "\" in pyproject.toml");
      }
      String exact = version.replaceFirst("^[\\^~]", "");
      String pinned = m.group(1).stripTrailing() + "==" + exact + m.group(3);
      String after = replaceQuotedOnce(text, req, pinned);
      return confirm(
          text,
          after,
          name,
          "==" + exact,
          "pin " + name + " from " + spec(m.group(2)) + " to ==" + exact + " in pyproject.toml");
    }
    // Poetry: a key in one of its dependency tables
    String[] lines = text.split("\n", -1);
    String table = "";
    for (int i = 0; i < lines.length; i++) {
      Matcher h = HEADER.matcher(lines[i]);
      if (h.matches()) {
        table = h.group(1).strip();
        continue;
      }
      if (!POETRY_TABLE.matcher(table).matches()) {
        continue;
      }
      Matcher key =
          Pattern.compile("^(\\s*)([\"']?)([A-Za-z0-9][A-Za-z0-9._-]*)\\2\\s*=\\s*")
              .matcher(lines[i]);
      if (!key.find() || !Ecosystem.PIP.normalize(key.group(3)).equals(norm)) {
        continue;
      }
      String rest = lines[i].substring(key.end());
      Matcher v =
          rest.startsWith("{")
              ? Pattern.compile("(\\bversion\\s*=\\s*)([\"'])([^\"']*)\\2").matcher(rest)
              : Pattern.compile("^()([\"'])([^\"']*)\\2").matcher(rest);
      if (!v.find()) {
        throw new Edit.Refused(
            name + " in [" + table + "] has no version string Pitcrew can change");
      }
      String old = v.group(3);
      lines[i] =
          lines[i].substring(0, key.end())
              + rest.substring(0, v.start(3))
              + version
              + rest.substring(v.end(3));
      return confirm(
          text,
          String.join("\n", lines),
          name,
          version,
          "pin " + name + " from \"" + old + "\" to \"" + version + "\" in [" + table + "]");
    }
    throw new Edit.Refused(name + " is not declared in pyproject.toml");
  }

  private static String spec(String s) {
    return s.isBlank() ? "any version" : s.strip();
  }

  /** Replaces the one quoted occurrence of {@code literal}; refuses when it is not unique. */
  private static String replaceQuotedOnce(String text, String literal, String replacement)
      throws Edit.Refused {
    for (String q : List.of("\"", "'")) {
      String needle = q + literal + q;
      int at = text.indexOf(needle);
      if (at < 0) {
        continue;
      }
      if (text.indexOf(needle, at + 1) >= 0) {
        throw new Edit.Refused(
            "the requirement \"" + literal + "\" appears more than once in pyproject.toml");
      }
      return text.substring(0, at) + q + replacement + q + text.substring(at + needle.length());
    }
    throw new Edit.Refused(
        "the requirement \"" + literal + "\" is written with escapes Pitcrew does not edit");
  }

  private static Edit confirm(
      String before, String after, String name, String expect, String description)
      throws Edit.Refused {
    JsonNode b = parse(before);
    JsonNode a = parse(after);
    List<String> now = declarations(a, name);
    if (now.isEmpty() || !now.stream().allMatch(v -> v.equals(expect))) {
      throw new Edit.Refused(
          "re-reading pyproject.toml found " + name + " at " + now + ", not " + expect);
    }
    if (!Pyproject.names(after).equals(Pyproject.names(before))
        || !b.path("project").path("name").equals(a.path("project").path("name"))) {
      throw new Edit.Refused("re-reading pyproject.toml found other dependencies changed");
    }
    return new Edit(after, description);
  }

  /** Every declared version of {@code name}: PEP 621 specifiers, then Poetry constraints. */
  private static List<String> declarations(JsonNode root, String name) {
    String norm = Ecosystem.PIP.normalize(name);
    List<String> out = new ArrayList<>();
    for (String req : pep621(root)) {
      if (nameOf(req).map(Ecosystem.PIP::normalize).orElse("").equals(norm)) {
        Matcher m = PEP508.matcher(req);
        out.add(m.matches() ? m.group(2).strip() : req);
      }
    }
    JsonNode poetry = root.path("tool").path("poetry");
    List<JsonNode> tables = new ArrayList<>();
    tables.add(poetry.path("dependencies"));
    tables.add(poetry.path("dev-dependencies"));
    for (JsonNode g : poetry.path("group")) {
      tables.add(g.path("dependencies"));
    }
    for (JsonNode t : tables) {
      for (Iterator<Map.Entry<String, JsonNode>> it = t.properties().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (Ecosystem.PIP.normalize(e.getKey()).equals(norm)) {
          JsonNode v = e.getValue();
          out.add(v.isTextual() ? v.asText() : v.path("version").asText(""));
        }
      }
    }
    return out;
  }

  private static List<String> pep621(JsonNode root) {
    List<String> out = new ArrayList<>();
    JsonNode project = root.path("project");
    project.path("dependencies").forEach(d -> out.add(d.asText()));
    for (JsonNode group : project.path("optional-dependencies")) {
      group.forEach(d -> out.add(d.asText()));
    }
    return out;
  }

  private static Optional<String> nameOf(String requirement) {
    Matcher m = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)").matcher(requirement);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static JsonNode parse(String text) throws Edit.Refused {
    try {
      return TOML.readTree(text);
    } catch (IOException e) {
      throw new Edit.Refused("pyproject.toml is not valid TOML: " + e.getMessage());
    }
  }
}
