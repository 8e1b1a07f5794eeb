package dev.pitcrew.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {
  @TempDir Path dir;

  private static final String VALID =
      """
      id: pb-test-custom
      title: Custom failure
      category: infrastructure
      risk_level: low
      auto_fix: true
      root_cause: "Mirror {host} was down"
      patterns:
        - "mirror (?P<host>[\\\\w.]+) is down"
      remediation:
        strategy: retry_pipeline
        steps:
          - action: retry_pipeline
            params: {host: "{host}"}
      """;

  private Path write(String id, String yaml) throws IOException {
    Path p = dir.resolve(id);
    Files.createDirectories(p);
    Files.writeString(p.resolve("playbook.yaml"), yaml);
    return p;
  }

  @Test
  void loadsAValidPlaybook() throws IOException {
    write("pb-test-custom", VALID);
    PlaybookLoader.Result r = PlaybookLoader.loadOnly(List.of(dir));
    assertThat(r.errors()).isEmpty();
    Playbook p = r.catalog().get("pb-test-custom").orElseThrow();
    assertThat(p.patterns().get(0).groupNames()).containsExactly("host");
    assertThat(p.patterns().get(0).match("mirror deb.example.org is down"))
        .get()
        .extracting(m -> m.get("host"))
        .isEqualTo("deb.example.org");
  }

  @Test
  void pointsAtTheFileAndLineOfASchemaViolation() throws IOException {
    write("pb-test-custom", VALID.replace("risk_level: low", "risk_level: extreme"));
    PlaybookLoader.Result r = PlaybookLoader.loadOnly(List.of(dir));
    assertThat(r.errors()).singleElement().asString().contains("pb-test-custom/playbook.yaml:4:");
    assertThat(r.catalog().size()).isZero();
  }

  @Test
  void suggestsTheCaptureAStepProbablyMeant() throws IOException {
    write("pb-test-custom", VALID.replace("host: \"{host}\"", "host: \"{hots}\""));
    PlaybookLoader.Result r = PlaybookLoader.loadOnly(List.of(dir));
    assertThat(r.errors())
        .singleElement()
        .asString()
        .contains("playbook.yaml:13:")
        .contains("uses '{hots}' but no pattern captures it")
        .contains("Did you mean '{host}'?");
  }

  @Test
  void rejectsAPatternThatRe2CannotCompile() throws IOException {
    write("pb-test-custom", VALID.replace("mirror (?P<host>", "mirror (?<=x)(?P<host>"));
    PlaybookLoader.Result r = PlaybookLoader.loadOnly(List.of(dir));
    assertThat(r.errors()).singleElement().asString().contains(":8: pattern does not compile");
  }

  @Test
  void requiresTheIdToMatchTheFolder() throws IOException {
    write("pb-other-name", VALID);
    assertThat(PlaybookLoader.loadOnly(List.of(dir)).errors())
        .singleElement()
        .asString()
        .contains("differs from its folder");
  }

  @Test
  void aTeamPlaybookWithTheSameIdOverridesTheShippedOneAndIsReported() throws IOException {
    String shipped = "pb-dependency-missing-python";
    write(shipped, VALID.replace("pb-test-custom", shipped));
    PlaybookLoader.Result r = PlaybookLoader.loadDefault(List.of(dir));
    assertThat(r.errors()).isEmpty();
    assertThat(r.catalog().get(shipped).orElseThrow().category().wire())
        .isEqualTo("infrastructure");
    assertThat(r.warnings())
        .anySatisfy(w -> assertThat(w).contains("overrides the playbook '" + shipped + "'"));
  }

  @Test
  void reportsBrokenYamlWithoutThrowing() throws IOException {
    write("pb-test-custom", "id: [unclosed\n");
    assertThat(PlaybookLoader.loadOnly(List.of(dir)).errors())
        .singleElement()
        .asString()
        .contains("not valid YAML");
  }
}
