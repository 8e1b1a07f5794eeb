package dev.pitcrew.remediation;

import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RunRef;
import java.util.Optional;

/**
 * What applying a plan did.
 *
 * @param status {@code APPLIED} (acted; verification follows), {@code FAILED} (could not act), or
 *     {@code NOTHING_TO_DO} (an earlier attempt already did it, or the change is already there)
 * @param detail one sentence for the audit log and the notification
 * @param newRun the run that verifies the fix, when the action started one
 * @param pullRequest the pull/merge request that carries the fix, when there is one
 */
public record Outcome(
    Status status, String detail, Optional<RunRef> newRun, Optional<PullRequest> pullRequest) {
  public enum Status {
    APPLIED,
    FAILED,
    NOTHING_TO_DO
  }
}
