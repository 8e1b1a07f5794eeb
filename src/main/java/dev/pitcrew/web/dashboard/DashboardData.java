package dev.pitcrew.web.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What the dashboard shows, as aggregates the store computes: the pages never load all actions, so
 * they stay fast with 100,000 of them. Kept apart from the SQL so that the views can be rendered
 * and tested from any source of these figures.
 */
public interface DashboardData {

  /** Failures per day for the last {@code days} days (oldest first, days without any included). */
  List<DayCount> failureTrend(int days);

  /** Per failure category: how many actions and how they ended, most frequent first. */
  List<CategoryStats> categories();

  /** Manual effort avoided by successful automatic fixes, net of the time they took. */
  TimeSaved timeSaved();

  /** One page of actions, newest first; {@code page} counts from 1. */
  Page<ActionRow> recentActions(int page, int size);

  /** One action with its evidence, steps and audit trail; empty when there is no such action. */
  Optional<ActionDetail> action(String actionId);

  /**
   * Actions waiting for a person to approve or reject them, oldest first, at most {@code limit}.
   */
  List<ActionRow> pendingApprovals(int limit);

  /** Every playbook that has been used, with its live success rate, most used first. */
  List<PlaybookStats> playbooks();

  /** One day of the trend. */
  record DayCount(LocalDate day, long failures, long autoFixed) {}

  /**
   * How the actions of one category ended. {@code succeeded} were fixed automatically, {@code
   * manual} needed a person, {@code failed} were attempted and did not help.
   */
  record CategoryStats(String category, long total, long succeeded, long failed, long manual) {
    /** Successes among the actions that have ended; empty before any has. */
    public Optional<Double> successRate() {
      long decided = succeeded + failed + manual;
      return decided == 0 ? Optional.empty() : Optional.of((double) succeeded / decided);
    }
  }

  /** Estimated time saved and how many fixes it is based on. */
  record TimeSaved(Duration saved, long fixes) {}

  /** A page of rows and where it sits among all of them. */
  record Page<T>(List<T> rows, int page, int size, long total) {
    public Page {
      rows = List.copyOf(rows);
    }

    public int pages() {
      return (int) Math.max(1, (total + size - 1) / size);
    }
  }

  /** One line of the actions list. */
  record ActionRow(
      String actionId,
      Instant createdAt,
      String repository,
      String branch,
      String pipelineId,
      String category,
      String rootCause,
      String riskLevel,
      String status,
      String outcome,
      String playbook,
      Optional<String> firstEvidence) {}

  /** One action with everything the detail page shows. */
  record ActionDetail(
      ActionRow row,
      Optional<String> pipelineUrl,
      Optional<String> commitSha,
      Optional<Double> confidence,
      List<EvidenceLine> evidence,
      List<StepResult> steps,
      Optional<String> newPipelineUrl,
      Optional<String> newPipelineStatus,
      Optional<String> pullRequestUrl,
      Optional<String> incidentUrl,
      int attempt,
      Optional<Double> timeToFixSeconds,
      boolean userNotified,
      List<AuditEntry> audit) {
    public ActionDetail {
      evidence = List.copyOf(evidence);
      steps = List.copyOf(steps);
      audit = List.copyOf(audit);
    }
  }

  /** A log line backing the diagnosis; {@code line} is 0 when the store did not say. */
  record EvidenceLine(int line, String text) {}

  /** One executed remediation step. */
  record StepResult(String step, String result, Optional<Double> durationSeconds, String detail) {}

  /** One entry of the audit trail. */
  record AuditEntry(long seq, Instant at, String actor, String event, String detail) {}

  /** A playbook's record in the store: how often it was used and how often it fixed the run. */
  record PlaybookStats(String playbookId, String category, long used, long succeeded, long ended) {
    public Optional<Double> successRate() {
      return ended == 0 ? Optional.empty() : Optional.of((double) succeeded / ended);
    }
  }
}
