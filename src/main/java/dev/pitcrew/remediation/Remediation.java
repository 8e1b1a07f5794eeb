package dev.pitcrew.remediation;

import dev.pitcrew.diagnosis.Diagnosis;
import java.io.IOException;
import java.util.Optional;

/**
 * Turns a diagnosis into a fix: first a {@link Plan} with no side effects, then, once the risk
 * policy allows it, the plan applied through the forge. The incident workflow calls this seam; the
 * actions behind it live in the sub-packages of {@code remediation}.
 */
public interface Remediation {

  /**
   * The plan for this diagnosis in this context, or empty when no registered action applies (a code
   * defect, say). Reads the forge or the checkout but changes nothing.
   */
  Optional<Plan> plan(Diagnosis diagnosis, RemediationContext context) throws IOException;

  /**
   * Applies a plan. Idempotent: a retried apply (after a crash, say) finds the branch, pull request
   * or re-run that an earlier attempt created and does not act twice.
   */
  Outcome apply(Plan plan, RemediationContext context) throws IOException;

  /**
   * The same remediation routing failed tests by the given flakiness history (the service's
   * database). By default unchanged: a remediation without a flaky-test route ignores it.
   */
  default Remediation withFlakiness(dev.pitcrew.remediation.testtiming.FlakinessTracker tracker) {
    return this;
  }
}
