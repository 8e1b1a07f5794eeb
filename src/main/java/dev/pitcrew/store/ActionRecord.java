package dev.pitcrew.store;

import java.time.Instant;
import java.util.List;

/**
 * One remediation action: the execution-history record of docs/contracts.md, field for field
 * (rendered in snake_case by the API and by {@code pitcrew export}).
 */
public record ActionRecord(
    String actionId,
    String pipelineId,
    String pipelineUrl,
    String repository,
    String provider,
    String branch,
    String commitSha,
    String failureCategory,
    String rootCause,
    Double confidence,
    List<EvidenceLine> evidence,
    String playbookUsed,
    String riskLevel,
    String status,
    boolean autoFixApplied,
    boolean approvalRequired,
    List<StepResult> remediationStepsExecuted,
    String outcome,
    String newPipelineId,
    String newPipelineUrl,
    String newPipelineStatus,
    String pullRequestUrl,
    String incidentUrl,
    int attempt,
    Double timeToFix,
    Instant timestamp,
    boolean userNotified) {
  public ActionRecord {
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
    remediationStepsExecuted =
        remediationStepsExecuted == null ? List.of() : List.copyOf(remediationStepsExecuted);
  }

  /** A log line backing the diagnosis. */
  public record EvidenceLine(int line, String text) {}

  /** One executed remediation step, with its wall time in seconds. */
  public record StepResult(String step, String result, double duration, String detail) {}

  /** The statuses of contracts.md. */
  public static final List<String> STATUSES =
      List.of(
          "received",
          "diagnosing",
          "awaiting_approval",
          "remediating",
          "verifying",
          "succeeded",
          "failed",
          "escalated",
          "skipped");
}
