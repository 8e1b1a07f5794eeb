package dev.pitcrew.forge.gitlab;

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
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contract tests on GitLab's documented webhook payloads (src/test/resources/webhooks/gitlab). */
class GitLabEventsTest {
  private static final RepoRef PROJECT =
      new RepoRef(Provider.GITLAB, "192.168.64.1:3005", "gitlab-org/gitlab-test", "1");

  @Test
  void aFailedPipelineBecomesRunFailedWithTheFirstFailedJob() {
    CiEvent.RunFailed f = (CiEvent.RunFailed) GitLabEvents.normalise(Payloads.pipeline("failed"));
    assertThat(f.run()).isEqualTo(new RunRef(PROJECT, "31", 1));
    assertThat(f.failedJobId()).isEqualTo("378");
    assertThat(f.branch()).isEqualTo("master");
    assertThat(f.url()).isEqualTo("http://example.com/gitlab-org/gitlab-test/-/pipelines/31");
    assertThat(f.actor()).isEqualTo("root");
    assertThat(f.fromFork()).isFalse();
    assertThat(f.at()).isEqualTo(Instant.parse("2016-08-12T15:26:29Z"));
  }

  @Test
  void aFailedMergeRequestPipelineNamesTheMergeRequestByItsIid() {
    // the documented Pipeline Hook is a merge_request_event pipeline of MR !1 (test → master)
    CiEvent.RunFailed f = (CiEvent.RunFailed) GitLabEvents.normalise(Payloads.pipeline("failed"));
    assertThat(f.pullRequest())
        .contains(
            new PullRequest(
                PROJECT,
                "1",
                "http://192.168.64.1:3005/gitlab-org/gitlab-test/merge_requests/1",
                "test",
                "master",
                "open"));
  }

  @Test
  void aPipelineWithoutAMergeRequestOrFromAForkNamesNone() {
    ObjectNode p = Payloads.pipeline("failed");
    p.remove("merge_request");
    assertThat(((CiEvent.RunFailed) GitLabEvents.normalise(p)).pullRequest()).isEmpty();
    ObjectNode fork = Payloads.pipeline("failed");
    ((ObjectNode) fork.get("merge_request")).put("source_project_id", 99);
    assertThat(((CiEvent.RunFailed) GitLabEvents.normalise(fork)).pullRequest()).isEmpty();
  }

  @Test
  void theDocumentedPassingPipelineIsRunSucceeded() {
    assertThat(GitLabEvents.normalise(Payloads.load("gitlab/pipeline_hook.json")))
        .isInstanceOf(CiEvent.RunSucceeded.class);
  }

  @Test
  void aMergeRequestPipelineFromAnotherProjectIsAFork() {
    ObjectNode p = Payloads.pipeline("failed");
    ((ObjectNode) p.get("merge_request")).put("source_project_id", 99);
    assertThat(((CiEvent.RunFailed) GitLabEvents.normalise(p)).fromFork()).isTrue();
  }

  @Test
  void aFailedJobBecomesRunFailedOnItsPipeline() {
    ObjectNode p = Payloads.load("gitlab/job_hook.json");
    assertThat(GitLabEvents.normalise(p)).isInstanceOf(CiEvent.Ignored.class);
    p.put("build_status", "failed");
    CiEvent.RunFailed f = (CiEvent.RunFailed) GitLabEvents.normalise(p);
    assertThat(f.run())
        .isEqualTo(
            new RunRef(
                new RepoRef(Provider.GITLAB, "192.168.64.1:3005", "gitlab-org/gitlab-test", "380"),
                "2366",
                1));
    assertThat(f.failedJobId()).isEqualTo("1977");
    p.put("build_allow_failure", true);
    assertThat(GitLabEvents.normalise(p)).isInstanceOf(CiEvent.Ignored.class);
  }

  @Test
  void otherHooksAreIgnoredAndAPayloadWithoutAKindIsRefused() {
    for (String hook :
        List.of(
            "push_hook.json",
            "tag_push_hook.json",
            "merge_request_hook.json",
            "deployment_hook.json")) {
      assertThat(GitLabEvents.normalise(Payloads.load("gitlab/" + hook)))
          .as(hook)
          .isInstanceOf(CiEvent.Ignored.class);
    }
    assertThatThrownBy(() -> GitLabEvents.normalise(Payloads.JSON.createObjectNode()))
        .hasMessage("the payload has no 'object_kind'");
  }
}
