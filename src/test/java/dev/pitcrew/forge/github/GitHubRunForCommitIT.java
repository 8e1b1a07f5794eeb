package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding the run a pushed fix started ({@code runForCommit}), which the incident workflow then
 * polls (or a webhook reports) to verify the fix. Every request is checked against GitHub's OpenAPI
 * description; the answers are its examples.
 */
class GitHubRunForCommitIT {
  static final String FIX = "2f1c9a0e5b7d4c3a8e6f0b1d2c3e4f5a6b7c8d9e";

  GitHubSim sim;
  FakeTime time;
  GitHubForge forge;

  @BeforeEach
  void start() throws IOException {
    sim = new GitHubSim();
    time = new FakeTime();
    ForgeHttp http =
        new ForgeHttp(
            "GitHub",
            ForgeHttp.defaultClient(),
            HttpPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5)),
            time,
            time,
            () -> 0.5);
    forge =
        new GitHubForge(
            sim.apiBase(), "github.com", GitHubAuth.token(GitHubForgeIT.TOKEN), http, 1 << 20);
  }

  @AfterEach
  void everyRequestIsADocumentedGitHubOperation() {
    List<String> problems = new ArrayList<>();
    for (GitHubSim.Recorded r : sim.requests) {
      Map<String, String> q = new LinkedHashMap<>();
      if (r.query() != null) {
        for (String kv : r.query().split("&")) {
          q.put(kv.split("=", 2)[0], "");
        }
      }
      problems.addAll(OpenApiContract.problems(r.method(), r.path(), q, r.body()));
    }
    sim.close();
    assertThat(problems).isEmpty();
  }

  /** A run the push of {@code sha} started, in workflow {@code workflowId}. */
  void pushRun(String id, String sha, String workflowId) {
    var run =
        sim.addRun(
            id,
            1,
            "pitcrew/inc-1-pin",
            "success",
            Map.of(),
            GitHubForgeIT.orderedMap("test", "success"));
    run.put("head_sha", sha);
    run.put("workflow_id", Long.parseLong(workflowId));
    run.put("status", "in_progress");
    run.putNull("conclusion");
  }

  @Test
  void findsTheRunOnceGitHubHasCreatedItPollingWithoutSpendingRealTime() throws IOException {
    pushRun("30434001", FIX, "159038");
    sim.lateRunLookups = 2;

    Optional<RunRef> found = forge.runForCommit(GitHubForgeIT.REPO, FIX);

    assertThat(found).contains(new RunRef(GitHubForgeIT.REPO, "30434001", 1));
    assertThat(sim.calls("GET", "/repos/octocat/Hello-World/actions/runs")).hasSize(3);
    assertThat(sim.calls("GET", "/repos/octocat/Hello-World/actions/runs").getFirst().query())
        .contains("head_sha=" + FIX);
    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void prefersTheWorkflowThatFailedOverAnotherOneThePushStarted() throws IOException {
    pushRun("30434001", FIX, "159038");
    pushRun("30434002", FIX, "777"); // e.g. CodeQL, created later

    assertThat(forge.runForCommit(GitHubForgeIT.REPO, FIX))
        .contains(new RunRef(GitHubForgeIT.REPO, "30434002", 1));
    assertThat(forge.runForCommit(GitHubForgeIT.REPO, FIX, "159038"))
        .contains(new RunRef(GitHubForgeIT.REPO, "30434001", 1));
    assertThat(sim.calls("GET", "/repos/octocat/Hello-World/actions/workflows/159038/runs"))
        .singleElement()
        .satisfies(r -> assertThat(r.query()).contains("head_sha=" + FIX));
  }

  @Test
  void givesUpAfterAboutThirtySecondsWhenNoWorkflowRunsOnThePush() throws IOException {
    pushRun("30434001", "acb5820ced9479c074f688cc328bf03f341a511d", "159038");

    assertThat(forge.runForCommit(GitHubForgeIT.REPO, FIX)).isEmpty();
    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(30));
    assertThat(sim.calls("GET", "/repos/octocat/Hello-World/actions/runs"))
        .hasSize(GitHubForge.COMMIT_RUN_POLLS.size());
  }

  @Test
  void parsesTheDescriptionsOwnExampleOfListWorkflowRunsForARepository() throws IOException {
    // the unmodified documented answer: one queued run 30433642 of commit acb5820…, attempt 1
    sim.fault(
        "GET",
        "/repos/octocat/Hello-World/actions/runs",
        200,
        Map.of("Content-Type", "application/json"),
        GitHubSim.EXAMPLES.get("actions/list-workflow-runs-for-repo").toString());

    assertThat(
            forge.runForCommit(
                GitHubForgeIT.REPO, "acb5820ced9479c074f688cc328bf03f341a511d", null))
        .contains(new RunRef(GitHubForgeIT.REPO, "30433642", 1));
  }

  @Test
  void refusesSomethingThatIsNotACommitSha() {
    assertThatThrownBy(() -> forge.runForCommit(GitHubForgeIT.REPO, "main; rm -rf"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a commit sha");
    assertThat(sim.requests).isEmpty();
  }
}
