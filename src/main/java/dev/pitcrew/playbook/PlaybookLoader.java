package dev.pitcrew.playbook;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads playbooks: the shipped ones first, then the folders named by {@code PITCREW_PLAYBOOKS}.
 * Each {@code playbook.yaml} is validated against {@code playbook.schema.json}; every problem is
 * reported as {@code path:line: message} and the playbook is skipped, never half-loaded.
 */
public final class PlaybookLoader {
  public static final String FILE = "playbook.yaml";
  private static final Schema SCHEMA = loadSchema();
  private static final JsonMapper JSON3 = JsonMapper.builder().build();

  /** What loading produced: the catalog and the problems found on the way. */
  public record Result(PlaybookCatalog catalog, List<String> errors, List<String> warnings) {
    public Result {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }
  }

  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  /** The shipped library plus the extra folders (each a playbook or a folder of playbooks). */
  public static Result loadDefault(List<Path> extraFolders) {
    PlaybookLoader loader = new PlaybookLoader();
    List<Playbook> shipped = loader.loadShipped();
    PlaybookCatalog catalog = new PlaybookCatalog();
    for (Playbook p : shipped) {
      catalog.add(p);
    }
    for (Path folder : extraFolders) {
      for (Playbook p : loader.loadFolder(folder, folder.toString())) {
        catalog.add(p).ifPresent(loader.warnings::add);
      }
    }
    return new Result(catalog, loader.errors, loader.warnings);
  }

  /** Only the given folders, nothing shipped: what {@code playbooks lint DIR} checks. */
  public static Result loadOnly(List<Path> folders) {
    PlaybookLoader loader = new PlaybookLoader();
    PlaybookCatalog catalog = new PlaybookCatalog();
    for (Path folder : folders) {
      for (Playbook p : loader.loadFolder(folder, folder.toString())) {
        catalog.add(p).ifPresent(loader.warnings::add);
      }
    }
    return new Result(catalog, loader.errors, loader.warnings);
  }

  /** Folders from a {@code PITCREW_PLAYBOOKS}-style value (separated by ':' or ','). */
  public static List<Path> foldersFrom(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    for (String part : value.split("[:,]")) {
      if (!part.isBlank()) {
        out.add(Path.of(part.trim()));
      }
    }
    return out;
  }

