package dev.pitcrew.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.store.ActionTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link DashboardData} over the service's {@code actions} and {@code audit_log} tables (H2 or
 * PostgreSQL, same SQL): every figure is a {@code GROUP BY} or a {@code LIMIT}ed query, and each
 * {@code GROUP BY} names only columns of one of the covering indexes of migration V2_7, so it reads
 * a narrow index rather than every wide row: {@code GET /} stays well under a second with 100,000
 * actions (see {@code DashboardBench}).
 */
public final class SqlDashboardData implements DashboardData {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_AUDIT = 500;
  private static final int MAX_EVIDENCE = 50;

  private static final String ROW_COLUMNS =
      "action_id, created_at, repository, branch, pipeline_id, failure_category, root_cause,"
          + " risk_level, status, outcome, playbook_used, evidence";

  private final DataSource db;
  private final ActionTotals totals;
  private final Clock clock;
  private final dev.pitcrew.metrics.TimeSaved effort;

  public SqlDashboardData(DataSource db, Clock clock, dev.pitcrew.metrics.TimeSaved effort) {
    this.db = db;
    this.totals = new ActionTotals(org.jdbi.v3.core.Jdbi.create(db));
    this.clock = clock;
    this.effort = effort;
  }

  @Override
  public List<DayCount> failureTrend(int days) {
    if (days < 1 || days > 366) {
      throw new IllegalArgumentException("days must be 1 to 366, not " + days);
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate first = today.minusDays(days - 1L);
    Map<LocalDate, ActionTotals.Day> byDay = new HashMap<>();
    for (ActionTotals.Day d :
        totals(() -> totals.days(first.atStartOfDay().toInstant(ZoneOffset.UTC)))) {
      byDay.put(d.day(), d);
    }
    List<DayCount> out = new ArrayList<>(days);
    for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
      ActionTotals.Day v = byDay.get(d);
      out.add(new DayCount(d, v == null ? 0 : v.failures(), v == null ? 0 : v.autoFixed()));
    }
    return out;
  }

  @Override
  public List<CategoryStats> categories() {
    // every action, so grouped over actions_category_idx
    Map<String, long[]> byCategory = new HashMap<>();
    totals(() -> totals.outcomes(Optional.empty()))
        .forEach(
            (c, outcomes) -> {
              long[] v = byCategory.computeIfAbsent(c, k -> new long[4]);
              outcomes.forEach(
                  (o, n) -> {
                    v[0] += n;
                    switch (nz(o)) {
                      case "success" -> v[1] += n;
                      case "failure" -> v[2] += n;
                      case "manual" -> v[3] += n;
                      default -> {}
                    }
                  });
            });
    List<CategoryStats> out = new ArrayList<>();
    byCategory.forEach((c, v) -> out.add(new CategoryStats(c, v[0], v[1], v[2], v[3])));
    out.sort(
        java.util.Comparator.comparingLong(CategoryStats::total)
            .reversed()
            .thenComparing(CategoryStats::category));
    return out;
  }

  /**
   * Over the last {@link dev.pitcrew.metrics.TimeSaved#WINDOW}, as {@code /api/stats} counts it by
   * default.
   */
  @Override
  public DashboardData.TimeSaved timeSaved() {
    List<dev.pitcrew.metrics.TimeSaved.Fixes> fixes =
        totals(
            () ->
                totals.automaticFixes(clock.instant().minus(dev.pitcrew.metrics.TimeSaved.WINDOW)));
    return new DashboardData.TimeSaved(
        effort.saved(fixes),
        fixes.stream().mapToLong(dev.pitcrew.metrics.TimeSaved.Fixes::count).sum());
  }

