package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.web.dashboard.DashboardData.ActionRow;
import dev.pitcrew.web.dashboard.DashboardData.CategoryStats;
import dev.pitcrew.web.dashboard.DashboardData.DayCount;
import dev.pitcrew.web.dashboard.TestStore.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SqlDashboardDataIT {
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  static final Instant TODAY_10 = Instant.parse("2026-11-28T10:00:00Z");
  static TestStore store;
  static SqlDashboardData data;

  @BeforeAll
  static void seed() {
    store = TestStore.h2();
    store.insert(
        Action.of("a1", TODAY_10, "dependency", "succeeded", "success").withTimeToFix(120.0),
        Action.of("a2", NOW.minus(Duration.ofHours(27)), "dependency", "failed", "failure"),
        Action.of("a3", NOW.minus(Duration.ofHours(26)), "test", "succeeded", "success")
            .withTimeToFix(60.0),
        Action.of("a4", NOW.minus(Duration.ofHours(50)), "code", "skipped", "manual"),
        Action.of("a5", NOW.minus(Duration.ofDays(40)), "test", "awaiting_approval", "pending"),
        Action.of(
            "a6", NOW.minus(Duration.ofHours(1)), "resource", "awaiting_approval", "pending"));
    store.audit(1, "a1", TODAY_10, "pitcrew", "diagnosed", "dependency via pb-dependency-sample");
    store.audit(2, "a1", TODAY_10.plusSeconds(5), "pitcrew", "remediated", "retry_pipeline");
    store.audit(3, "a2", TODAY_10, "pitcrew", "diagnosed", "other incident");
    data = new SqlDashboardData(store.db, Clock.fixed(NOW, ZoneOffset.UTC), TestStore.EFFORT);
  }

  @Test
  void countsFailuresPerUtcDayIncludingEmptyDays() {
    List<DayCount> trend = data.failureTrend(4);
    assertThat(trend)
        .containsExactly(
            new DayCount(LocalDate.parse("2026-11-25"), 0, 0),
            new DayCount(LocalDate.parse("2026-11-26"), 1, 0),
            new DayCount(LocalDate.parse("2026-11-27"), 2, 1),
            new DayCount(LocalDate.parse("2026-11-28"), 2, 1));
  }

  @Test
  void refusesAnAbsurdTrendWindow() {
    assertThatThrownBy(() -> data.failureTrend(0)).hasMessageContaining("days must be 1 to 366");
  }

  @Test
  void groupsOutcomesByCategoryMostFrequentFirst() {
    assertThat(data.categories())
        .containsExactly(
            new CategoryStats("dependency", 2, 1, 1, 0),
            new CategoryStats("test", 2, 1, 0, 0),
            new CategoryStats("code", 1, 0, 0, 1),
            new CategoryStats("resource", 1, 0, 0, 0));
    assertThat(data.categories().get(0).successRate()).contains(0.5);
    assertThat(data.categories().get(3).successRate()).isEmpty();
  }

  @Test
  void timeSavedIsManualEffortMinusTheAutomaticRunTime() {
    // two fixes at 30 minutes of manual work each, minus 120 s and 60 s of automatic work
    assertThat(data.timeSaved().saved()).isEqualTo(Duration.ofMinutes(60).minusSeconds(180));
    assertThat(data.timeSaved().fixes()).isEqualTo(2);
    var perCategory =
        new SqlDashboardData(
            store.db,
            Clock.fixed(NOW, ZoneOffset.UTC),
            dev.pitcrew.metrics.TimeSaved.fromMinutes(
                java.util.Map.of("dependency", 30.0, "test", 10.0)));
    assertThat(perCategory.timeSaved().saved()).isEqualTo(Duration.ofMinutes(40).minusSeconds(180));
  }

  @Test
  void pagesActionsNewestFirst() {
    var first = data.recentActions(1, 2);
    assertThat(first.rows()).extracting(ActionRow::actionId).containsExactly("a6", "a1");
    assertThat(first.total()).isEqualTo(6);
    assertThat(first.pages()).isEqualTo(3);
    assertThat(data.recentActions(3, 2).rows())
        .extracting(ActionRow::actionId)
        .containsExactly("a4", "a5");
    assertThat(data.recentActions(4, 2).rows()).isEmpty();
    assertThat(first.rows().get(1).firstEvidence()).contains("error: dependency");
  }

  @Test
  void listsPendingApprovalsOldestFirst() {
    assertThat(data.pendingApprovals(10))
        .extracting(ActionRow::actionId)
        .containsExactly("a5", "a6");
    assertThat(data.pendingApprovals(1)).hasSize(1);
  }

  @Test
  void showsOneActionWithItsOwnAuditTrailOnly() {
    var d = data.action("a1").orElseThrow();
    assertThat(d.row().category()).isEqualTo("dependency");
    assertThat(d.evidence())
        .containsExactly(new DashboardData.EvidenceLine(12, "error: dependency"));
    assertThat(d.steps())
        .singleElement()
        .satisfies(s -> assertThat(s.step()).isEqualTo("retry_pipeline"));
    assertThat(d.timeToFixSeconds()).contains(120.0);
    assertThat(d.audit())
        .extracting(DashboardData.AuditEntry::event)
        .containsExactly("diagnosed", "remediated");
    assertThat(data.action("no-such-action")).isEmpty();
  }

  @Test
  void ratesPlaybooksByTheirEndedActions() {
    var dep =
        data.playbooks().stream()
            .filter(p -> p.playbookId().equals("pb-dependency-sample"))
            .findFirst()
            .orElseThrow();
    assertThat(dep.used()).isEqualTo(2);
    assertThat(dep.successRate()).contains(0.5);
    assertThat(data.playbooks().get(0).used()).isEqualTo(2);
  }
}
