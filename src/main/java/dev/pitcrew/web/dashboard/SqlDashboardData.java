package dev.pitcrew.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
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
 * PostgreSQL, same SQL): every figure is a {@code GROUP BY} or a {@code LIMIT}ed query, so a page
 * costs the same with ten actions or a hundred thousand.
 */
public final class SqlDashboardData implements DashboardData {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_AUDIT = 500;
  private static final int MAX_EVIDENCE = 50;

  private static final String ROW_COLUMNS =
      "action_id, created_at, repository, branch, pipeline_id, failure_category, root_cause,"
          + " risk_level, status, outcome, playbook_used, evidence";

  private final DataSource db;
  private final Clock clock;
  private final ManualEffort effort;

  public SqlDashboardData(DataSource db, Clock clock, ManualEffort effort) {
    this.db = db;
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
    // the UTC day, the same in H2 and PostgreSQL whatever the session time zone
    String day = "CAST(created_at AT TIME ZONE 'UTC' AS DATE)";
    String sql =
        "SELECT "
            + day
            + " AS d, COUNT(*) AS n,"
            + " SUM(CASE WHEN auto_fix_applied AND outcome = 'success' THEN 1 ELSE 0 END) AS f"
            + " FROM actions WHERE created_at >= ? GROUP BY "
            + day;
    Map<LocalDate, long[]> byDay = new HashMap<>();
    query(
        sql,
        ps -> ps.setObject(1, first.atStartOfDay().atOffset(ZoneOffset.UTC)),
        rs ->
            byDay.put(
                rs.getObject("d", LocalDate.class), new long[] {rs.getLong("n"), rs.getLong("f")}));
    List<DayCount> out = new ArrayList<>(days);
    for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
      long[] v = byDay.getOrDefault(d, new long[2]);
      out.add(new DayCount(d, v[0], v[1]));
    }
    return out;
  }

  @Override
  public List<CategoryStats> categories() {
    String sql =
        "SELECT COALESCE(failure_category, 'unknown') AS c, COUNT(*) AS n,"
            + " SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS s,"
            + " SUM(CASE WHEN outcome = 'failure' THEN 1 ELSE 0 END) AS f,"
            + " SUM(CASE WHEN outcome = 'manual' THEN 1 ELSE 0 END) AS m"
            + " FROM actions GROUP BY COALESCE(failure_category, 'unknown') ORDER BY n DESC, c";
    List<CategoryStats> out = new ArrayList<>();
    query(
        sql,
        ps -> {},
        rs ->
            out.add(
                new CategoryStats(
                    rs.getString("c"),
                    rs.getLong("n"),
                    rs.getLong("s"),
                    rs.getLong("f"),
                    rs.getLong("m"))));
    return out;
  }

  @Override
  public TimeSaved timeSaved() {
    String sql =
        "SELECT COALESCE(failure_category, 'unknown') AS c, COUNT(*) AS n,"
            + " SUM(COALESCE(time_to_fix, 0)) AS t FROM actions"
            + " WHERE auto_fix_applied AND outcome = 'success'"
            + " GROUP BY COALESCE(failure_category, 'unknown')";
    Duration[] saved = {Duration.ZERO};
    long[] fixes = {0};
    query(
        sql,
        ps -> {},
        rs -> {
          long n = rs.getLong("n");
          Duration manual = effort.of(rs.getString("c")).multipliedBy(n);
          Duration automatic = Duration.ofMillis(Math.round(rs.getDouble("t") * 1000));
          Duration net = manual.minus(automatic);
          // a fix slower than a person gains nothing but does not count against the others
          saved[0] = saved[0].plus(net.isNegative() ? Duration.ZERO : net);
          fixes[0] += n;
        });
    return new TimeSaved(saved[0], fixes[0]);
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
    String sql =
        "SELECT playbook_used AS p, MAX(COALESCE(failure_category, 'unknown')) AS c,"
            + " COUNT(*) AS n, SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS s,"
            + " SUM(CASE WHEN outcome IN ('success', 'failure', 'manual') THEN 1 ELSE 0 END) AS e"
            + " FROM actions WHERE playbook_used IS NOT NULL GROUP BY playbook_used"
            + " ORDER BY n DESC, p";
    List<PlaybookStats> out = new ArrayList<>();
    query(
        sql,
        ps -> {},
        rs ->
            out.add(
                new PlaybookStats(
                    rs.getString("p"),
                    rs.getString("c"),
                    rs.getLong("n"),
                    rs.getLong("s"),
                    rs.getLong("e"))));
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

  /** The store could not answer; the page says so with a 503 instead of a stack trace. */
  public static final class DashboardUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DashboardUnavailable(SQLException e) {
      super("the database cannot answer right now (" + e.getMessage() + ")", e);
    }
  }
}
