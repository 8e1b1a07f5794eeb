package dev.pitcrew.remediation;

import dev.pitcrew.diagnosis.Diagnosis;
import java.io.IOException;
import java.util.Optional;

/**
 * One named remediation ({@code retry_pipeline}, {@code add_dependency}, ...) as a small class: it
 * plans from a diagnosis without side effects and later applies exactly that plan. The names are
 * the step {@code action:} names the playbooks use.
 */
public interface Action {
  String name();

  /** The plan, or empty when this action has nothing to offer for the diagnosis. */
  Optional<Plan> plan(Diagnosis diagnosis, RemediationContext context, RepoFiles files)
      throws IOException;

  /** Applies a plan this action made; idempotent. */
  Outcome apply(Plan plan, RemediationContext context) throws IOException;
}
