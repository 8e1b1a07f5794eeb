package dev.pitcrew.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.metrics.TimeSaved;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.ActionTotals;
import dev.pitcrew.store.Database;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The figures of {@code /api/stats} as the database counts them, on the embedded H2 file and on a
 * real PostgreSQL server, against figures worked out by hand: the JSON must be the same to the
 * field and to the number's form on both.
 */
class StatsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant SINCE = Instant.parse("2026-11-01T00:00:00Z");

  /** Manual minutes per category; "unknown" saves nothing, as by default. */
  static final Map<String, Double> MINUTES =
      Map.of(
          "dependency", 30.0, "test", 20.0, "environment", 25.0, "resource", 25.0, "unknown", 0.0);

  @TempDir Path tmp;
  private Database db;
  private Map<String, String> settings;

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  private Database open(String kind) {
    settings = kind.equals("h2") ? TestDatabases.h2(tmp) : TestDatabases.postgres();
    db = TestDatabases.open(settings);
    return db;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void countsTheWindowAsWorkedOutByHand(String kind) throws Exception {
    Database d = open(kind);
    record(
        d,
        // on the window's first instant: counted; a person's fix, so no automatic time saved
        act("a8", "2026-11-01T00:00:00Z", "environment", "succeeded", "success").ttf(30.25),
        act("a1", "2026-11-27T10:00:00Z", "dependency", "succeeded", "success").auto(125.75),
        act("a2", "2026-11-27T23:59:59Z", "dependency", "succeeded", "success").auto(60.5),
        // the fix was applied and its new run failed
        act("a3", "2026-11-20T08:00:00Z", "dependency", "failed", "failure")
            .auto(null)
            .newRun("failed"),
        // the second attempt at this pipeline; slower than a person, so it saves nothing
        act("a4", "2026-11-20T09:00:00Z", "test", "succeeded", "success").auto(3000.0).attempt(2),
        // no category is "unknown", and so is a stored "unknown": one bucket
        act("a5", "2026-11-15T00:00:00Z", null, "escalated", "failure"),
        act("a6", "2026-11-15T12:00:00Z", "unknown", "skipped", "manual").needsApproval(),
        act("a7", "2026-11-28T11:00:00Z", "resource", "awaiting_approval", "pending")
            .needsApproval(),
        // outside the window: none of these may count
        act("a9", "2026-10-31T23:59:59Z", "dependency", "succeeded", "success").auto(10.0),
        act("a10", "2026-10-01T00:00:00Z", "code", "escalated", "manual").attempt(3),
        act("a11", "2026-10-02T00:00:00Z", "test", "skipped", "manual").needsApproval());

    assertThat(stats(d, SINCE))
        .isEqualTo(
            JSON.readTree(
                """
                {"since": "2026-11-01T00:00:00Z", "total": 8, "success_rate": 0.667,
                 "by_category": {
                   "dependency": {"total": 3, "succeeded": 2, "success_rate": 0.667},
                   "environment": {"total": 1, "succeeded": 1, "success_rate": 1.0},
                   "resource": {"total": 1, "succeeded": 0, "success_rate": null},
                   "test": {"total": 1, "succeeded": 1, "success_rate": 1.0},
                   "unknown": {"total": 2, "succeeded": 0, "success_rate": 0.0}},
                 "auto_fixed": 3, "manual": 2,
                 "time_to_remediation": {"count": 4, "median_s": 60.5, "p90_s": 3000.0,
                                         "mean_s": 804.125},
                 "time_saved_minutes": 56.9,
                 "failure_trend": [
                   {"day": "2026-11-01", "failures": 1}, {"day": "2026-11-15", "failures": 2},
                   {"day": "2026-11-20", "failures": 2}, {"day": "2026-11-27", "failures": 2},
                   {"day": "2026-11-28", "failures": 1}],
                 "false_positive_signals": {"fix_did_not_hold": 2, "rejected_by_people": 1,
                                            "escalated": 1}}
                """));
    // 2 × 30 min − (125.75 s + 60.5 s) for dependency = 3,413,750 ms; test 20 min − 50 min → 0
    assertThat(stats(d, SINCE)).as("as the records gave it").isEqualTo(before(d, SINCE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void anEmptyWindowHasZerosAndNoRates(String kind) throws Exception {
    Database d = open(kind);
    String empty =
        """
        {"since": "%s", "total": 0, "success_rate": null, "by_category": {},
         "auto_fixed": 0, "manual": 0,
         "time_to_remediation": {"count": 0, "median_s": null, "p90_s": null, "mean_s": null},
         "time_saved_minutes": 0.0, "failure_trend": [],
         "false_positive_signals": {"fix_did_not_hold": 0, "rejected_by_people": 0,
                                    "escalated": 0}}
        """;
    assertThat(stats(d, SINCE)).isEqualTo(JSON.readTree(empty.formatted(SINCE)));
    record(d, act("old", "2026-10-31T23:59:59.999Z", "test", "succeeded", "success").auto(1.0));
    assertThat(stats(d, SINCE)).isEqualTo(JSON.readTree(empty.formatted(SINCE)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void timeSavedCountsEachFixInWholeMilliseconds(String kind) throws Exception {
    Database d = open(kind);
    // 1.5004 s is 1,500 ms for each fix (3,000 ms together, not 3,001 ms from 3.0008 s summed):
    // 60 min − 3.000 s = 59.95 min, which states as 60.0 where 3.001 s would give 59.9
    record(
        d,
        act("m1", "2026-11-10T00:00:00Z", "dependency", "succeeded", "success").auto(1.5004),
        act("m2", "2026-11-11T00:00:00Z", "dependency", "succeeded", "success").auto(1.5004));
    JsonNode s = stats(d, SINCE);
    assertThat(s.path("time_saved_minutes").asDouble()).isEqualTo(60.0);
    assertThat(s.path("time_to_remediation").path("median_s").asDouble()).isEqualTo(1.5004);
    assertThat(s).as("as the records gave it").isEqualTo(before(d, SINCE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void givesTheFiguresTheRecordsGaveBeforeItCountedInTheDatabase(String kind) throws Exception {
    Database d = open(kind);
    Random r = new Random(7);
    String[] categories = {
      "dependency",
      "environment",
      "test",
      "resource",
      "infrastructure",
      "code",
      null,
      "unknown",
      "unheard-of"
    };
    String[] outcomes = {"success", "success", "failure", "pending", "manual"};
    String[] newRuns = {null, null, "passed", "failed", "running"};
    Instant end = Instant.parse("2026-11-28T12:00:00Z");
    Act[] acts = new Act[300];
    for (int i = 0; i < acts.length; i++) {
      Double ttf = r.nextInt(4) == 0 ? null : r.nextInt(7_200_000) / 1000.0;
      acts[i] =
          new Act(
              "r" + i,
              end.minusSeconds(r.nextLong(60L * 24 * 3600)),
              categories[r.nextInt(categories.length)],
              ActionRecord.STATUSES.get(r.nextInt(ActionRecord.STATUSES.size())),
              outcomes[r.nextInt(outcomes.length)],
              r.nextBoolean(),
              ttf,
              r.nextInt(3) == 0,
              1 + r.nextInt(3),
              newRuns[r.nextInt(newRuns.length)]);
    }
    record(d, acts);
    for (Instant since :
        List.of(Instant.EPOCH, SINCE, Instant.parse("2026-11-20T06:30:00Z"), end.plusSeconds(1))) {
      assertThat(stats(d, since)).as("since %s", since).isEqualTo(before(d, since));
    }
  }

  /** The figures as they were computed from the records of the window, loaded whole. */
  private static JsonNode before(Database d, Instant since) throws Exception {
    Incidents incidents = new Incidents(d.jdbi(), Clock.systemUTC(), () -> "unused");
    List<ActionRecord> window =
        incidents
            .actions(
                new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 500, 0))
            .stream()
            .filter(a -> !a.timestamp().isBefore(since))
            .sorted(java.util.Comparator.comparing(ActionRecord::timestamp))
            .toList();
    return JSON.readTree(JSON.writeValueAsString(Before.compute(window, since, MINUTES)));
  }

  /**
   * {@code Stats.compute} as it was when it loaded every record of the window: the definition the
   * database's counts must reproduce, kept here as the oracle.
   */
  static final class Before {
    private Before() {}

    static Map<String, Object> compute(
        List<ActionRecord> records, Instant since, Map<String, Double> minutesSaved) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("since", since.toString());
      out.put("total", records.size());
      out.put("success_rate", rate(records));
      Map<String, List<ActionRecord>> byCat = new TreeMap<>();
      for (ActionRecord r : records) {
        byCat
            .computeIfAbsent(
                r.failureCategory() == null ? "unknown" : r.failureCategory(),
                k -> new ArrayList<>())
            .add(r);
      }
      Map<String, Object> cats = new LinkedHashMap<>();
      byCat.forEach(
          (c, rs) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", rs.size());
            m.put("succeeded", rs.stream().filter(r -> "success".equals(r.outcome())).count());
            m.put("success_rate", rate(rs));
            cats.put(c, m);
          });
      out.put("by_category", cats);
      long autoFixed =
          records.stream().filter(r -> r.autoFixApplied() && "success".equals(r.outcome())).count();
      long manual =
          records.stream()
              .filter(r -> "manual".equals(r.outcome()) || "escalated".equals(r.status()))
              .count();
      out.put("auto_fixed", autoFixed);
      out.put("manual", manual);
      List<Double> ttf =
          records.stream().map(ActionRecord::timeToFix).filter(t -> t != null).sorted().toList();
      Map<String, Object> time = new LinkedHashMap<>();
      time.put("count", ttf.size());
      time.put("median_s", percentile(ttf, 0.5));
      time.put("p90_s", percentile(ttf, 0.9));
      time.put(
          "mean_s",
          ttf.isEmpty() ? null : ttf.stream().mapToDouble(Double::doubleValue).average().orElse(0));
      out.put("time_to_remediation", time);
      // the one definition the dashboard uses too: manual effort minus the automatic time
      List<TimeSaved.Fixes> fixes = new ArrayList<>();
      for (ActionRecord r : records) {
        if (r.autoFixApplied() && "success".equals(r.outcome())) {
          fixes.add(
              new TimeSaved.Fixes(
                  r.failureCategory() == null ? "unknown" : r.failureCategory(),
                  1,
                  TimeSaved.seconds(r.timeToFix())));
        }
      }
      out.put(
          "time_saved_minutes",
          TimeSaved.minutes(TimeSaved.fromMinutes(minutesSaved).saved(fixes)));
      Map<LocalDate, Integer> perDay = new TreeMap<>();
      for (ActionRecord r : records) {
        perDay.merge(r.timestamp().atZone(ZoneOffset.UTC).toLocalDate(), 1, Integer::sum);
      }
      List<Map<String, Object>> trend = new ArrayList<>();
      perDay.forEach((d, n) -> trend.add(Map.of("day", d.toString(), "failures", n)));
      out.put("failure_trend", trend);
      Map<String, Object> fp = new LinkedHashMap<>();
      fp.put(
          "fix_did_not_hold",
          records.stream()
              .filter(r -> r.attempt() > 1 || "failed".equals(r.newPipelineStatus()))
              .count());
      fp.put(
          "rejected_by_people",
          records.stream()
              .filter(r -> r.approvalRequired() && "skipped".equals(r.status()))
              .count());
      fp.put("escalated", records.stream().filter(r -> "escalated".equals(r.status())).count());
      out.put("false_positive_signals", fp);
      return out;
    }

    private static Double rate(List<ActionRecord> rs) {
      long ok = rs.stream().filter(r -> "success".equals(r.outcome())).count();
      long decided =
          rs.stream()
              .filter(r -> "success".equals(r.outcome()) || "failure".equals(r.outcome()))
              .count();
      return decided == 0 ? null : Math.round(1000.0 * ok / decided) / 1000.0;
    }

    static Double percentile(List<Double> sorted, double p) {
      if (sorted.isEmpty()) {
        return null;
      }
      int i = (int) Math.ceil(p * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
  }

  private JsonNode stats(Database d, Instant since) throws Exception {
    Map<String, Object> out =
        Stats.compute(new ActionTotals(d.jdbi()).window(since), since, MINUTES);
    return JSON.readTree(JSON.writeValueAsString(out));
  }

  /** One action as the workflow leaves it. */
  record Act(
      String id,
      Instant at,
      String category,
      String status,
      String outcome,
      boolean autoFix,
      Double timeToFix,
      boolean approval,
      int attempt,
      String newPipelineStatus) {
    Act auto(Double seconds) {
      return new Act(
          id, at, category, status, outcome, true, seconds, approval, attempt, newPipelineStatus);
    }

    Act ttf(Double seconds) {
      return new Act(
          id,
          at,
          category,
          status,
          outcome,
          autoFix,
          seconds,
          approval,
          attempt,
          newPipelineStatus);
    }

    Act needsApproval() {
      return new Act(
          id, at, category, status, outcome, autoFix, timeToFix, true, attempt, newPipelineStatus);
    }

    Act attempt(int n) {
      return new Act(
          id, at, category, status, outcome, autoFix, timeToFix, approval, n, newPipelineStatus);
    }

    Act newRun(String status) {
      return new Act(
          id, at, category, this.status, outcome, autoFix, timeToFix, approval, attempt, status);
    }
  }

  static Act act(String id, String at, String category, String status, String outcome) {
    return new Act(id, Instant.parse(at), category, status, outcome, false, null, false, 1, null);
  }

  /** Through the store's own writes: opened at the action's time, then updated as it ends. */
  static void record(Database d, Act... acts) {
    for (Act a : acts) {
      Incidents incidents = new Incidents(d.jdbi(), Clock.fixed(a.at(), ZoneOffset.UTC), a::id);
      RunRef run =
          new RunRef(new RepoRef(Provider.GITHUB, "github.com", "octo/app"), "run-" + a.id(), 1);
      incidents.open(
          new Incidents.Seed(run, "7", "dev", "https://ci/" + a.id(), "main", "abc", a.attempt()));
      Map<String, Object> cols = new HashMap<>();
      cols.put("failure_category", a.category());
      cols.put("status", a.status());
      cols.put("outcome", a.outcome());
      cols.put("auto_fix_applied", a.autoFix());
      cols.put("approval_required", a.approval());
      cols.put("time_to_fix", a.timeToFix());
      cols.put("new_pipeline_status", a.newPipelineStatus());
      incidents.update(a.id(), Map.of(), cols);
    }
  }
}