  List<Playbook> loadShipped() {
    URL url = PlaybookLoader.class.getResource("/playbooks");
    if (url == null) {
      errors.add("the shipped playbooks are missing from the classpath (/playbooks)");
      return List.of();
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        return loadFolder(fs.getPath("/playbooks"), "playbooks");
      }
      return loadFolder(Path.of(uri), "playbooks");
    } catch (IOException | URISyntaxException e) {
      errors.add("cannot list the shipped playbooks: " + e.getMessage());
      return List.of();
    }
  }

  List<Playbook> loadFolder(Path folder, String shownAs) {
    if (Files.isRegularFile(folder.resolve(FILE))) {
      return loadOne(folder, shownAs).stream().toList();
    }
    if (!Files.isDirectory(folder)) {
      errors.add(shownAs + ": not a playbook folder (no " + FILE + ") nor a folder of them");
      return List.of();
    }
    List<Playbook> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(folder)) {
      for (Path child : children.sorted().toList()) {
        if (Files.isRegularFile(child.resolve(FILE))) {
          String name = child.getFileName().toString().replace("/", "");
          loadOne(child, shownAs + "/" + name).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      errors.add(shownAs + ": cannot list: " + e.getMessage());
    }
    return out;
  }

  Optional<Playbook> loadOne(Path dir, String shownAs) {
    String where = shownAs + "/" + FILE;
    String yaml;
    try {
      yaml = Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8);
    } catch (IOException e) {
      errors.add(where + ": cannot read: " + e.getMessage());
      return Optional.empty();
    }
    return parse(yaml, where, shownAs, dir);
  }

  /** Parses and validates one playbook's YAML; problems go to {@link #errors}. */
  Optional<Playbook> parse(String yaml, String where, String source, Path folder) {
    Map<String, Integer> lines = new LinkedHashMap<>();
    Object tree;
    try {
      LoaderOptions opts = new LoaderOptions();
      opts.setAllowDuplicateKeys(false);
      opts.setMaxAliasesForCollections(10);
      Node root = new Yaml(opts).compose(new StringReader(yaml));
      if (root == null) {
        errors.add(where + ":1: the file is empty");
        return Optional.empty();
      }
      tree = toJava(root, "$", lines);
    } catch (RuntimeException e) {
      errors.add(where + ": not valid YAML: " + firstLine(e.getMessage()));
      return Optional.empty();
    }
    JsonNode node = JSON3.valueToTree(tree);
    List<Error> problems = SCHEMA.validate(node);
    if (!problems.isEmpty()) {
      for (Error p : problems) {
        String path = dollarPath(p.getInstanceLocation().toString());
        String field = path.equals("$") ? "" : path.substring(2) + ": ";
        errors.add(where + ":" + lineFor(path, lines) + ": " + field + describe(p));
      }
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) tree;
    return build(m, where, source, folder, lines);
  }

  private Optional<Playbook> build(
      Map<String, Object> m, String where, String source, Path folder, Map<String, Integer> lines) {
    String id = (String) m.get("id");
    if (folder != null && !folder.getFileName().toString().replace("/", "").equals(id)) {
      errors.add(
          where
              + ":"
              + lineFor("$.id", lines)
              + ": id '"
              + id
              + "' differs from its folder '"
              + folder.getFileName().toString().replace("/", "")
              + "'; rename one so they agree");
      return Optional.empty();
    }
    double confidence = ((Number) m.getOrDefault("confidence", 0.8)).doubleValue();
    boolean ok = true;
    List<FailurePattern> patterns = new ArrayList<>();
    List<?> raw = (List<?>) m.get("patterns");
    for (int i = 0; i < raw.size(); i++) {
      Object p = raw.get(i);
      String regex;
      List<String> keywords = List.of();
      double conf = confidence;
      if (p instanceof String s) {
        regex = s;
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> pm = (Map<String, Object>) p;
        regex = (String) pm.get("regex");
        if (pm.get("keywords") instanceof List<?> kw) {
          keywords = kw.stream().map(k -> k.toString().toLowerCase(java.util.Locale.ROOT)).toList();
        }
        if (pm.get("confidence") instanceof Number n) {
          conf = n.doubleValue();
        }
      }
      String at = where + ":" + lineFor("$.patterns[" + i + "]", lines);
      try {
        Pattern compiled = Pattern.compile(regex);
        List<String> groups = namedGroups(regex);
        if (keywords.isEmpty()) {
          keywords = RegexLiterals.required(regex);
          if (keywords.isEmpty()) {
            warnings.add(
                at
                    + ": no literal text found in the pattern, so it runs on every line; add"
                    + " 'keywords' to speed up scans");
          }
        }
        patterns.add(new FailurePattern(regex, compiled, keywords, groups, conf));
      } catch (PatternSyntaxException e) {
        errors.add(at + ": pattern does not compile (RE2 syntax): " + e.getMessage());
        ok = false;
      }
    }
    List<String> unless = new ArrayList<>();
    if (m.get("unless") instanceof List<?> ul) {
      for (int i = 0; i < ul.size(); i++) {
        String u = ul.get(i).toString();
        try {
          Pattern.compile(u);
          unless.add(u);
        } catch (PatternSyntaxException e) {
          errors.add(
              where
                  + ":"
                  + lineFor("$.unless[" + i + "]", lines)
                  + ": 'unless' pattern does not compile: "
                  + e.getMessage());
          ok = false;
        }
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> rem = (Map<String, Object>) m.get("remediation");
    List<Playbook.Step> steps = new ArrayList<>();
    if (rem.get("steps") instanceof List<?> sl) {
      for (int i = 0; i < sl.size(); i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sm = (Map<String, Object>) sl.get(i);
        Map<String, String> params = new LinkedHashMap<>();
        if (sm.get("params") instanceof Map<?, ?> pm) {
          pm.forEach((k, v) -> params.put(k.toString(), String.valueOf(v)));
        }
        String action = (String) sm.get("action");
        for (var e : params.entrySet()) {
          for (String ref : references(e.getValue())) {
            if (ok && patterns.stream().noneMatch(p -> p.groupNames().contains(ref))) {
              errors.add(
                  where
                      + ":"
                      + lineFor("$.remediation.steps[" + i + "].params." + e.getKey(), lines)
                      + ": step '"
                      + action
                      + "' uses '{"
                      + ref
                      + "}' but no pattern captures it; the patterns capture "
                      + allGroups(patterns)
                      + suggestion(ref, patterns));
              ok = false;
            }
          }
        }
        steps.add(new Playbook.Step(action, params));
      }
    }
    List<Playbook.Example> examples = new ArrayList<>();
    if (m.get("examples") instanceof List<?> el) {
      for (Object o : el) {
        @SuppressWarnings("unchecked")
        Map<String, Object> em = (Map<String, Object>) o;
        Map<String, String> caps = new LinkedHashMap<>();
        if (em.get("captures") instanceof Map<?, ?> cm) {
          cm.forEach((k, v) -> caps.put(k.toString(), String.valueOf(v)));
        }
        examples.add(new Playbook.Example((String) em.get("file"), caps));
      }
    }
    if (!ok) {
      return Optional.empty();
    }
    return Optional.of(
        new Playbook(
            id,
            (String) m.get("title"),
            Category.parse((String) m.get("category")),
            RiskLevel.parse((String) m.get("risk_level")),
            (Boolean) m.get("auto_fix"),
            confidence,
            (String) m.get("root_cause"),
            (String) m.getOrDefault("explanation", ""),
            patterns,
            unless,
            (String) rem.get("strategy"),
            steps,
            examples,
            (String) m.getOrDefault("created_by", "pitcrew"),
            String.valueOf(m.getOrDefault("last_updated", "")),
            source,
            Optional.ofNullable(folder)));
  }

  static List<String> references(String template) {
    List<String> out = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}").matcher(template);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static List<String> namedGroups(String regex) {
    List<String> out = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("\\(\\?P?<([A-Za-z][A-Za-z0-9_]*)>").matcher(regex);
    while (m.find()) {
      if (!out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static List<String> allGroups(List<FailurePattern> patterns) {
    return patterns.stream().flatMap(p -> p.groupNames().stream()).distinct().toList();
  }

  private static String suggestion(String ref, List<FailurePattern> patterns) {
    List<String> groups = allGroups(patterns);
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String g : groups) {
      int d = dev.pitcrew.internal.Strings.editDistance(ref, g);
      if (d < bestD) {
        bestD = d;
        best = g;
      }
    }
    return best != null && bestD <= Math.max(2, ref.length() / 2)
        ? ". Did you mean '{" + best + "}'?"
        : "";
  }

  private static int lineFor(String path, Map<String, Integer> lines) {
    String p = path;
    while (true) {
      Integer l = lines.get(p);
      if (l != null) {
        return l;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return lines.getOrDefault("$", 1);
      }
      p = p.substring(0, cut);
    }
  }

  /** JSON Pointer ("/patterns/0/regex") to the "$.patterns[0].regex" form used for lines. */
  static String dollarPath(String pointer) {
    if (pointer.startsWith("$")) {
      return pointer;
    }
    StringBuilder sb = new StringBuilder("$");
    for (String seg : pointer.split("/")) {
      if (seg.isEmpty()) {
        continue;
      }
      String s = seg.replace("~1", "/").replace("~0", "~");
      if (s.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(s).append(']');
      } else {
        sb.append('.').append(s);
      }
    }
    return sb.toString();
  }

  private static String describe(Error e) {
    String msg = e.getMessage();
    return msg == null ? e.toString() : msg;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    return s.replace('\n', ' ').replaceAll("\\s+", " ").trim();
  }

  /** Converts a YAML node into plain Java values, recording the line of each path. */
  private static Object toJava(Node node, String path, Map<String, Integer> lines) {
    lines.put(path, node.getStartMark().getLine() + 1);
    if (node instanceof MappingNode map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple t : map.getValue()) {
        String key = ((ScalarNode) t.getKeyNode()).getValue();
        String child = path + "." + key;
        lines.put(child, t.getKeyNode().getStartMark().getLine() + 1);
        out.put(key, toJava(t.getValueNode(), child, lines));
        lines.put(child, t.getKeyNode().getStartMark().getLine() + 1);
      }
      return out;
    }
    if (node instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>();
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        out.add(toJava(items.get(i), path + "[" + i + "]", lines));
      }
      return out;
    }
    ScalarNode s = (ScalarNode) node;
    Tag tag = s.getTag();
    String v = s.getValue();
    if (Tag.BOOL.equals(tag)) {
      return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
    }
    if (Tag.INT.equals(tag)) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (Tag.FLOAT.equals(tag)) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (Tag.NULL.equals(tag)) {
      return null;
    }
    return v;
  }

  private static Schema loadSchema() {
    try (InputStream in = PlaybookLoader.class.getResourceAsStream("playbook.schema.json")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("playbook.schema.json missing from the jar", e);
    }
  }
}
