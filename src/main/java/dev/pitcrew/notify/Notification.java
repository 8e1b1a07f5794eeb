package dev.pitcrew.notify;

import java.util.List;
import java.util.Optional;

/**
 * One message about one remediation action, in our words; each sink renders and escapes it.
 *
 * @param kind which template applies
 * @param actionId the remediation action ({@code ra-...})
 * @param repository {@code owner/name}
 * @param branch the failed run's branch
 * @param pipelineId the failed run or pipeline id
 * @param pipelineUrl the failed run's page
 * @param category the failure category ({@code dependency}, ...)
 * @param rootCause one sentence
 * @param evidenceLine the log line that best shows the root cause, with its number ("1234: text")
 * @param riskLevel low, medium or high
 * @param confidence 0..1
 * @param actionTaken what Pitcrew did, or proposes to do
 * @param suggestions suggested next steps for a person
 * @param newPipelineUrl the verifying run, when there is one
 * @param newPipelineStatus passed, failed or running, when known
 * @param pullRequestUrl the pull/merge request carrying the fix, when there is one
 * @param approveUrl where a person approves or rejects, for {@link Kind#AWAITING_APPROVAL}
 * @param timeSavedMinutes estimated manual minutes saved, when auto-fixed
 * @param attempts the attempts so far, for escalations
 */
public record Notification(
    Kind kind,
    String actionId,
    String repository,
    String branch,
    String pipelineId,
    String pipelineUrl,
    String category,
    String rootCause,
    String evidenceLine,
    String riskLevel,
    double confidence,
    String actionTaken,
    List<String> suggestions,
    Optional<String> newPipelineUrl,
    Optional<String> newPipelineStatus,
    Optional<String> pullRequestUrl,
    Optional<String> approveUrl,
    Optional<Double> timeSavedMinutes,
    List<String> attempts) {
  public Notification {
    suggestions = List.copyOf(suggestions);
    attempts = List.copyOf(attempts);
  }

  public enum Kind {
    AUTO_FIXED,
    MANUAL_REVIEW,
    AWAITING_APPROVAL,
    ESCALATED
  }
}
