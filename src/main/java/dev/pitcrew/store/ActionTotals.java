package dev.pitcrew.store;

import dev.pitcrew.metrics.TimeSaved;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Counts and sums over the {@code actions} table, computed by the database (H2 or PostgreSQL, same
 * SQL): {@code /api/stats} and the dashboard read these figures instead of loading records, so they
 * stay fast and small with 100,000 actions. Every query names only columns of one covering index
 * ({@code actions_trend_idx} of migration V2_7 for a window of {@code created_at}, {@code
 * actions_category_idx} for all time, {@code actions_stats_idx} of V2_9 for the {@link Signals}),
 * so the database reads a narrow index rather than the wide rows with their evidence and steps. A
 * missing failure category counts as {@code "unknown"}, as everywhere else.
 */
public final class ActionTotals {
  /** The UTC day of an action, the same in H2 and PostgreSQL whatever the session time zone. */
  private static final String DAY = "CAST(created_at AT TIME ZONE 'UTC' AS DATE)";

  private final Jdbi jdbi;

  public ActionTotals(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Actions and automatic fixes that began on one UTC day. */
  public record Day(LocalDate day, long failures, long autoFixed) {}

  /**
   * The counts that need the status columns (covered by V2_9's index): {@code manual} needed a
   * person (outcome manual, or escalated); a fix that {@code didNotHold} was a further attempt or
   * its new run failed; {@code rejectedByPeople} were skipped after asking for approval.
   */
  public record Signals(long manual, long didNotHold, long rejectedByPeople, long escalated) {}

  /**
   * Everything {@code /api/stats} states about the actions created at or after an instant, read in
   * one snapshot so that the figures agree with each other while actions keep arriving.
   *
   * @param outcomes actions per category (sorted) and outcome
   * @param fixes the successful automatic fixes per category with their summed time to fix
   * @param days the days with at least one action, oldest first
   * @param timesToFix every recorded time to fix in seconds, ascending
   */
  public record Window(
      Map<String, Map<String, Long>> outcomes,
      List<TimeSaved.Fixes> fixes,
      List<Day> days,
      Signals signals,
      double[] timesToFix) {
    public Window {
      outcomes = java.util.Collections.unmodifiableMap(outcomes);
      fixes = List.copyOf(fixes);
      days = List.copyOf(days);
    }

    /** A copy: the values stay as the database gave them. */
    @Override
    public double[] timesToFix() {
      return timesToFix.clone();
    }
  }

  /** The figures of the actions created at or after {@code since}. */
  public Window window(Instant since) {
    return jdbi.inTransaction(
        TransactionIsolationLevel.REPEATABLE_READ,
        h ->
            new Window(
                outcomes(h, Optional.of(since)),
                automaticFixes(h, since),
                days(h, since),
                signals(h, since),
                timesToFix(h, since)));
  }

  /**
   * Actions per failure category and outcome, categories sorted; all of them when {@code since} is
   * empty.
   */
  public Map<String, Map<String, Long>> outcomes(Optional<Instant> since) {
    return jdbi.withHandle(h -> outcomes(h, since));
  }

  /**
   * The successful automatic fixes since an instant per category, with the time they took: the
   * input of {@link TimeSaved}. Each action's time counts in whole milliseconds, rounded as {@link
   * TimeSaved#seconds} rounds one, so the sum is the one a loop over the records would make.
   */
  public List<TimeSaved.Fixes> automaticFixes(Instant since) {
    return jdbi.withHandle(h -> automaticFixes(h, since));
  }

  /** The UTC days with at least one action created at or after {@code from}, oldest first. */
  public List<Day> days(Instant from) {
    return jdbi.withHandle(h -> days(h, from));
  }

  private static Map<String, Map<String, Long>> outcomes(Handle h, Optional<Instant> since) {
    // grouped by the index's own columns; a missing category folds into "unknown" here
    Query q =
        h.createQuery(
            "SELECT failure_category AS c, outcome AS o, COUNT(*) AS n FROM actions"
                + (since.isPresent() ? " WHERE created_at >= :since" : "")
                + " GROUP BY failure_category, outcome");
    since.ifPresent(s -> q.bind("since", Sql.utc(s)));
    Map<String, Map<String, Long>> out = new TreeMap<>();
    q.map((rs, ctx) -> new Group(category(rs.getString("c")), rs.getString("o"), rs.getLong("n")))
        .forEach(
            g ->
                out.computeIfAbsent(g.category(), k -> new TreeMap<>())
                    .merge(g.outcome(), g.count(), Long::sum));
    out.replaceAll((c, byOutcome) -> java.util.Collections.unmodifiableMap(byOutcome));
    return java.util.Collections.unmodifiableMap(out);
  }

  private record Group(String category, String outcome, long count) {}

  private static List<TimeSaved.Fixes> automaticFixes(Handle h, Instant since) {
    return h.createQuery(
            "SELECT failure_category AS c, COUNT(*) AS n,"
                + " CAST(SUM(FLOOR(time_to_fix * 1000 + 0.5)) AS BIGINT) AS ms FROM actions"
                + " WHERE created_at >= :since AND outcome = 'success' AND auto_fix_applied = TRUE"
                + " GROUP BY failure_category")
        .bind("since", Sql.utc(since))
        .map(
            (rs, ctx) ->
                new TimeSaved.Fixes(
                    category(rs.getString("c")),
                    rs.getLong("n"),
                    Duration.ofMillis(rs.getLong("ms"))))
        .list();
  }

  private static List<Day> days(Handle h, Instant from) {
    Map<LocalDate, Day> byDay = new TreeMap<>();
    h.createQuery(
            "SELECT "
                + DAY
                + " AS d, COUNT(*) AS n,"
                + " SUM(CASE WHEN auto_fix_applied AND outcome = 'success' THEN 1 ELSE 0 END) AS f"
                + " FROM actions WHERE created_at >= :from GROUP BY "
                + DAY)
        .bind("from", Sql.utc(from))
        .map(
            (rs, ctx) ->
                new Day(rs.getObject("d", LocalDate.class), rs.getLong("n"), rs.getLong("f")))
        .forEach(d -> byDay.put(d.day(), d));
    return List.copyOf(byDay.values());
  }

  private static Signals signals(Handle h, Instant since) {
    return h.createQuery(
            "SELECT"
                + " SUM(CASE WHEN outcome = 'manual' OR status = 'escalated' THEN 1 ELSE 0 END) AS m,"
                + " SUM(CASE WHEN attempt > 1 OR new_pipeline_status = 'failed' THEN 1 ELSE 0 END)"
                + " AS h,"
                + " SUM(CASE WHEN approval_required AND status = 'skipped' THEN 1 ELSE 0 END) AS r,"
                + " SUM(CASE WHEN status = 'escalated' THEN 1 ELSE 0 END) AS e"
                + " FROM actions WHERE created_at >= :since")
        .bind("since", Sql.utc(since))
        .map(
            (rs, ctx) ->
                new Signals(rs.getLong("m"), rs.getLong("h"), rs.getLong("r"), rs.getLong("e")))
        .one();
  }

  private static double[] timesToFix(Handle h, Instant since) {
    List<Double> found =
        h.createQuery(
                "SELECT time_to_fix FROM actions WHERE created_at >= :since"
                    + " AND time_to_fix IS NOT NULL")
            .bind("since", Sql.utc(since))
            .mapTo(Double.class)
            .list();
    double[] out = new double[found.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = found.get(i);
    }
    // Double's own order, as a sorted List<Double> has it
    Arrays.sort(out);
    return out;
  }

  private static String category(String stored) {
    return stored == null ? "unknown" : stored;
  }
}
