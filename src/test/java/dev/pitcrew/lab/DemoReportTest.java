package dev.pitcrew.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.store.ActionRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoReportTest {
  private static Scenario scenario(String name, Category c) {
    return new Scenario(
        name,
        name,
        "",
        c,
        Optional.empty(),
        c.fixable() ? "retry_pipeline" : "none",
        c.fixable(),
        Optional.empty(),
        Scenario.World.none(),
        new Scenario.Fix.Rerun(),
        Map.of("README.md", "x"));
  }

  private static ActionRecord record(
      String category, boolean applied, String newStatus, Double ttf, String step) {
    return new ActionRecord(
        "ra-1",
        "1",
        "u",
        "lab/x",
        "github",
        "main",
        "abc",
        category,
        "cause",
        0.9,
        List.of(),
        "pb-x",
        "low",
        applied ? "succeeded" : "skipped",
        applied,
        false,
        step == null ? List.of() : List.of(new ActionRecord.StepResult(step, "success", 0.1, "")),
        applied ? "success" : "manual",
        null,
        null,
        newStatus,
        null,
        null,
        1,
        ttf,
        Instant.EPOCH,
        true);
  }

  @Test
  void ratesComeFromWhatTheServiceRecordedNotFromTheScenarios() {
    DemoReport r =
        new DemoReport(
            List.of(
                DemoReport.row(
                    scenario("a", Category.INFRASTRUCTURE),
                    Optional.of(record("infrastructure", true, "passed", 4.0, "retry_pipeline"))),
                DemoReport.row(
                    scenario("b", Category.TEST),
                    Optional.of(record("test", true, "failed", 8.0, "retry_pipeline"))),
                DemoReport.row(
                    scenario("c", Category.RESOURCE),
                    Optional.of(record("resource", true, "passed", 2.0, "free_disk"))),
                DemoReport.row(
                    scenario("d", Category.CODE),
                    Optional.of(record("code", false, null, null, null))),
                DemoReport.row(scenario("e", Category.DEPENDENCY), Optional.empty())));

    assertThat(r.autoFixRate()).isEqualTo(2.0 / 4);
    assertThat(r.wrongActionCount()).isZero();
    assertThat(r.medianTimeToFixS()).isEqualTo(4.0);
    assertThat(r.misdiagnosedCount()).isEqualTo(1);
    assertThat(r.rows().get(4).status()).isEqualTo("no incident");
    Map<String, Object> json = r.json();
    assertThat(json)
        .containsKeys("scenarios", "auto_fix_rate", "wrong_action_count", "median_time_to_fix_s");
    @SuppressWarnings("unchecked")
    var first = ((List<Map<String, Object>>) json.get("scenarios")).get(0);
    assertThat(first)
        .containsKeys(
            "name",
            "expected_category",
            "diagnosed_category",
            "playbook_id",
            "risk_level",
            "action",
            "auto_fix_applied",
            "pipeline_passed_after_fix",
            "attempts",
            "time_to_fix_s",
            "pull_request",
            "notified")
        .containsEntry("action", "retry_pipeline");
    StringWriter out = new StringWriter();
    r.print(new PrintWriter(out));
    assertThat(out.toString()).contains("auto-fix rate 50% of 4 fixable scenarios");
  }

  @Test
  void anActionOnACodeDefectOrAMisdiagnosisIsWrong() {
    DemoReport r =
        new DemoReport(
            List.of(
                DemoReport.row(
                    scenario("code", Category.CODE),
                    Optional.of(record("code", true, "passed", 1.0, "retry_pipeline"))),
                DemoReport.row(
                    scenario("dep", Category.DEPENDENCY),
                    Optional.of(record("infrastructure", true, "failed", 1.0, "retry_pipeline")))));
    assertThat(r.wrongActionCount()).isEqualTo(2);
  }

  @Test
  void anAuditTrailIsCompleteWhenItRecordsEveryStepTheIncidentTook() {
    DemoReport.Row fixed =
        DemoReport.row(
            scenario("a", Category.RESOURCE),
            Optional.of(record("resource", true, "passed", 2.0, "free_disk")));
    assertThat(
            fixed
                .withAuditEvents(
                    List.of(
                        "received",
                        "diagnosed",
                        "planned",
                        "judged",
                        "apply.before",
                        "verified",
                        "notified"))
                .auditComplete())
        .isTrue();
    assertThat(
            fixed
                .withAuditEvents(List.of("received", "diagnosed", "planned", "judged", "notified"))
                .auditComplete())
        .as("an applied fix without its verification is not a complete trail")
        .isFalse();
    assertThat(fixed.auditComplete()).isFalse();
  }
}
