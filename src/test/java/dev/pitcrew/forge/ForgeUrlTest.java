package dev.pitcrew.forge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForgeUrlTest {
  @Test
  void readsAGitHubRunAndJobUrl() {
    assertThat(ForgeUrl.parse("https://github.com/octocat/Hello-World/actions/runs/30433642"))
        .contains(
            new ForgeUrl(
                new RepoRef(Provider.GITHUB, "github.com", "octocat/Hello-World"),
                "30433642",
                0,
                null));
    ForgeUrl job =
        ForgeUrl.parse("https://GHE.corp.example/org/app/actions/runs/7/attempts/2/job/99/")
            .orElseThrow();
    assertThat(job.repo().host()).isEqualTo("ghe.corp.example");
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.jobId()).isEqualTo("99");
  }

  @Test
  void readsAGitLabPipelineAndJobUrlWithNestedGroups() {
    ForgeUrl p =
        ForgeUrl.parse("https://gitlab.com/group/sub/project/-/pipelines/46").orElseThrow();
    assertThat(p.provider()).isEqualTo(Provider.GITLAB);
    assertThat(p.repo().fullName()).isEqualTo("group/sub/project");
    assertThat(p.runId()).isEqualTo("46");
    ForgeUrl j = ForgeUrl.parse("https://git.corp/team/app/-/jobs/8").orElseThrow();
    assertThat(j.runId()).isNull();
    assertThat(j.jobId()).isEqualTo("8");
  }

  @Test
  void rejectsUrlsThatNameNoRun() {
    assertThat(ForgeUrl.parse("https://github.com/octocat/Hello-World/pull/1")).isEmpty();
    assertThat(ForgeUrl.parse("https://gitlab.com/group/project/-/merge_requests/1")).isEmpty();
    assertThat(ForgeUrl.parse("not a url at all")).isEmpty();
  }
}