  @Override
  public Page<ActionRow> recentActions(int page, int size) {
    if (page < 1) {
      throw new IllegalArgumentException("page counts from 1, not " + page);
    }
    if (size < 1 || size > 200) {
      throw new IllegalArgumentException("page size must be 1 to 200, not " + size);
    }
    long[] total = {0};
    query("SELECT COUNT(*) FROM actions", ps -> {}, rs -> total[0] = rs.getLong(1));
    List<ActionRow> rows = new ArrayList<>(size);
    query(
        "SELECT "
            + ROW_COLUMNS
            + " FROM actions ORDER BY created_at DESC, action_id DESC LIMIT ? OFFSET ?",
        ps -> {
          ps.setInt(1, size);
          ps.setLong(2, (long) (page - 1) * size);
        },
        rs -> rows.add(row(rs)));
    return new Page<>(rows, page, size, total[0]);
  }

  @Override
  public List<ActionRow> pendingApprovals(int limit) {
    List<ActionRow> rows = new ArrayList<>();
    query(
        "SELECT "
            + ROW_COLUMNS
            + " FROM actions WHERE status = 'awaiting_approval' ORDER BY created_at, action_id"
            + " LIMIT ?",
        ps -> ps.setInt(1, limit),
        rs -> rows.add(row(rs)));
    return rows;
  }

  @Override
  public Optional<ActionDetail> action(String actionId) {
    List<ActionDetail> found = new ArrayList<>(1);
    query(
        "SELECT "
            + ROW_COLUMNS
            + ", pipeline_url, commit_sha, confidence, remediation_steps_executed,"
            + " new_pipeline_url, new_pipeline_status, pull_request_url, incident_url, attempt,"
            + " time_to_fix, user_notified FROM actions WHERE action_id = ?",
        ps -> ps.setString(1, actionId),
        rs ->
            found.add(
                new ActionDetail(
                    row(rs),
                    opt(rs.getString("pipeline_url")),
                    opt(rs.getString("commit_sha")),
                    optDouble(rs, "confidence"),
                    evidence(rs.getString("evidence")),
                    steps(rs.getString("remediation_steps_executed")),
                    opt(rs.getString("new_pipeline_url")),
                    opt(rs.getString("new_pipeline_status")),
                    opt(rs.getString("pull_request_url")),
                    opt(rs.getString("incident_url")),
                    rs.getInt("attempt"),
                    optDouble(rs, "time_to_fix"),
                    rs.getBoolean("user_notified"),
                    List.of())));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    List<AuditEntry> audit = new ArrayList<>();
    query(
        "SELECT seq, at, actor, event, detail FROM audit_log WHERE incident_id = ? ORDER BY seq"
            + " LIMIT "
            + MAX_AUDIT,
        ps -> ps.setString(1, actionId),
        rs ->
            audit.add(
                new AuditEntry(
                    rs.getLong("seq"),
                    instant(rs, "at"),
                    rs.getString("actor"),
                    rs.getString("event"),
                    rs.getString("detail"))));
    ActionDetail d = found.get(0);
    return Optional.of(
        new ActionDetail(
            d.row(),
            d.pipelineUrl(),
            d.commitSha(),
            d.confidence(),
            d.evidence(),
            d.steps(),
            d.newPipelineUrl(),
            d.newPipelineStatus(),
            d.pullRequestUrl(),
            d.incidentUrl(),
            d.attempt(),
            d.timeToFixSeconds(),
            d.userNotified(),
            audit));
  }

  @Override
  public List<PlaybookStats> playbooks() {
    // grouped by the columns of actions_playbook_idx; a playbook's category is the greatest seen
    Map<String, long[]> counts = new HashMap<>();
    Map<String, String> category = new HashMap<>();
    query(
        "SELECT playbook_used AS p, failure_category AS c, outcome AS o, COUNT(*) AS n"
            + " FROM actions WHERE playbook_used IS NOT NULL"
            + " GROUP BY playbook_used, outcome, failure_category",
        ps -> {},
        rs -> {
          String p = rs.getString("p");
          String c = rs.getString("c") == null ? "unknown" : rs.getString("c");
          category.merge(p, c, (a, b) -> a.compareTo(b) >= 0 ? a : b);
          long[] v = counts.computeIfAbsent(p, k -> new long[3]);
          long n = rs.getLong("n");
          String o = nz(rs.getString("o"));
          v[0] += n;
          if (o.equals("success")) {
            v[1] += n;
          }
          if (o.equals("success") || o.equals("failure") || o.equals("manual")) {
            v[2] += n;
          }
        });
    List<PlaybookStats> out = new ArrayList<>();
    counts.forEach((p, v) -> out.add(new PlaybookStats(p, category.get(p), v[0], v[1], v[2])));
    out.sort(
        java.util.Comparator.comparingLong(PlaybookStats::used)
            .reversed()
            .thenComparing(PlaybookStats::playbookId));
    return out;
  }

