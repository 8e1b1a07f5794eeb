package dev.pitcrew.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixConfigValueTest {
  @TempDir Path dir;

  private static final String SCHEMA =
      """
      {"type": "object", "properties": {
        "retries": {"type": "integer", "minimum": 0, "maximum": 10, "default": 3},
        "queue": {"type": "object", "properties": {
          "batch_size": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}},
        "mode": {"type": "string", "enum": ["fast", "safe"], "default": "turbo"}}}
      """;

  private Plan plan(Map<String, String> params, Map<String, String> files) throws Exception {
    for (var e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue());
    }
    var d = Fixtures.diagnosis(Category.ENVIRONMENT, RiskLevel.MEDIUM, FixConfigValue.NAME, params);
    return new FixConfigValue()
        .plan(d, Fixtures.context(new RecordingForge(), 1, dir), RepoFiles.of(dir))
        .orElseThrow();
  }

  @Test
  void setsTheDefaultTheProjectsSchemaDeclaresKeepingTheRestOfTheFile() throws Exception {
    String config =
        "{\n  \"$schema\": \"./app.schema.json\",\n  \"retries\": \"three\",\n  \"retries_max\": \"three\"\n}\n";
    Plan p =
        plan(
            Map.of("file", "config/app.json", "key", "'retries'", "value", "'three'"),
            Map.of("config/app.json", config, "config/app.schema.json", SCHEMA));
    assertThat(p.action()).isEqualTo(FixConfigValue.NAME);
    assertThat(p.risk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(p.fileChanges().get(0).after())
        .isEqualTo(
            "{\n  \"$schema\": \"./app.schema.json\",\n  \"retries\": 3,\n  \"retries_max\": \"three\"\n}\n");
    assertThat(p.params().get("grounding")).contains("config/app.schema.json");
  }

  @Test
  void convertsAnUnambiguousValueInANestedYamlKeyFoundByItsName() throws Exception {
    String yaml = "# worker settings\nqueue:\n  batch_size: \"120\"  # tuned in March\n";
    Plan p =
        plan(
            Map.of("file", "{file}", "key", "queue.batch_size", "expected", "an integer"),
            Map.of("settings/worker.yaml", yaml, "settings/worker.schema.json", SCHEMA));
    assertThat(p.fileChanges().get(0).path()).isEqualTo("settings/worker.yaml");
    assertThat(p.fileChanges().get(0).after())
        .isEqualTo("# worker settings\nqueue:\n  batch_size: 120  # tuned in March\n");
    assertThat(p.params().get("grounding")).contains("same value");
  }

  @Test
  void withoutGroundingItIsAdvice() throws Exception {
    // no schema beside the file, and "three" has no unambiguous integer reading
    Plan none =
        plan(
            Map.of("file", "app.json", "key", "retries", "expected", "an integer"),
            Map.of("app.json", "{\"retries\": \"three\"}"));
    assertThat(none.action()).isEqualTo(Plans.SUGGESTION);
    assertThat(none.summary()).contains("neither an unambiguous conversion nor a default");

    // a schema default that violates the schema's own enum grounds nothing
    Plan badDefault =
        plan(
            Map.of("file", "conf/app.json", "key", "mode"),
            Map.of("conf/app.json", "{\"mode\": \"quick\"}", "conf/app.schema.json", SCHEMA));
    assertThat(badDefault.action()).isEqualTo(Plans.SUGGESTION);

    Plan noKey = plan(Map.of("key", "{key}"), Map.of());
    assertThat(noKey.action()).isEqualTo(Plans.SUGGESTION);
  }

  @Test
  void aSchemaOutsideTheRepositoryIsNotEvidence() throws Exception {
    Plan p =
        plan(
            Map.of("file", "app.json", "key", "retries"),
            Map.of(
                "app.json",
                "{\"$schema\": \"https://example.org/app.schema.json\", \"retries\": \"three\"}"));
    assertThat(p.action()).isEqualTo(Plans.SUGGESTION);
  }
}
