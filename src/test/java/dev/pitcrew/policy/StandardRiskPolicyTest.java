package dev.pitcrew.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.policy.Verdict.Decision;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardRiskPolicyTest {
  private final StandardRiskPolicy policy = new StandardRiskPolicy(RepoSettings.DEFAULT);

  private static Plan plan(String action, RiskLevel risk) {
    return new Plan(action, risk, "s", List.of(), List.of("call"), Map.of());
  }

  private static Diagnosis d(Category c, RiskLevel r, String analyzer) {
    return Fixtures.diagnosis(c, r, "retry_pipeline", Map.of(), analyzer);
  }

  @Test
  void lowAppliesMediumNotifiesHighAsks() {
    Diagnosis dep = d(Category.DEPENDENCY, RiskLevel.LOW, "rules");
    assertThat(policy.judge(dep, plan("bump_dependency", RiskLevel.LOW), 1).decision())
        .isEqualTo(Decision.ALLOW);
    assertThat(policy.judge(dep, plan("bump_dependency", RiskLevel.MEDIUM), 1).decision())
        .isEqualTo(Decision.NOTIFY);
    Verdict high = policy.judge(dep, plan("bump_dependency", RiskLevel.HIGH), 1);
    assertThat(high.decision()).isEqualTo(Decision.ASK);
    assertThat(high.reason()).isEqualTo("high risk, so a person approves it first");
  }

  @Test
  void thePlaybooksRiskCountsEvenWhenThePlanLooksHarmless() {
    Diagnosis medium = d(Category.ENVIRONMENT, RiskLevel.MEDIUM, "rules");
    assertThat(policy.judge(medium, plan("retry_pipeline", RiskLevel.LOW), 1).decision())
        .isEqualTo(Decision.NOTIFY);
  }

  @Test
  void neverActsOnCodeDefects() {
    Verdict v =
        policy.judge(
            d(Category.CODE, RiskLevel.LOW, "rules"), plan("retry_pipeline", RiskLevel.LOW), 1);
    assertThat(v.decision()).isEqualTo(Decision.DENY);
    assertThat(v.reason()).contains("code failure needs a person");
  }

  @Test
  void stopsAfterThreeAttemptsPerPipeline() {
    Diagnosis infra = d(Category.INFRASTRUCTURE, RiskLevel.LOW, "rules");
    assertThat(policy.judge(infra, plan("retry_pipeline", RiskLevel.LOW), 3).decision())
        .isEqualTo(Decision.ALLOW);
    assertThat(policy.judge(infra, plan("retry_pipeline", RiskLevel.LOW), 4).decision())
        .isEqualTo(Decision.DENY);
    assertThat(policy.judge(infra, plan("escalate", RiskLevel.LOW), 4).decision())
        .isEqualTo(Decision.NOTIFY);
  }

  @Test
  void anLlmOnlyDiagnosisNeverAddsADependencyOrSetsAVariable() {
    Diagnosis llm = d(Category.DEPENDENCY, RiskLevel.LOW, "llm");
    assertThat(policy.judge(llm, plan("add_dependency", RiskLevel.LOW), 1).decision())
        .isEqualTo(Decision.DENY);
    assertThat(policy.judge(llm, plan("set_ci_variable", RiskLevel.LOW), 1).reason())
        .contains("may never set a CI variable");
    assertThat(policy.judge(llm, plan("retry_pipeline", RiskLevel.LOW), 1).decision())
        .isEqualTo(Decision.ALLOW);
    assertThat(policy.judge(llm, plan("increase_memory", RiskLevel.MEDIUM), 1).decision())
        .isEqualTo(Decision.ASK);
    Diagnosis confirmed = d(Category.DEPENDENCY, RiskLevel.LOW, "rules+llm");
    assertThat(policy.judge(confirmed, plan("add_dependency", RiskLevel.LOW), 1).decision())
        .isEqualTo(Decision.ALLOW);
  }

  @Test
  void aPlanThatNeedsApprovalWaitsForAPersonWithItsReason() {
    Plan p =
        new Plan(
            "add_dependency",
            RiskLevel.LOW,
            "s",
            List.of(),
            List.of(),
            Map.of(Plans.NEEDS_APPROVAL, "reqeusts is not in the lockfile"));
    Verdict v = policy.judge(d(Category.DEPENDENCY, RiskLevel.LOW, "rules"), p, 1);
    assertThat(v).isEqualTo(new Verdict(Decision.ASK, "reqeusts is not in the lockfile"));
  }

  @Test
  void theKillSwitchAndTheRepositoryOptOutStopEverything() {
    Diagnosis infra = d(Category.INFRASTRUCTURE, RiskLevel.LOW, "rules");
    assertThat(
            new StandardRiskPolicy(true, 3, RepoSettings.DEFAULT)
                .judge(infra, plan("retry_pipeline", RiskLevel.LOW), 1)
                .decision())
        .isEqualTo(Decision.DENY);
    var optedOut = RepoSettings.parse("enabled: false\n");
    Verdict v =
        new StandardRiskPolicy(optedOut).judge(infra, plan("retry_pipeline", RiskLevel.LOW), 1);
    assertThat(v.decision()).isEqualTo(Decision.DENY);
    assertThat(v.reason()).contains(".pitcrew.yml");
  }

  @Test
  void aRepositoryCanRequireApprovalForEverythingAndDenyActions() {
    var strict =
        RepoSettings.parse(
            """
            remediation:
              require_approval: all
              deny_actions: [set_ci_variable]
            """);
    var p = new StandardRiskPolicy(strict);
    Diagnosis infra = d(Category.INFRASTRUCTURE, RiskLevel.LOW, "rules");
    assertThat(p.judge(infra, plan("retry_pipeline", RiskLevel.LOW), 1).decision())
        .isEqualTo(Decision.ASK);
    assertThat(p.judge(infra, plan("set_ci_variable", RiskLevel.LOW), 1).decision())
        .isEqualTo(Decision.DENY);
  }

  @Test
  void workflowFileEditsNeedConsent() {
    Plan edit =
        new Plan(
            "increase_job_timeout",
            RiskLevel.LOW,
            "s",
            List.of(Plans.change(".github/workflows/ci.yml", "a\n", "b\n")),
            List.of(),
            Map.of());
    Diagnosis res = d(Category.RESOURCE, RiskLevel.LOW, "rules");
    assertThat(policy.judge(res, edit, 1).decision()).isEqualTo(Decision.ASK);
    var allow = RepoSettings.parse("remediation: {workflow_changes: allow}");
    assertThat(new StandardRiskPolicy(allow).judge(res, edit, 1).decision())
        .isEqualTo(Decision.ALLOW);
    var deny = RepoSettings.parse("remediation: {workflow_changes: deny}");
    assertThat(new StandardRiskPolicy(deny).judge(res, edit, 1).decision())
        .isEqualTo(Decision.DENY);
  }

  @Test
  void aRepositorysOwnFileShapesThePolicyButKeepsTheGlobalKillSwitch() {
    Plan edit =
        new Plan(
            "free_disk",
            RiskLevel.LOW,
            "s",
            List.of(Plans.change(".github/workflows/ci.yml", "a\n", "b\n")),
            List.of(),
            Map.of());
    Diagnosis res = d(Category.RESOURCE, RiskLevel.LOW, "rules");
    RiskPolicy opted = policy.forRepository("remediation: {workflow_changes: allow}\n");
    assertThat(opted.judge(res, edit, 1).decision()).isEqualTo(Decision.ALLOW);
    assertThat(policy.forRepository("enabled: false\n").judge(res, edit, 1).decision())
        .isEqualTo(Decision.DENY);
    RiskPolicy killed =
        new StandardRiskPolicy(true, 3, RepoSettings.DEFAULT)
            .forRepository("remediation: {workflow_changes: allow}\n");
    assertThat(killed.judge(res, edit, 1).decision()).isEqualTo(Decision.DENY);
    assertThatThrownBy(() -> policy.forRepository("remediation: {workflow_changes: maybe}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workflow_changes");
  }

  @Test
  void aSuggestionIsAnnouncedNotApplied() {
    Diagnosis dep = d(Category.DEPENDENCY, RiskLevel.LOW, "rules");
    assertThat(policy.judge(dep, plan(Plans.SUGGESTION, RiskLevel.LOW), 1).decision())
        .isEqualTo(Decision.NOTIFY);
  }
}