  private static ActionRow row(ResultSet rs) throws SQLException {
    List<EvidenceLine> ev = evidence(rs.getString("evidence"));
    return new ActionRow(
        rs.getString("action_id"),
        instant(rs, "created_at"),
        rs.getString("repository"),
        nz(rs.getString("branch")),
        rs.getString("pipeline_id"),
        rs.getString("failure_category") == null ? "unknown" : rs.getString("failure_category"),
        nz(rs.getString("root_cause")),
        nz(rs.getString("risk_level")),
        rs.getString("status"),
        rs.getString("outcome"),
        nz(rs.getString("playbook_used")),
        ev.isEmpty() ? Optional.empty() : Optional.of(ev.get(0).text()));
  }

  /**
   * The stored evidence: a JSON array of {@code {"line", "text"}} as in docs/contracts.md. Text
   * that is not such an array is shown as one line rather than hidden.
   */
  static List<EvidenceLine> evidence(String stored) {
    if (stored == null || stored.isBlank()) {
      return List.of();
    }
    try {
      JsonNode n = JSON.readTree(stored);
      if (n.isArray()) {
        List<EvidenceLine> out = new ArrayList<>();
        for (JsonNode e : n) {
          if (out.size() == MAX_EVIDENCE) {
            break;
          }
          if (e.isTextual()) {
            out.add(new EvidenceLine(0, e.asText()));
          } else {
            out.add(new EvidenceLine(e.path("line").asInt(0), e.path("text").asText("")));
          }
        }
        return out;
      }
    } catch (java.io.IOException e) {
      // not JSON: fall through and show it as it is
    }
    return List.of(new EvidenceLine(0, stored));
  }

  static List<StepResult> steps(String stored) {
    if (stored == null || stored.isBlank()) {
      return List.of();
    }
    try {
      JsonNode n = JSON.readTree(stored);
      if (n.isArray()) {
        List<StepResult> out = new ArrayList<>();
        for (JsonNode s : n) {
          JsonNode d = s.path("duration");
          out.add(
              new StepResult(
                  s.path("step").asText(""),
                  s.path("result").asText(""),
                  d.isNumber() ? Optional.of(d.asDouble()) : Optional.empty(),
                  s.path("detail").asText("")));
        }
        return out;
      }
    } catch (java.io.IOException e) {
      // not JSON: fall through
    }
    return List.of(new StepResult("(unreadable)", "", Optional.empty(), stored));
  }

  private static Instant instant(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? Instant.EPOCH : t.toInstant();
  }

  private static Optional<String> opt(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
  }

  private static Optional<Double> optDouble(ResultSet rs, String col) throws SQLException {
    double v = rs.getDouble(col);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String sql, Binder binder, RowReader reader) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new DashboardUnavailable(e);
    }
  }

  /** The figures {@link ActionTotals} shares with {@code /api/stats}, its failures as ours. */
  private static <T> T totals(java.util.function.Supplier<T> figures) {
    try {
      return figures.get();
    } catch (org.jdbi.v3.core.JdbiException e) {
      throw new DashboardUnavailable(e);
    }
  }

  /** The store could not answer; the page says so with a 503 instead of a stack trace. */
  public static final class DashboardUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DashboardUnavailable(Exception e) {
      super("the database cannot answer right now (" + e.getMessage() + ")", e);
    }
  }
}
