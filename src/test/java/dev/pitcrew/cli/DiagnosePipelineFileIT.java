package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.llm.FakeModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pitcrew diagnose --pipeline-file} and {@code --repo}: the pipeline file in the prompt. */
class DiagnosePipelineFileIT {
  @TempDir Path dir;
  FakeModelServer model;

  static final String TOKEN = "glpat-xK9mP2vL7nQ4wR8tY1zB";
  static final String CI =
      """
      stages: [build]
      frob:
        stage: build
        image: gradle:8-jdk21
        variables:
          DEPLOY_TOKEN: %s
        script:
          - ./gradlew frobnicate
      """
          .formatted(TOKEN);

  @BeforeEach
  void start() throws Exception {
    model = new FakeModelServer(r -> FakeModelServer.Answer.ok("not json"));
  }

  @AfterEach
  void stop() {
    model.close();
  }

  Map<String, String> env() {
    return Map.of(
        "PITCREW_LLM", "openai",
        "PITCREW_LLM_BASE_URL", model.baseUrl() + "/v1",
        "PITCREW_LLM_MODEL", "m");
  }

  @Test
  void aPipelineFileGoesIntoThePromptRedacted() throws Exception {
    Path log = dir.resolve("job.log");
    Files.writeString(log, DiagnoseLlmCommandIT.LOG);
    Path ci = dir.resolve("ci.yml");
    Files.writeString(ci, CI);

    var r =
        DiagnoseLlmCommandIT.run(
            env(), "diagnose", "--json", "--pipeline-file", ci.toString(), log.toString());

    assertThat(r.status()).isZero();
    assertThat(model.requests()).hasSize(1);
    String user = model.requests().get(0).user();
    assertThat(user)
        .contains("Pipeline file: ci.yml")
        .contains("4 |   image: gradle:8-jdk21")
        .contains("DEPLOY_TOKEN: [REDACTED:");
    assertThat(model.bodies().get(0)).doesNotContain(TOKEN);
  }

  @Test
  void aCheckoutSuppliesItsGitlabCiFile() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve(".gitlab-ci.yml"), CI);
    Path log = dir.resolve("job.log");
    Files.writeString(log, DiagnoseLlmCommandIT.LOG);

    var r = DiagnoseLlmCommandIT.run(env(), "diagnose", "--repo", repo.toString(), log.toString());

    assertThat(r.status()).isZero();
    assertThat(model.requests().get(0).user())
        .contains("Pipeline file: .gitlab-ci.yml")
        .contains("- ./gradlew frobnicate");
  }

  @Test
  void aMissingPipelineFileIsAUsageError() throws Exception {
    Path log = dir.resolve("job.log");
    Files.writeString(log, DiagnoseLlmCommandIT.LOG);
    var r =
        DiagnoseLlmCommandIT.run(
            env(),
            "diagnose",
            "--pipeline-file",
            dir.resolve("nope.yml").toString(),
            log.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("pipeline file")
        .contains("nope.yml")
        .contains("not a readable file");
    assertThat(model.requests()).isEmpty();
  }
}
