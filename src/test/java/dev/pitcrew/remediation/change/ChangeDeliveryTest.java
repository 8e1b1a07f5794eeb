package dev.pitcrew.remediation.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RemediationContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeDeliveryTest {
  private Plan plan() {
    var d =
        Fixtures.diagnosis(Category.DEPENDENCY, RiskLevel.LOW, "add_dependency", Map.of("m", "x"));
    return new Plan(
        "add_dependency",
        RiskLevel.LOW,
        "add requests",
        List.of(Plans.change("requirements.txt", "flask\n", "flask\nrequests\n")),
        List.of(),
        Plans.withPullRequestText(Map.of(), d, "add requests", "Adds requests.", "https://ci/42"));
  }

  @Test
  void namesTheBranchAfterTheIncidentAndActionWithoutOddCharacters() {
    assertThat(ChangeDelivery.branchName("inc-7", "add_dependency"))
        .isEqualTo("pitcrew/inc-7-add_dependency");
    assertThat(ChangeDelivery.branchName("a$(curl x|sh)", "x y"))
        .isEqualTo("pitcrew/a--curl-x-sh--x-y");
  }

  @Test
  void opensOnePullRequestWithTheEvidenceAndTheFix() throws IOException {
    RecordingForge forge =
        new RecordingForge().seed("main", "sha0", Map.of("requirements.txt", "flask\n"));
    RemediationContext ctx = Fixtures.context(forge, 1, null);
    Outcome o = ChangeDelivery.deliver(plan(), ctx);
    assertThat(o.status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(o.pullRequest()).isPresent();
    assertThat(o.newRun())
        .as("the pipeline the fix's push started verifies it")
        .hasValueSatisfying(r -> assertThat(r.runId()).isEqualTo("run-of-c1"));
    assertThat(forge.branches.get("pitcrew/inc-1-add_dependency"))
        .containsEntry("requirements.txt", "flask\nrequests\n");
    assertThat(forge.branches.get("main")).containsEntry("requirements.txt", "flask\n");
    assertThat(forge.lastPullRequestBody)
        .contains(
            "## What failed", "line 12: `the evidence line`", "Adds requests.", "https://ci/42")
        .contains("## Verification");
    assertThat(forge.calls)
        .containsExactly(
            "branch pitcrew/inc-1-add_dependency",
            "commit pitcrew/inc-1-add_dependency [requirements.txt]",
            "pr pitcrew/inc-1-add_dependency -> main [pitcrew]");
  }

  @Test
  void aRetryAfterACrashBeforeThePullRequestFinishesWithOneBranchOneCommitOnePr()
      throws IOException {
    RecordingForge forge =
        new RecordingForge().seed("main", "sha0", Map.of("requirements.txt", "flask\n"));
    RemediationContext ctx = Fixtures.context(forge, 1, null);
    // the crash: branch and commit exist, the PR was never opened
    forge.ensureBranch(ctx.repo(), "pitcrew/inc-1-add_dependency", "sha0");
    forge.commitFiles(
        ctx.repo(),
        "pitcrew/inc-1-add_dependency",
        "m",
        Map.of("requirements.txt", "flask\nrequests\n"));
    forge.calls.clear();
    ChangeDelivery.deliver(plan(), ctx);
    ChangeDelivery.deliver(plan(), ctx);
    assertThat(forge.calls).containsExactly("pr pitcrew/inc-1-add_dependency -> main [pitcrew]");
    assertThat(forge.pullRequests).hasSize(1);
  }

  @Test
  void refusesToOverwriteAFileSomeoneChangedOnTheBranch() throws IOException {
    RecordingForge forge =
        new RecordingForge().seed("main", "sha0", Map.of("requirements.txt", "flask\n"));
    RemediationContext ctx = Fixtures.context(forge, 1, null);
    forge.ensureBranch(ctx.repo(), "pitcrew/inc-1-add_dependency", "sha0");
    forge.commitFiles(
        ctx.repo(), "pitcrew/inc-1-add_dependency", "m", Map.of("requirements.txt", "django\n"));
    Outcome o = ChangeDelivery.deliver(plan(), ctx);
    assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
    assertThat(o.detail()).contains("changed on pitcrew/inc-1-add_dependency");
    assertThat(forge.pullRequests).isEmpty();
  }
}
