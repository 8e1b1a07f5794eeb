package dev.pitcrew.forge.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding the pipeline a pushed fix started ({@code GET /projects/:id/pipelines?sha=}), against a
 * loopback GitLab answering with the documented "List project pipelines" payload.
 */
class GitLabRunForCommitIT {
  static final String FIX = "5d2c1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d";

  GitLabSim sim;
  FakeTime time;
  GitLabForge forge;

  @BeforeEach
  void start() throws IOException {
    sim = new GitLabSim();
    time = new FakeTime();
    ForgeHttp http =
        new ForgeHttp(
            "GitLab",
            ForgeHttp.defaultClient(),
            HttpPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5)),
            time,
            time,
            () -> 0.5);
    forge =
        new GitLabForge(sim.apiBase(), "gitlab.example.com", GitLabForgeIT.TOKEN, http, 1 << 20);
  }

  @AfterEach
  void everyRequestIsADocumentedEndpoint() {
    sim.close();
    assertThat(sim.undocumented()).isEmpty();
  }

  void pushPipeline(String id, String sha) {
    sim.addPipeline(
            id, "pitcrew/inc-1-pin", "running", Map.of("test", "running"), Map.of("test", ""))
        .put("sha", sha);
  }

  @Test
  void findsThePipelineOnceGitLabHasCreatedIt() throws IOException {
    pushPipeline("60", "a91957a858320c0e17f3a0eca7cfacbff50ea29a");
    pushPipeline("61", FIX);
    sim.latePipelineLookups = 1;

    assertThat(forge.runForCommit(GitLabForgeIT.REPO, FIX))
        .contains(new RunRef(GitLabForgeIT.REPO, "61", 1));
    assertThat(sim.calls("GET", "/projects/group%2Fsub%2Fproject/pipelines"))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.query()).containsEntry("sha", FIX));
    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theNewestOfTwoPipelinesForTheCommitWins() throws IOException {
    pushPipeline("61", FIX); // the push
    pushPipeline("62", FIX); // the merge request pipeline, created after it
    assertThat(forge.runForCommit(GitLabForgeIT.REPO, FIX))
        .contains(new RunRef(GitLabForgeIT.REPO, "62", 1));
  }

  @Test
  void parsesTheDocumentedListProjectPipelinesPayload() throws IOException {
    String documented;
    try (InputStream in = GitLabSim.class.getResourceAsStream("pipelines.json")) {
      documented = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    sim.fault("GET", ".*/pipelines", 200, Map.of(), documented);
    assertThat(forge.runForCommit(GitLabForgeIT.REPO, "eb94b618fb5865b26e80fdd8ae531b7a63ad851a"))
        .contains(new RunRef(GitLabForgeIT.REPO, "48", 1));
  }

  @Test
  void givesUpAfterAboutThirtySecondsWhenNoPipelineRunsForTheCommit() throws IOException {
    pushPipeline("60", "a91957a858320c0e17f3a0eca7cfacbff50ea29a");
    assertThat(forge.runForCommit(GitLabForgeIT.REPO, FIX)).isEmpty();
    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesSomethingThatIsNotACommitSha() {
    assertThatThrownBy(() -> forge.runForCommit(GitLabForgeIT.REPO, "HEAD~1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sim.requests).isEmpty();
  }
}
