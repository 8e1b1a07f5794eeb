package dev.pitcrew.remediation.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Action;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.change.ChangeDelivery;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fix_config_value}: corrects one value in a JSON or YAML configuration file that the
 * program rejected at start-up, through a pull request, and only when the right value is grounded
 * in the repository:
 *
 * <ol>
 *   <li>the same value in the type the program expects, when the conversion is unambiguous ({@code
 *       "3"} for an integer, {@code "true"} for a boolean), or else
 *   <li>the default that the project's own JSON Schema declares for that key (the file the config's
 *       {@code $schema} names, {@code # yaml-language-server: $schema=...}, or {@code
 *       NAME.schema.json} / {@code schema.json} beside it), which must itself satisfy the schema's
 *       type, range and enum.
 * </ol>
 *
 * Anything else (no schema, no default, a value that cannot be converted) is advice for a person:
 * the log shows that a value is wrong, not what it should be. The edit replaces one scalar in
 * place, so comments and formatting survive, and the result is re-parsed to confirm that exactly
 * that key changed. Medium risk: applied and announced.
 *
 * <p>Parameters: {@code key} (dotted path or leaf name), optional {@code file}, {@code value} (the
 * rejected value as the log printed it) and {@code expected} (what the program said it wanted).
 */
public final class FixConfigValue implements Action {
  public static final String NAME = "fix_config_value";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");
  private static final Set<String> EXTENSIONS = Set.of(".json", ".yml", ".yaml");
  private static final Pattern YAML_SCHEMA =
      Pattern.compile("#\\s*yaml-language-server:\\s*\\$schema=(\\S+)");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files)
      throws IOException {
    Map<String, String> in = bound(d.remediationParams());
    String key = in.get("key");
    if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
      return Optional.of(
          Plans.suggestion(
              d, "The log does not name the configuration key to correct; " + advice(in), in));
    }
    List<String> path = List.of(key.split("\\."));
    Optional<String> file = configFile(in.get("file"), path, files);
    if (file.isEmpty()) {
      return Optional.of(
          Plans.suggestion(
              d,
              "No JSON or YAML configuration file in the repository sets '"
                  + key
                  + "'; "
                  + advice(in),
              in));
    }
    String f = file.get();
    String before = files.read(f).orElseThrow();
    JsonNode tree = parse(f, before);
    JsonNode current = at(tree, path);
    if (current == null || current.isMissingNode() || current.isContainerNode()) {
      return Optional.of(
          Plans.suggestion(d, f + " has no scalar value at '" + key + "'; " + advice(in), in));
    }
    Optional<Schema> schema = schema(f, before, tree, files).map(s -> s.at(path));
    Optional<Choice> choice = choose(current, schema, in.get("expected"));
    Map<String, String> params = new LinkedHashMap<>(in);
    params.put("file", f);
    params.put("from", current.isTextual() ? "\"" + current.asText() + "\"" : current.toString());
    if (choice.isEmpty()) {
      return Optional.of(
          Plans.suggestion(
              d,
              f
                  + " sets '"
                  + key
                  + "' to "
                  + params.get("from")
                  + ", which the program rejects, and neither an unambiguous conversion nor a"
                  + " default in the project's schema says what it should be; "
                  + advice(in),
              params));
    }
    Choice c = choice.get();
    String after;
    try {
      after = replace(f, before, path, current, c.value());
    } catch (IllegalStateException e) {
      return Optional.of(
          Plans.suggestion(
              d, "Cannot edit '" + key + "' in " + f + " safely: " + e.getMessage(), params));
    }
    JsonNode check = parse(f, after);
    JsonNode expected = tree.deepCopy();
    set(expected, path, c.value());
    if (!check.equals(expected)) {
      return Optional.of(
          Plans.suggestion(
              d, "An edit of " + f + " changed more than '" + key + "'; " + advice(in), params));
    }
    params.put("value", c.value().isTextual() ? c.value().asText() : c.value().toString());
    params.put("grounding", c.why());
    String shown = c.value().toString();
    return Optional.of(
        ChangeDelivery.filePlan(
            d,
            ctx,
            NAME,
            RiskLevel.MEDIUM,
            "Set " + key + " in " + f + " to " + shown + " (" + c.why() + ")",
            List.of(Plans.change(f, before, after)),
            params,
            "This change makes one edit: "
                + key
                + " in "
                + f
                + " goes from "
                + params.get("from")
                + " to "
                + shown
                + ", "
                + c.why()
                + ". Nothing else in the file changes."));
  }

  /** The grounded value and why it is right. */
  record Choice(JsonNode value, String why) {}

  /** A JSON Schema node and the file it came from. */
  record Schema(String file, JsonNode node) {
    Schema at(List<String> path) {
      JsonNode n = node;
      for (String seg : path) {
        n = n.path("properties").path(seg);
      }
      return new Schema(file, n);
    }

    Optional<String> type() {
      JsonNode t = node.path("type");
      return t.isTextual() ? Optional.of(t.asText()) : Optional.empty();
    }

    boolean accepts(JsonNode v) {
      String t = type().orElse(null);
      if (t != null) {
        boolean ok =
            switch (t) {
              case "integer" -> v.isIntegralNumber();
              case "number" -> v.isNumber();
              case "boolean" -> v.isBoolean();
              case "string" -> v.isTextual();
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
      if (v.isNumber()) {
        if (node.has("minimum")
            && v.decimalValue().compareTo(node.get("minimum").decimalValue()) < 0) {
          return false;
        }
        if (node.has("maximum")
            && v.decimalValue().compareTo(node.get("maximum").decimalValue()) > 0) {
          return false;
        }
      }
      if (node.has("enum")) {
        boolean found = false;
        for (JsonNode e : node.get("enum")) {
          found |= e.equals(v);
        }
        return found;
      }
      return true;
    }
  }

  static Optional<Choice> choose(JsonNode current, Optional<Schema> schema, String expected) {
    String type = schema.flatMap(Schema::type).orElse(typeFrom(expected));
    // 1. the same value in the expected type, when there is exactly one reading of it
    if (current.isTextual() && type != null) {
      Optional<JsonNode> coerced = coerce(current.asText(), type);
      if (coerced.isPresent() && schema.map(s -> s.accepts(coerced.get())).orElse(true)) {
        return Optional.of(
            new Choice(
                coerced.get(), "the same value written as the " + type + " the program expects"));
      }
    }
    // 2. the default the project's own schema declares
    if (schema.isPresent() && schema.get().node().has("default")) {
      JsonNode def = schema.get().node().get("default");
      if (def.isValueNode() && !def.isNull() && schema.get().accepts(def)) {
        return Optional.of(
            new Choice(def, "the default that " + schema.get().file() + " declares for it"));
      }
    }
    return Optional.empty();
  }

  /** The JSON Schema type a program's message asks for, when it names one plainly. */
  static String typeFrom(String expected) {
    if (expected == null) {
      return null;
    }
    String e = expected.toLowerCase(Locale.ROOT);
    if (e.matches(".*\\b(integer|int|java\\.lang\\.(integer|long)|long)\\b.*")) {
      return "integer";
    }
    if (e.matches(".*\\b(boolean|bool|java\\.lang\\.boolean)\\b.*")) {
      return "boolean";
    }
    if (e.matches(".*\\b(number|float|double|decimal)\\b.*")) {
      return "number";
    }
    return null;
  }

  static Optional<JsonNode> coerce(String text, String type) {
    String t = text.strip();
    switch (type) {
      case "integer" -> {
        if (t.matches("[-+]?\\d{1,9}")) {
          return Optional.of(IntNode.valueOf(Integer.parseInt(t)));
        }
      }
      case "number" -> {
        if (t.matches("[-+]?\\d{1,15}(\\.\\d{1,15})?")) {
          return Optional.of(JsonNodeFactory.instance.numberNode(new BigDecimal(t)));
        }
      }
      case "boolean" -> {
        if (t.equals("true") || t.equals("false")) {
          return Optional.of(BooleanNode.valueOf(t.equals("true")));
        }
      }
      default -> {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The named file, else the repository's JSON/YAML files that set the key. */
  private static Optional<String> configFile(String named, List<String> path, RepoFiles files)
      throws IOException {
    Set<String> candidates = new LinkedHashSet<>();
    if (named != null && !named.isBlank() && !named.contains("..") && !named.startsWith("/")) {
      candidates.add(named.startsWith("./") ? named.substring(2) : named);
    }
    for (String p : files.tree("")) {
      String lower = p.toLowerCase(Locale.ROOT);
      if (EXTENSIONS.stream().anyMatch(lower::endsWith)
          && !lower.startsWith(".github/")
          && !lower.contains("node_modules/")
          && !lower.endsWith("package.json")
          && !lower.endsWith("package-lock.json")
          && !lower.contains("schema")
          && !lower.equals(".gitlab-ci.yml")) {
        candidates.add(p);
      }
      if (candidates.size() > 300) {
        break;
      }
    }
    for (String c : candidates) {
      String lower = c.toLowerCase(Locale.ROOT);
      if (EXTENSIONS.stream().noneMatch(lower::endsWith)) {
        continue;
      }
      Optional<String> text = files.read(c);
      if (text.isEmpty()) {
        continue;
      }
      try {
        JsonNode n = at(parse(c, text.get()), path);
        if (n != null && !n.isMissingNode()) {
          return Optional.of(c);
        }
      } catch (IOException unreadable) {
        // not this file
      }
    }
    return Optional.empty();
  }

  /** The project's schema for a config file, if it declares or keeps one beside it. */
  private static Optional<Schema> schema(String file, String text, JsonNode tree, RepoFiles files)
      throws IOException {
    String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/') + 1) : "";
    String base = file.substring(dir.length());
    String stem = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
    List<String> refs = new ArrayList<>();
    if (tree.path("$schema").isTextual()) {
      refs.add(tree.get("$schema").asText());
    }
    Matcher m = YAML_SCHEMA.matcher(text);
    if (m.find()) {
      refs.add(m.group(1));
    }
    List<String> paths = new ArrayList<>();
    for (String r : refs) {
      if (r.contains("://") || r.startsWith("/") || r.contains("..")) {
        continue; // only files inside the repository ground a value
      }
      paths.add(dir + (r.startsWith("./") ? r.substring(2) : r));
    }
    paths.add(dir + stem + ".schema.json");
    paths.add(dir + "schema.json");
    paths.add(dir + "schema/" + stem + ".json");
    for (String p : paths) {
      Optional<String> s = files.read(p);
      if (s.isPresent()) {
        try {
          JsonNode n = parse(p, s.get());
          if (n.isObject() && n.has("properties")) {
            return Optional.of(new Schema(p, n));
          }
        } catch (IOException bad) {
          // not a schema Pitcrew can read
        }
      }
    }
    return Optional.empty();
  }

  private static JsonNode parse(String file, String text) throws IOException {
    return file.toLowerCase(Locale.ROOT).endsWith(".json")
        ? JSON.readTree(text)
        : YAML.readTree(text);
  }

  private static JsonNode at(JsonNode tree, List<String> path) {
    JsonNode n = tree;
    for (String seg : path) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(seg);
    }
    return n;
  }

  private static void set(JsonNode tree, List<String> path, JsonNode value) {
    JsonNode n = tree;
    for (int i = 0; i < path.size() - 1; i++) {
      n = n.get(path.get(i));
    }
    ((ObjectNode) n).set(path.get(path.size() - 1), value);
  }

  /**
   * Replaces the key's scalar in the text. The key's line must be the only one that assigns this
   * leaf name this value; the caller re-parses to confirm nothing else moved.
   */
  static String replace(String file, String text, List<String> path, JsonNode old, JsonNode value) {
    String leaf = Pattern.quote(path.get(path.size() - 1));
    String literal = value.toString();
    Pattern p;
    if (file.toLowerCase(Locale.ROOT).endsWith(".json")) {
      String oldToken = Pattern.quote(old.toString());
      p = Pattern.compile("(\"" + leaf + "\"\\s*:\\s*)" + oldToken + "(?![0-9A-Za-z.])");
    } else {
      String raw = Pattern.quote(old.asText());
      p =
          Pattern.compile(
              "(?m)^(\\s*(?:- )?[\"']?"
                  + leaf
                  + "[\"']?\\s*:[ \\t]*)(?:\""
                  + raw
                  + "\"|'"
                  + raw
                  + "'|"
                  + raw
                  + ")(?=[ \\t]*(?:#.*)?$)");
      literal = value.isTextual() ? "\"" + value.asText().replace("\"", "\\\"") + "\"" : literal;
    }
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("the value is not written where Pitcrew can find it");
    }
    int start = m.start();
    if (m.find()) {
      throw new IllegalStateException("the key is set to this value more than once");
    }
    Matcher one = p.matcher(text);
    one.find(start);
    return text.substring(0, one.start()) + one.group(1) + literal + text.substring(one.end());
  }

  /** Captures that no pattern bound stay as {name}; they are not values. */
  private static Map<String, String> bound(Map<String, String> params) {
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : params.entrySet()) {
      String v = e.getValue() == null ? "" : e.getValue().strip();
      if (v.isEmpty() || v.matches("\\{[A-Za-z_][A-Za-z0-9_]*\\}")) {
        continue;
      }
      if (e.getKey().equals("value") || e.getKey().equals("key") || e.getKey().equals("file")) {
        v = v.replaceAll("^['\"]|['\"]$", "");
      }
      out.put(e.getKey(), v);
    }
    return out;
  }

  private static String advice(Map<String, String> in) {
    return "a person sets "
        + in.getOrDefault("key", "the rejected value")
        + (in.containsKey("file") ? " in " + in.get("file") : "")
        + " to a value the program accepts"
        + (in.containsKey("expected") ? " (" + in.get("expected") + ")" : "");
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    return ChangeDelivery.deliver(plan, ctx);
  }
}
