package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract tests on GitHub's real webhook payloads (src/test/resources/webhooks/github). */
class GitHubEventsTest {
  private static final RepoRef OCTO =
      new RepoRef(Provider.GITHUB, "github.com", "octo-org/octo-repo");

  @Test
  void aFailedWorkflowRunBecomesRunFailedWithTheAttemptAndTheRunPage() {
    CiEvent e = GitHubEvents.normalise("workflow_run", Payloads.workflowRun("failure"));
    assertThat(e)
        .isEqualTo(
            new CiEvent.RunFailed(
                new RunRef(OCTO, "289782451", 1),
                "master",
                "3484a3fb816e0859fd6e1cea078d76385ff50625",
                ".github/workflows/test.yml",
                "https://github.com/octo-org/octo-repo/actions/runs/289782451",
                "Codertocat",
                false,
                null,
                Instant.parse("2020-10-05T16:33:49Z")));
  }

  @Test
  void aFailedRunOfAPullRequestNamesTheRequestFromItsPullRequestsList() {
    // 02_completed.json lists pull request #2 (head 'changes') of Codertocat/Hello-World, while
    // the delivery's repository is octo-org/octo-repo: as it stands, that number is not ours
    ObjectNode p = Payloads.load("github/workflow_run/02_completed.json");
    ((ObjectNode) p.get("workflow_run")).put("conclusion", "failure");
    assertThat(((CiEvent.RunFailed) GitHubEvents.normalise("workflow_run", p)).pullRequest())
        .isEmpty();
    ((ObjectNode) p.get("repository"))
        .put("full_name", "Codertocat/Hello-World")
        .put("html_url", "https://github.com/Codertocat/Hello-World");
    CiEvent.RunFailed f = (CiEvent.RunFailed) GitHubEvents.normalise("workflow_run", p);
    RepoRef repo = new RepoRef(Provider.GITHUB, "github.com", "Codertocat/Hello-World");
    assertThat(f.pullRequest())
        .contains(
            new PullRequest(
                repo,
                "2",
                "https://github.com/Codertocat/Hello-World/pull/2",
                "changes",
                "master",
                "open"));
  }

  @Test
  void aFailedRunOfNoPullRequestNamesNone() {
    CiEvent.RunFailed f =
        (CiEvent.RunFailed) GitHubEvents.normalise("workflow_run", Payloads.workflowRun("failure"));
    assertThat(f.pullRequest()).isEmpty();
  }

  @Test
  void aFailedJobNamesNoPullRequestSoTheWorkflowAsksTheForge() {
    CiEvent.RunFailed f =
        (CiEvent.RunFailed)
            GitHubEvents.normalise(
                "workflow_job", Payloads.load("github/workflow_job/01_completed.json"));
    assertThat(f.pullRequest()).isEmpty();
  }

  @Test
  void theRealPassingRunIsRunSucceeded() {
    CiEvent e =
        GitHubEvents.normalise(
            "workflow_run", Payloads.load("github/workflow_run/01_completed.json"));
    assertThat(e).isInstanceOf(CiEvent.RunSucceeded.class);
    assertThat(e.run()).isEqualTo(new RunRef(OCTO, "289782451", 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"03_requested.json", "04_requested.json", "00_completed.json"})
  void requestedQueuedAndActionRequiredRunsAreIgnoredWithAReason(String file) {
    CiEvent e =
        GitHubEvents.normalise("workflow_run", Payloads.load("github/workflow_run/" + file));
    assertThat(e).isInstanceOf(CiEvent.Ignored.class);
    assertThat(((CiEvent.Ignored) e).reason()).isNotBlank();
  }

  @Test
  void aRunFromAForkIsMarkedSo() {
    ObjectNode p = Payloads.workflowRun("failure");
    ((ObjectNode) p.get("workflow_run").get("head_repository"))
        .put("full_name", "mallory/octo-repo");
    assertThat(((CiEvent.RunFailed) GitHubEvents.normalise("workflow_run", p)).fromFork()).isTrue();
  }

  @Test
  void theRealFailedJobBecomesRunFailedOnItsRunWithTheJobId() {
    CiEvent e =
        GitHubEvents.normalise(
            "workflow_job", Payloads.load("github/workflow_job/01_completed.json"));
    CiEvent.RunFailed f = (CiEvent.RunFailed) e;
    assertThat(f.run())
        .isEqualTo(
            new RunRef(
                new RepoRef(Provider.GITHUB, "github.com", "Codertocat/Hello-World"),
                "2202229078",
                1));
    assertThat(f.failedJobId()).isEqualTo("289782451");
    assertThat(f.url())
        .isEqualTo("https://github.com/Codertocat/Hello-World/actions/runs/2202229078");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00_in_progress.json",
        "02_completed.json",
        "03_in_progress.json",
        "04_in_progress.json",
        "05_queued.json",
        "06_queued.json",
        "07_waiting.json"
      })
  void jobsThatDidNotFailAreIgnored(String file) {
    assertThat(GitHubEvents.normalise("workflow_job", Payloads.load("github/workflow_job/" + file)))
        .isInstanceOf(CiEvent.Ignored.class);
  }

  @Test
  void checkSuitesAndPingsAreRecordedNotActedOn() {
    assertThat(
            GitHubEvents.normalise(
                "check_suite", Payloads.load("github/check_suite/00_completed.json")))
        .isInstanceOf(CiEvent.Ignored.class);
    assertThat(
            GitHubEvents.normalise(
                "check_suite", Payloads.load("github/check_suite/04_requested.json")))
        .isInstanceOf(CiEvent.Ignored.class);
    assertThat(GitHubEvents.normalise("ping", Payloads.load("github/ping/00_event.json")))
        .isEqualTo(new CiEvent.Ignored(null, "ping: the webhook is set up"));
  }

  @Test
  void aPayloadWithoutItsObjectIsRefusedByName() {
    assertThatThrownBy(
            () ->
                GitHubEvents.normalise("workflow_run", Payloads.load("github/ping/00_event.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the payload has no 'workflow_run' object");
  }
}
