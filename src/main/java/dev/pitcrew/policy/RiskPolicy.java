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
}
