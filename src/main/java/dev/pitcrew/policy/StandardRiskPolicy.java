package dev.pitcrew.policy;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.policy.Verdict.Decision;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import java.util.List;
import java.util.Set;

/**
 * The risk policy: low risk applies, medium applies and announces, high waits for a person. On top
 * of that, in this order: the global kill switch, the repository's opt-out, never act on code
 * defects, at most {@code maxAttempts} attempts per pipeline, never let an LLM-only diagnosis add a
 * dependency or set a variable or apply above low risk, and the repository's tightening.
 */
public final class StandardRiskPolicy implements RiskPolicy {
  private static final Set<String> ADDS_OR_SETS = Set.of("add_dependency", "set_ci_variable");

  /** Paths whose change alters what CI runs; they need the repository's consent. */
  private static final List<String> WORKFLOW_PATHS =
      List.of(
          ".github/workflows/", ".github/actions/", ".gitlab-ci.yml", ".gitlab/ci/", ".circleci/");

  private final boolean killSwitch;
  private final int maxAttempts;
  private final RepoSettings repo;

  public StandardRiskPolicy(boolean killSwitch, int maxAttempts, RepoSettings repo) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    this.killSwitch = killSwitch;
    this.maxAttempts = maxAttempts;
    this.repo = repo;
  }

  public StandardRiskPolicy(RepoSettings repo) {
    this(false, 3, repo);
  }

  @Override
  public RiskPolicy forRepository(String settingsYaml) {
    return new StandardRiskPolicy(killSwitch, maxAttempts, RepoSettings.parse(settingsYaml));
  }

  @Override
  public Verdict judge(Diagnosis d, Plan plan, int attempt) {
    if (killSwitch) {
      return deny("the global kill switch is on, so Pitcrew applies nothing");
    }
    if (!repo.enabled()) {
      return deny("the repository opted out in " + RepoSettings.FILE);
    }
    if (!d.category().fixable()) {
      return deny(
          "a "
              + d.category().wire()
              + " failure needs a person; Pitcrew never acts on it automatically");
    }
    if (Plans.SUGGESTION.equals(plan.action())) {
      return new Verdict(Decision.NOTIFY, "the plan is advice for a person and changes nothing");
    }
    boolean escalation = "escalate".equals(plan.action());
    if (attempt > maxAttempts && !escalation) {
      return deny(
          "this pipeline already had " + maxAttempts + " automatic attempts; a person takes over");
    }
    if (escalation) {
      return new Verdict(
          Decision.NOTIFY, "escalating to the owners after " + maxAttempts + " failed attempts");
    }
    if (repo.deniedActions().contains(plan.action())) {
      return deny("the repository's " + RepoSettings.FILE + " denies " + plan.action());
    }
    boolean llmOnly = d.analyzer() == null || !d.analyzer().contains("rules");
    if (llmOnly && ADDS_OR_SETS.contains(plan.action())) {
      return deny(
          "the diagnosis comes from "
              + d.analyzer()
              + " alone, which may never "
              + (plan.action().equals("add_dependency")
                  ? "add a dependency"
                  : "set a CI variable"));
    }
    String needs = plan.params().get(Plans.NEEDS_APPROVAL);
    if (needs != null && !needs.isBlank()) {
      return new Verdict(Decision.ASK, needs);
    }
    boolean touchesWorkflow = plan.fileChanges().stream().anyMatch(fc -> isWorkflowFile(fc.path()));
    if (touchesWorkflow && repo.workflowChanges() == RepoSettings.WorkflowChanges.DENY) {
      return deny("the plan edits CI configuration, which " + RepoSettings.FILE + " denies");
    }
    RiskLevel risk = d.riskLevel().max(plan.risk());
    if (llmOnly && risk != RiskLevel.LOW) {
      return new Verdict(
          Decision.ASK,
          "the diagnosis comes from "
              + d.analyzer()
              + " alone and the plan is "
              + risk.wire()
              + " risk, so a person approves it");
    }
    if (touchesWorkflow && repo.workflowChanges() == RepoSettings.WorkflowChanges.ASK) {
      return new Verdict(
          Decision.ASK, "the plan edits CI configuration files, which a person approves first");
    }
    if (repo.approvalFrom().isPresent() && risk.compareTo(repo.approvalFrom().get()) >= 0) {
      return new Verdict(
          Decision.ASK,
          risk.wire()
              + " risk"
              + (risk == RiskLevel.HIGH ? "" : " and the repository asks for approval from there")
              + ", so a person approves it first");
    }
    if (risk == RiskLevel.MEDIUM) {
      return new Verdict(Decision.NOTIFY, "medium risk: applied, and the developer is told");
    }
    return new Verdict(Decision.ALLOW, "low risk: applied automatically");
  }

  static boolean isWorkflowFile(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return WORKFLOW_PATHS.stream().anyMatch(w -> w.endsWith("/") ? p.startsWith(w) : p.equals(w));
  }

  private static Verdict deny(String reason) {
    return new Verdict(Decision.DENY, reason);
  }
}
