package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GitHubForge#recentFailedRuns} against a loopback API, checked against GitHub's OpenAPI.
 */
class RecentFailedRunsIT {
  RunsListServer api;
  GitHubForge forge;
  final RepoRef repo = new RepoRef(Provider.GITHUB, "github.com", "octo-org/octo-repo");

  @BeforeEach
  void start() throws Exception {
    api = new RunsListServer("octo-org", "octo-repo");
    forge = api.forge();
  }

  @AfterEach
  void everyCallIsADocumentedOperation() {
    List<String> problems = new ArrayList<>();
    for (RunsListServer.Call c : api.calls) {
      problems.addAll(OpenApiContract.problems(c.method(), c.path(), c.query(), null));
    }
    api.close();
    assertThat(problems).isEmpty();
  }

  @Test
  void listsFailuresSinceATimeAsTheirWebhookWouldReportThem() throws Exception {
    api.addRun(100, 1, "failure", "2026-11-29T08:00:00Z");
    api.addRun(101, 2, "failure", "2026-11-29T10:00:00Z");
    api.addRun(102, 1, "success", "2026-11-29T10:05:00Z");

    List<CiEvent.RunFailed> runs =
        forge.recentFailedRuns(repo, Instant.parse("2026-11-29T09:00:00Z"));

    assertThat(runs)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.run().runId()).isEqualTo("101");
              assertThat(f.run().attempt()).isEqualTo(2);
              assertThat(f.fromFork()).isFalse();
              assertThat(f.actor()).isEqualTo("octocat");
            });
    RunsListServer.Call call = api.calls.get(0);
    assertThat(call.path()).isEqualTo("/repos/octo-org/octo-repo/actions/runs");
    assertThat(call.query())
        .containsEntry("status", "failure")
        .containsEntry("created", ">=2026-11-29T09:00:00Z");

    // the same run delivered as a workflow_run webhook has the same key: one fingerprint
    ObjectNode hook = Payloads.workflowRun("failure");
    ObjectNode wr = (ObjectNode) hook.get("workflow_run");
    wr.put("id", 101);
    wr.put("run_attempt", 2);
    ((ObjectNode) hook.get("repository")).put("full_name", "octo-org/octo-repo");
    ((ObjectNode) hook.get("repository")).put("html_url", "https://github.com/octo-org/octo-repo");
    wr.set("head_repository", hook.get("repository"));
    CiEvent ev = GitHubEvents.normalise("workflow_run", hook);
    assertThat(ev.run().key()).isEqualTo(runs.get(0).run().key());
  }

  @Test
  void readsEveryPageUpToThree() throws Exception {
    for (int i = 0; i < 250; i++) {
      api.addRun(1000 + i, 1, "failure", "2026-11-29T10:00:00Z");
    }
    List<CiEvent.RunFailed> runs =
        forge.recentFailedRuns(repo, Instant.parse("2026-11-29T09:00:00Z"));
    assertThat(runs).hasSize(250);
    assertThat(api.calls).hasSize(3);
  }

  @Test
  void aForkRunIsMarkedAsOne() throws Exception {
    ObjectNode run = api.addRun(200, 1, "failure", "2026-11-29T10:00:00Z");
    ((ObjectNode) run.get("head_repository")).put("full_name", "someone/octo-repo");
    assertThat(forge.recentFailedRuns(repo, Instant.parse("2026-11-29T09:00:00Z")))
        .singleElement()
        .satisfies(f -> assertThat(f.fromFork()).isTrue());
  }
}
