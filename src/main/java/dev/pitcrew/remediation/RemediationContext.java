package dev.pitcrew.remediation;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a remediation acts.
 *
 * @param forge the forge the failed run belongs to
 * @param repo the repository
 * @param run the failed run
 * @param attempt 1 for the first automatic attempt on this pipeline, at most 3
 * @param checkout a local checkout to plan file changes against, when there is one (the CLI's
 *     {@code --repo DIR}); otherwise files are read through the forge
 * @param incidentId the incident this remediation belongs to, used to name branches and to make
 *     acting idempotent
 * @param reproduction how to re-run the failing step in a scratch checkout of a fix's branch before
 *     its pull request opens; empty to skip that
 */
public record RemediationContext(
    Forge forge,
    RepoRef repo,
    Run run,
    int attempt,
    Optional<Path> checkout,
    String incidentId,
    Optional<dev.pitcrew.remediation.change.Reproduction> reproduction) {

  public RemediationContext(
      Forge forge, RepoRef repo, Run run, int attempt, Optional<Path> checkout, String incidentId) {
    this(forge, repo, run, attempt, checkout, incidentId, Optional.empty());
  }

  /** This context, reproducing failures locally as {@code r} says unless it already does. */
  public RemediationContext withReproduction(
      Optional<dev.pitcrew.remediation.change.Reproduction> r) {
    return reproduction.isPresent() || r.isEmpty()
        ? this
        : new RemediationContext(forge, repo, run, attempt, checkout, incidentId, r);
  }
}
