package dev.pitcrew.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pitcrew.diagnosis.Category;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads the shipped scenarios from the jar (or a folder), validating each {@code scenario.yaml}.
 */
public final class ScenarioCatalog {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String ROOT = "/lab/scenarios";

  private ScenarioCatalog() {}

  /** The scenarios shipped in the jar, by name. */
  public static List<Scenario> shipped() {
    URL url = ScenarioCatalog.class.getResource(ROOT);
    if (url == null) {
      throw new IllegalStateException("the lab scenarios are missing from the jar (" + ROOT + ")");
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
        return load(fs.getPath(ROOT));
      }
      return load(Path.of(uri));
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("could not read the lab scenarios: " + e.getMessage(), e);
    }
  }

  /** Every scenario in a folder of scenario folders, sorted by name. */
  public static List<Scenario> load(Path root) throws IOException {
    List<Scenario> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
        if (Files.isRegularFile(dir.resolve("scenario.yaml"))) {
          out.add(read(dir));
        }
      }
    }
    return out;
  }

  static Scenario read(Path dir) throws IOException {
    String name = dir.getFileName().toString().replace("/", "");
    String where = name + "/scenario.yaml";
    JsonNode y = YAML.readTree(Files.readString(dir.resolve("scenario.yaml")));
    Category category = Category.parse(required(y, "expected_category", where));
    String action = required(y, "expected_action", where);
    boolean autoFix = y.path("auto_fix").asBoolean(false);
    if (!autoFix && category.fixable()) {
      throw new IllegalArgumentException(
          where + ": auto_fix is false but " + category.wire() + " is a fixable category");
    }
    if (autoFix && !category.fixable()) {
      throw new IllegalArgumentException(
          where + ": auto_fix must be false for a " + category.wire() + " scenario");
    }
    JsonNode w = y.path("world");
    Scenario.World world =
        new Scenario.World(
            w.hasNonNull("full_disk_at")
                ? Optional.of(w.get("full_disk_at").asText())
                : Optional.empty(),
            w.path("registry_resets_first").asInt(0));
    Map<String, String> project = files(dir.resolve("project"));
    if (project.isEmpty()) {
      throw new IllegalArgumentException(name + ": the project/ folder is missing or empty");
    }
    JsonNode f = y.path("fix");
    String kind = f.path("kind").asText("");
    Scenario.Fix fix =
        switch (kind) {
          case "commit" -> {
            Map<String, String> changed = files(dir.resolve("fix"));
            if (changed.isEmpty()) {
              throw new IllegalArgumentException(
                  name + ": a commit fix needs the changed files under fix/");
            }
            yield new Scenario.Fix.Commit(required(f, "message", where + " fix"), changed);
          }
          case "variable" ->
              new Scenario.Fix.Variable(
                  required(f, "name", where + " fix"), required(f, "value", where + " fix"));
          case "rerun" -> new Scenario.Fix.Rerun();
          default ->
              throw new IllegalArgumentException(
                  where + ": fix.kind must be commit, variable or rerun, got '" + kind + "'");
        };
    return new Scenario(
        name,
        required(y, "title", where),
        y.path("description").asText(""),
        category,
        y.hasNonNull("expected_playbook")
            ? Optional.of(y.get("expected_playbook").asText())
            : Optional.empty(),
        action,
        autoFix,
        y.hasNonNull("awaiting_playbook")
            ? Optional.of(y.get("awaiting_playbook").asText())
            : Optional.empty(),
        world,
        fix,
        project);
  }

  private static String required(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + field + "' is required");
    }
    return v.asText();
  }

  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        out.put(rel, Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
