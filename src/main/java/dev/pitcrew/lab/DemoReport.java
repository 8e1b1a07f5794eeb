package dev.pitcrew.lab;

import dev.pitcrew.store.ActionRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code pitcrew demo} measured, scenario by scenario, read from the execution-history records
 * the service wrote (never from the scenarios' expectations): the table people read and the JSON
 * report of docs/contracts.md.
 */
public final class DemoReport {
  /** One scenario's result. */
  public record Row(
      String name,
      String expectedCategory,
      boolean autoFixAllowed,
      String diagnosedCategory,
      String playbookId,
      String riskLevel,
      String action,
      boolean autoFixApplied,
      boolean pipelinePassedAfterFix,
      int attempts,
      Double timeToFixS,
      String pullRequest,
      boolean notified,
      String status,
      Integer notificationsReceived,
      List<String> auditEvents) {
    public Row {
      auditEvents = auditEvents == null ? List.of() : List.copyOf(auditEvents);
    }

    /**
     * Whether the incident's audit trail records every step it went through: received, diagnosed,
     * the policy's judgement (or why it was left to a person), and notified; for an applied fix
     * also the plan, the apply and its verification.
     */
    public boolean auditComplete() {
      List<String> need = new ArrayList<>(List.of("received", "diagnosed", "notified"));
      if (autoFixApplied) {
        need.addAll(List.of("planned", "judged", "apply.before", "verified"));
      }
      return auditEvents.containsAll(need)
          && (auditEvents.contains("judged") || auditEvents.contains("manual"));
    }

    /** The same row with the audit events of its incident, in order. */
    public Row withAuditEvents(List<String> events) {
      return new Row(
          name,
          expectedCategory,
          autoFixAllowed,
          diagnosedCategory,
          playbookId,
          riskLevel,
          action,
          autoFixApplied,
          pipelinePassedAfterFix,
          attempts,
          timeToFixS,
          pullRequest,
          notified,
          status,
          notificationsReceived,
          events);
    }

    /** The same row with the deliveries a receiver counted for it (null when none is watched). */
    public Row withNotificationsReceived(Integer n) {
      return new Row(
          name,
          expectedCategory,
          autoFixAllowed,
          diagnosedCategory,
          playbookId,
          riskLevel,
          action,
          autoFixApplied,
          pipelinePassedAfterFix,
          attempts,
          timeToFixS,
          pullRequest,
          notified,
          status,
          n,
          auditEvents);
    }
  }

  private final List<Row> rows;

  public DemoReport(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  public List<Row> rows() {
    return rows;
  }

  /**
   * A scenario's row from the service's record of it; an empty record means the service never
   * opened an incident (the webhook did not arrive or was rejected).
   */
  public static Row row(Scenario s, Optional<ActionRecord> record) {
    if (record.isEmpty()) {
      return new Row(
          s.name(),
          s.expectedCategory().wire(),
          s.autoFix(),
          "none",
          null,
          null,
          "none",
          false,
          false,
          0,
          null,
          null,
          false,
          "no incident",
          null,
          List.of());
    }
    ActionRecord a = record.get();
    String action =
        a.remediationStepsExecuted().isEmpty()
            ? "none"
            : a.remediationStepsExecuted().get(0).step();
    return new Row(
        s.name(),
        s.expectedCategory().wire(),
        s.autoFix(),
        a.failureCategory() == null ? "unknown" : a.failureCategory(),
        a.playbookUsed(),
        a.riskLevel(),
        action,
        a.autoFixApplied(),
        "passed".equals(a.newPipelineStatus()),
        a.attempt(),
        a.timeToFix(),
        a.pullRequestUrl(),
        a.userNotified(),
        a.status(),
        null,
        List.of());
  }

  /** Fixable scenarios that Pitcrew fixed on its own and whose pipeline then passed. */
  public double autoFixRate() {
    long fixable = rows.stream().filter(Row::autoFixAllowed).count();
    long fixed =
        rows.stream()
            .filter(r -> r.autoFixAllowed() && r.autoFixApplied() && r.pipelinePassedAfterFix())
            .count();
    return fixable == 0 ? 0.0 : (double) fixed / fixable;
  }

  /** Automatic actions that should not have happened: on a code defect, or on a misdiagnosis. */
  public long wrongActionCount() {
    return rows.stream()
        .filter(
            r ->
                r.autoFixApplied()
                    && (!r.autoFixAllowed() || !r.diagnosedCategory().equals(r.expectedCategory())))
        .count();
  }

  public long misdiagnosedCount() {
    return rows.stream().filter(r -> !r.diagnosedCategory().equals(r.expectedCategory())).count();
  }

  /**
   * The median time from the failure to the applied fix, over the scenarios fixed; null if none.
   */
  public Double medianTimeToFixS() {
    List<Double> t =
        rows.stream()
            .filter(Row::autoFixApplied)
            .map(Row::timeToFixS)
            .filter(x -> x != null)
            .sorted()
            .toList();
    if (t.isEmpty()) {
      return null;
    }
    int n = t.size();
    return n % 2 == 1 ? t.get(n / 2) : (t.get(n / 2 - 1) + t.get(n / 2)) / 2;
  }

  /** Scenarios whose incident notified someone (the service's record says so). */
  public long notifiedCount() {
    return rows.stream().filter(Row::notified).count();
  }

  /** Scenarios whose incident has a complete audit trail. */
  public long auditCompleteCount() {
    return rows.stream().filter(Row::auditComplete).count();
  }

  /** Deliveries counted at the demo's receiver, or null when no receiver watched. */
  public Integer notificationsReceived() {
    if (rows.stream().allMatch(r -> r.notificationsReceived() == null)) {
      return null;
    }
    return rows.stream()
        .mapToInt(r -> r.notificationsReceived() == null ? 0 : r.notificationsReceived())
        .sum();
  }

  /**
   * The JSON report of docs/contracts.md (plus misdiagnosed_count, notified_count, each row's
   * status and the deliveries the demo's receiver counted).
   */
  public Map<String, Object> json() {
    List<Map<String, Object>> scenarios = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("expected_category", r.expectedCategory());
      m.put("diagnosed_category", r.diagnosedCategory());
      m.put("playbook_id", r.playbookId());
      m.put("risk_level", r.riskLevel());
      m.put("action", r.action());
      m.put("auto_fix_applied", r.autoFixApplied());
      m.put("pipeline_passed_after_fix", r.pipelinePassedAfterFix());
      m.put("attempts", r.attempts());
      m.put("time_to_fix_s", r.timeToFixS());
      m.put("pull_request", r.pullRequest());
      m.put("notified", r.notified());
      m.put("status", r.status());
      if (r.notificationsReceived() != null) {
        m.put("notifications_received", r.notificationsReceived());
      }
      m.put("audit_events", r.auditEvents());
      m.put("audit_complete", r.auditComplete());
      scenarios.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenarios", scenarios);
    out.put("auto_fix_rate", autoFixRate());
    out.put("wrong_action_count", wrongActionCount());
    out.put("median_time_to_fix_s", medianTimeToFixS());
    out.put("misdiagnosed_count", misdiagnosedCount());
    out.put("notified_count", notifiedCount());
    out.put("audit_complete_count", auditCompleteCount());
    if (notificationsReceived() != null) {
      out.put("notifications_received", notificationsReceived());
    }
    return out;
  }

  /** The table and the totals, for a terminal. */
  public void print(PrintWriter out) {
    String fmt = "%-32s %-14s %-14s %-24s %8s %7s %8s %9s  %s%n";
    out.printf(
        fmt,
        "scenario",
        "expected",
        "diagnosed",
        "action",
        "attempts",
        "passed",
        "to fix",
        "notified",
        "status");
    for (Row r : rows) {
      out.printf(
          fmt,
          r.name(),
          r.expectedCategory(),
          r.diagnosedCategory(),
          r.action(),
          r.attempts(),
          r.autoFixApplied() ? (r.pipelinePassedAfterFix() ? "yes" : "no") : "-",
          r.timeToFixS() == null ? "-" : String.format(Locale.ROOT, "%.1f s", r.timeToFixS()),
          (r.notified() ? "yes" : "no")
              + (r.notificationsReceived() == null ? "" : " (" + r.notificationsReceived() + ")"),
          r.status());
    }
    long fixable = rows.stream().filter(Row::autoFixAllowed).count();
    out.printf(
        Locale.ROOT,
        "%nauto-fix rate %.0f%% of %d fixable scenarios; wrong actions %d; misdiagnosed %d;"
            + " median time to fix %s; notified %d of %d%s; complete audit trail %d of %d%n",
        autoFixRate() * 100,
        fixable,
        wrongActionCount(),
        misdiagnosedCount(),
        medianTimeToFixS() == null ? "-" : String.format(Locale.ROOT, "%.1f s", medianTimeToFixS()),
        notifiedCount(),
        rows.size(),
        notificationsReceived() == null
            ? ""
            : " (" + notificationsReceived() + " messages at the demo's Slack receiver)",
        auditCompleteCount(),
        rows.size());
    out.flush();
  }
}
