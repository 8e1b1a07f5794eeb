package dev.pitcrew.web.dashboard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** A real embedded H2 database with the service's schema, and ways to fill it. */
final class TestStore {
  /** 30 minutes of manual work for every category: round numbers for the expectations. */
  static final dev.pitcrew.metrics.TimeSaved EFFORT =
      dev.pitcrew.metrics.TimeSaved.fromMinutes(
          java.util.Map.of(
              "dependency",
              30.0,
              "environment",
              30.0,
              "test",
              30.0,
              "resource",
              30.0,
              "infrastructure",
              30.0,
              "code",
              30.0));

  final DataSource db;

  private TestStore(DataSource db) {
    this.db = db;
  }

  static TestStore h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:dash-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    TestStore s = new TestStore(ds);
    s.url = ds.getURL();
    s.schema();
    return s;
  }

  /**
   * A fresh PostgreSQL database on 127.0.0.1:5432 (see TestDatabases), dropped by {@link #drop}.
   */
  static TestStore postgres() {
    java.util.Map<String, String> settings = dev.pitcrew.store.TestDatabases.postgres();
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setURL(settings.get("PITCREW_DB_URL"));
    ds.setUser(settings.get("PITCREW_DB_USER"));
    TestStore s = new TestStore(ds);
    s.settings = settings;
    s.schema();
    return s;
  }

  /** A database the service has already migrated (its own pool). */
  static TestStore over(DataSource migrated) {
    return new TestStore(migrated);
  }

  private java.util.Map<String, String> settings;
  private String url;

  /**
   * The service settings that open this same database, for running {@code pitcrew serve}'s code
   * over what the store holds.
   */
  java.util.Map<String, String> serviceSettings() {
    if (settings != null) {
      return settings;
    }
    if (url == null) {
      throw new IllegalStateException("a store over a service's pool has no settings of its own");
    }
    return java.util.Map.of("PITCREW_DB_URL", url);
  }

  /** Drops a PostgreSQL database made by {@link #postgres()}; nothing for H2 in memory. */
  void drop() {
    if (settings != null) {
      dev.pitcrew.store.TestDatabases.drop(settings);
    }
  }

  /**
   * Changes one action the way a running service does all the time: H2 serves a repeated query from
   * its result cache until a table changes, which a benchmark must not measure.
   */
  void touch() {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE actions SET user_notified = NOT user_notified WHERE action_id ="
                    + " (SELECT MIN(action_id) FROM actions)")) {
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fresh statistics for the planner, and for PostgreSQL the visibility map that index-only scans
   * need: what autovacuum does in a running database after a bulk of inserts.
   */
  void analyze() {
    try (Connection c = db.getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute(settings != null ? "VACUUM ANALYZE actions" : "ANALYZE");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The service's own migrations, so the dashboard reads exactly the schema it ships with. */
  private void schema() {
    org.flywaydb.core.Flyway.configure()
        .dataSource(db)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }

  /** One action as the service records it; the fields the dashboard reads. */
  record Action(
      String id,
      Instant createdAt,
      String repository,
      String category,
      String status,
      String outcome,
      boolean autoFix,
      String playbook,
      String risk,
      String rootCause,
      String evidenceJson,
      Double timeToFix) {
    static Action of(String id, Instant at, String category, String status, String outcome) {
      boolean fixed = "success".equals(outcome);
      return new Action(
          id,
          at,
          "acme/shop",
          category,
          status,
          outcome,
          fixed,
          "pb-" + category + "-sample",
          "low",
          "A " + category + " failure",
          "[{\"line\": 12, \"text\": \"error: " + category + "\"}]",
          fixed ? 120.0 : null);
    }

    Action withPlaybook(String p) {
      return new Action(
          id,
          createdAt,
          repository,
          category,
          status,
          outcome,
          autoFix,
          p,
          risk,
          rootCause,
          evidenceJson,
          timeToFix);
    }

    Action withText(String repo, String cause, String evidence, String riskLevel) {
      return new Action(
          id, createdAt, repo, category, status, outcome, autoFix, playbook, riskLevel, cause,
          evidence, timeToFix);
    }

    Action withTimeToFix(Double t) {
      return new Action(
          id,
          createdAt,
          repository,
          category,
          status,
          outcome,
          autoFix,
          playbook,
          risk,
          rootCause,
          evidenceJson,
          t);
    }
  }

  private static final String INCIDENT =
      "INSERT INTO incidents (incident_id, run_key, provider, host, repository, run_id,"
          + " run_attempt, step, created_at, updated_at) VALUES (?, ?, 'github', 'github.com', ?,"
          + " ?, 1, 'done', ?, ?)";
  private static final String ACTION =
      "INSERT INTO actions (action_id, pipeline_id, pipeline_url, repository, provider, branch,"
          + " commit_sha, failure_category, root_cause, confidence, evidence, playbook_used,"
          + " risk_level, status, auto_fix_applied, approval_required, remediation_steps_executed,"
          + " outcome, attempt, time_to_fix, created_at, user_notified) VALUES (?, ?, ?, ?,"
          + " 'github', 'main', 'abc123', ?, ?, 0.9, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, TRUE)";

  void insert(Action... actions) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement inc = c.prepareStatement(INCIDENT);
          PreparedStatement act = c.prepareStatement(ACTION)) {
        int n = 0;
        for (Action a : actions) {
          bind(inc, act, a);
          if (++n % 1000 == 0) {
            inc.executeBatch();
            act.executeBatch();
          }
        }
        inc.executeBatch();
        act.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void bind(PreparedStatement inc, PreparedStatement act, Action a)
      throws SQLException {
    OffsetDateTime at = a.createdAt().atOffset(ZoneOffset.UTC);
    String run = String.valueOf(Math.abs(a.id().hashCode()));
    inc.setString(1, a.id());
    inc.setString(2, "github:" + a.id());
    inc.setString(3, a.repository());
    inc.setString(4, run);
    inc.setObject(5, at);
    inc.setObject(6, at);
    inc.addBatch();
    act.setString(1, a.id());
    act.setString(2, run);
    act.setString(3, "https://github.com/" + a.repository() + "/actions/runs/" + run);
    act.setString(4, a.repository());
    act.setString(5, a.category());
    act.setString(6, a.rootCause());
    act.setString(7, a.evidenceJson());
    act.setString(8, a.playbook());
    act.setString(9, a.risk());
    act.setString(10, a.status());
    act.setBoolean(11, a.autoFix());
    act.setBoolean(12, "awaiting_approval".equals(a.status()));
    act.setString(
        13,
        a.autoFix()
            ? "[{\"step\": \"retry_pipeline\", \"result\": \"success\", \"duration\": 0.4,"
                + " \"detail\": \"re-ran the failed jobs\"}]"
            : "[]");
    act.setString(14, a.outcome());
    if (a.timeToFix() == null) {
      act.setNull(15, java.sql.Types.DOUBLE);
    } else {
      act.setDouble(15, a.timeToFix());
    }
    act.setObject(16, at);
    act.addBatch();
  }

  void audit(long seq, String incidentId, Instant at, String actor, String event, String detail) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO audit_log (seq, incident_id, at, actor, event, detail, prev_hash,"
                    + " hash) VALUES (?, ?, ?, ?, ?, ?, 'p', 'h')")) {
      ps.setLong(1, seq);
      ps.setString(2, incidentId);
      ps.setObject(3, at.atOffset(ZoneOffset.UTC));
      ps.setString(4, actor);
      ps.setString(5, event);
      ps.setString(6, detail);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code n} actions spread over the 90 days before {@code now}, in every category and outcome,
   * with a few awaiting approval: the shape of a busy organisation's year-to-date.
   */
  void seedMany(int n, Instant now, long seed) {
    String[] cats = {"dependency", "environment", "test", "resource", "infrastructure", "code"};
    String[] outcomes = {"success", "success", "success", "failure", "manual", "pending"};
    Random r = new Random(seed);
    int chunk = 5000;
    for (int start = 0; start < n; start += chunk) {
      int size = Math.min(chunk, n - start);
      Action[] batch = new Action[size];
      for (int i = 0; i < size; i++) {
        String cat = cats[r.nextInt(cats.length)];
        String outcome = outcomes[r.nextInt(outcomes.length)];
        String status =
            switch (outcome) {
              case "success" -> "succeeded";
              case "failure" -> "failed";
              case "manual" -> "skipped";
              default -> r.nextInt(100) == 0 ? "awaiting_approval" : "verifying";
            };
        Instant at = now.minus(Duration.ofSeconds(r.nextLong(90L * 24 * 3600)));
        batch[i] =
            Action.of(String.format("ra-bulk-%07d", start + i), at, cat, status, outcome)
                .withPlaybook("pb-" + cat + "-" + r.nextInt(12));
      }
      insert(batch);
    }
  }
}
