package dev.pitcrew.policy;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.remediation.Plan;

/**
 * Decides whether a plan may be applied: from the plan's risk and content, the diagnosis and its
 * source (an LLM-only diagnosis never auto-applies above low risk), the attempt count (at most 3
 * per pipeline) and the repository's settings.
 */
public interface RiskPolicy {
  Verdict judge(Diagnosis diagnosis, Plan plan, int attempt);

  /**
   * This policy as tightened (or, for workflow edits, opted into) by a repository's own {@code
   * .pitcrew.yml}, given its text. Policies without repository settings ignore it.
   *
   * @throws IllegalArgumentException when the file is invalid; the caller keeps the defaults and
   *     records why
   */
  default RiskPolicy forRepository(String settingsYaml) {
    return this;
  }
}
