package dev.pitcrew.forge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which repository file a run's workflow reference names, for the model's prompt. */
class WorkflowPathTest {
  @Test
  void readsTheFormsGitHubUses() {
    // the run's "path" in the REST example, the webhook's, and the documented full form
    assertThat(Forge.workflowPath(".github/workflows/build.yml@main"))
        .contains(".github/workflows/build.yml");
    assertThat(Forge.workflowPath(".github/workflows/ci.yaml"))
        .contains(".github/workflows/ci.yaml");
    assertThat(Forge.workflowPath("octocat/octo-repo/.github/workflows/ci.yml@main"))
        .contains(".github/workflows/ci.yml");
  }

  @Test
  void anIdOrSomethingOutsideTheRepositoryIsNoPath() {
    assertThat(Forge.workflowPath("159038")).isEmpty();
    assertThat(Forge.workflowPath(null)).isEmpty();
    assertThat(Forge.workflowPath("push")).isEmpty();
    assertThat(Forge.workflowPath("../../etc/x.yml")).isEmpty();
    assertThat(Forge.workflowPath("/etc/x.yml")).isEmpty();
  }
}
