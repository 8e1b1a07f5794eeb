package dev.pitcrew.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RunRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * Incidents and their execution-history records. Opening is idempotent on forge + run + attempt:
 * the unique run key makes the database, not a lock in one process, refuse a second incident.
 */
public final class Incidents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> INCIDENT_COLUMNS =
      Set.of(
          "step",
          "diagnosis_json",
          "plan_json",
          "verdict",
          "verdict_reason",
          "decided_by",
          "new_run_key",
          "new_run_id",
          "new_run_attempt",
          "step_failures");
  private static final Set<String> ACTION_COLUMNS =
      Set.of(
          "pipeline_url",
          "branch",
          "commit_sha",
          "failure_category",
          "root_cause",
          "confidence",
          "evidence",
          "playbook_used",
          "risk_level",
          "status",
          "auto_fix_applied",
          "approval_required",
          "remediation_steps_executed",
          "outcome",
          "new_pipeline_id",
          "new_pipeline_url",
          "new_pipeline_status",
          "pull_request_url",
          "incident_url",
          "attempt",
          "time_to_fix",
          "finished_at",
          "user_notified");

  /**
   * What a failed run brings to a new incident.
   *
   * @param pullRequest the pull/merge request the run belongs to, when the delivery named one
   */
  public record Seed(
      RunRef run,
      String failedJobId,
      String actor,
      String pipelineUrl,
      String branch,
      String commitSha,
      int attempt,
      Optional<PullRequest> pullRequest) {
    public Seed {
      pullRequest = pullRequest == null ? Optional.empty() : pullRequest;
    }

    /** A failure that belongs to no known pull request. */
    public Seed(
        RunRef run,
        String failedJobId,
        String actor,
        String pipelineUrl,
        String branch,
        String commitSha,
        int attempt) {
      this(run, failedJobId, actor, pipelineUrl, branch, commitSha, attempt, Optional.empty());
    }
  }

  /** The incident for a run, and whether this call created it. */
  public record Opened(String incidentId, boolean created) {}

  /** Filters and paging for {@code /api/actions}. */
  public record Query(
      Optional<String> status,
      Optional<String> category,
      Optional<String> repository,
      int limit,
      int offset) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final Supplier<String> ids;

  public Incidents(Jdbi jdbi, Clock clock, Supplier<String> ids) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.ids = ids;
  }

  /** A random action id, {@code ra-} and 20 hex digits. */
  public static Supplier<String> randomIds() {
    java.security.SecureRandom r = new java.security.SecureRandom();
    return () -> {
      byte[] b = new byte[10];
      r.nextBytes(b);
      return "ra-" + java.util.HexFormat.of().formatHex(b);
    };
  }

  /** Opens the incident for a failed run attempt, or finds the one that exists. */
  public Opened open(Seed s) {
    Optional<String> existing = idForRun(s.run().key());
    if (existing.isPresent()) {
      return new Opened(existing.get(), false);
    }
    String id = ids.get();
    OffsetDateTime now = Sql.utc(clock.instant());
    try {
      jdbi.useTransaction(
          h -> {
            h.createUpdate(
                    "INSERT INTO incidents (incident_id, run_key, provider, host, repository,"
                        + " project_id, run_id, run_attempt, failed_job_id, actor, step,"
                        + " step_failures, created_at, updated_at, pull_request_number,"
                        + " pull_request_url, pull_request_head, pull_request_base) VALUES (:id,"
                        + " :key, :p, :host, :repo, :pid, :run, :ra, :job, :actor, 'RECEIVED', 0,"
                        + " :now, :now, :prn, :pru, :prh, :prb)")
                .bind("id", id)
                .bind("key", s.run().key())
                .bind("p", s.run().repo().provider().wire())
                .bind("host", s.run().repo().host())
                .bind("repo", s.run().repo().fullName())
                .bind("pid", s.run().repo().projectId())
                .bind("run", s.run().runId())
                .bind("ra", s.run().attempt())
                .bind("job", s.failedJobId())
                .bind("actor", s.actor())
                .bind("now", now)
                .bind("prn", s.pullRequest().map(PullRequest::number).orElse(null))
                .bind("pru", s.pullRequest().map(PullRequest::url).orElse(null))
                .bind("prh", s.pullRequest().map(PullRequest::head).orElse(null))
                .bind("prb", s.pullRequest().map(PullRequest::base).orElse(null))
                .execute();
            h.createUpdate(
                    "INSERT INTO actions (action_id, pipeline_id, pipeline_url, repository,"
                        + " provider, branch, commit_sha, status, auto_fix_applied,"
                        + " approval_required, outcome, attempt, created_at, user_notified) VALUES"
                        + " (:id, :run, :url, :repo, :p, :branch, :sha, 'received', FALSE, FALSE,"
                        + " 'pending', :attempt, :now, FALSE)")
                .bind("id", id)
                .bind("run", s.run().runId())
                .bind("url", s.pipelineUrl())
                .bind("repo", s.run().repo().fullName())
                .bind("p", s.run().repo().provider().wire())
                .bind("branch", s.branch())
                .bind("sha", s.commitSha())
                .bind("attempt", s.attempt())
                .bind("now", now)
                .execute();
          });
      return new Opened(id, true);
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        return new Opened(idForRun(s.run().key()).orElseThrow(() -> e), false);
      }
      throw e;
    }
  }

  public Optional<String> idForRun(String runKey) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT incident_id FROM incidents WHERE run_key = :k")
                .bind("k", runKey)
                .mapTo(String.class)
                .findOne());
  }

  /** The incident whose fix started this run, for verifying by webhook. */
  public Optional<String> idForNewRun(String runKey) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT incident_id FROM incidents WHERE new_run_key = :k")
                .bind("k", runKey)
                .mapTo(String.class)
                .findFirst());
  }

  /** How many incidents this pipeline has had: the automatic attempts so far. */
  public int attemptsForPipeline(RunRef run) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM incidents WHERE provider = :p AND host = :h AND"
                        + " repository = :r AND run_id = :id")
                .bind("p", run.repo().provider().wire())
                .bind("h", run.repo().host())
                .bind("r", run.repo().fullName())
                .bind("id", run.runId())
                .mapTo(Integer.class)
                .one());
  }

  public Optional<Incident> incident(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM incidents WHERE incident_id = :id")
                .bind("id", id)
                .map((rs, ctx) -> incident(rs))
                .findOne());
  }

  private static Incident incident(ResultSet rs) throws SQLException {
    // the run, its re-run and its pull request are all of the one repository in the row
    RunRef run =
        Incident.run(
            rs.getString("provider"),
            rs.getString("host"),
            rs.getString("repository"),
            rs.getString("project_id"),
            rs.getString("run_id"),
            rs.getInt("run_attempt"));
    RunRef newRun =
        rs.getString("new_run_id") == null
            ? null
            : new RunRef(run.repo(), rs.getString("new_run_id"), rs.getInt("new_run_attempt"));
    return new Incident(
        rs.getString("incident_id"),
        run,
        rs.getString("failed_job_id"),
        rs.getString("actor"),
        rs.getString("step"),
        Optional.ofNullable(rs.getString("diagnosis_json")),
        Optional.ofNullable(rs.getString("plan_json")),
        Optional.ofNullable(rs.getString("verdict")),
        Optional.ofNullable(rs.getString("verdict_reason")),
        Optional.ofNullable(rs.getString("decided_by")),
        Optional.ofNullable(newRun),
        rs.getInt("step_failures"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getString("pull_request_number") == null
            ? Optional.empty()
            : Optional.of(
                new PullRequest(
                    run.repo(),
                    rs.getString("pull_request_number"),
                    rs.getString("pull_request_url"),
                    rs.getString("pull_request_head"),
                    rs.getString("pull_request_base"),
                    "open")));
  }

  /**
   * Writes incident and action columns in one transaction. Column names are checked against the
   * schema so a caller cannot write anything else.
   */
  public void update(String id, Map<String, ?> incidentColumns, Map<String, ?> actionColumns) {
    jdbi.useTransaction(
        h -> {
          Map<String, Object> inc = new LinkedHashMap<>(incidentColumns);
          inc.put("updated_at", Sql.utc(clock.instant()));
          set(h, "incidents", "incident_id", id, inc, INCIDENT_COLUMNS);
          if (!actionColumns.isEmpty()) {
            set(h, "actions", "action_id", id, new LinkedHashMap<>(actionColumns), ACTION_COLUMNS);
          }
        });
  }

  /**
   * Moves an incident from one step to another only if it is still at {@code from}: the guard that
   * lets approve, reject and a webhook race safely.
   */
  public boolean advance(String id, String from, String to, Map<String, ?> actionColumns) {
    return jdbi.inTransaction(
        h -> {
          int n =
              h.createUpdate(
                      "UPDATE incidents SET step = :to, updated_at = :now WHERE incident_id = :id"
                          + " AND step = :from")
                  .bind("to", to)
                  .bind("from", from)
                  .bind("id", id)
                  .bind("now", Sql.utc(clock.instant()))
                  .execute();
          if (n == 1 && !actionColumns.isEmpty()) {
            set(h, "actions", "action_id", id, new LinkedHashMap<>(actionColumns), ACTION_COLUMNS);
          }
          return n == 1;
        });
  }

  private static void set(
      Handle h,
      String table,
      String key,
      String id,
      Map<String, Object> cols,
      Set<String> allowed) {
    StringBuilder sql = new StringBuilder("UPDATE ").append(table).append(" SET ");
    int i = 0;
    for (String c : cols.keySet()) {
      if (!allowed.contains(c) && !c.equals("updated_at")) {
        throw new IllegalArgumentException("no column " + c + " in " + table);
      }
      sql.append(i++ == 0 ? "" : ", ").append(c).append(" = :").append(c);
    }
    sql.append(" WHERE ").append(key).append(" = :_id");
    Update u = h.createUpdate(sql.toString()).bind("_id", id);
    cols.forEach(
        (c, v) -> {
          Object val = v;
          if (v instanceof List<?> || v instanceof Map<?, ?>) {
            val = json(v);
          } else if (v instanceof java.time.Instant t) {
            val = Sql.utc(t);
          }
          if (val == null) {
            u.bindNull(
                c,
                c.equals("confidence") || c.equals("time_to_fix")
                    ? java.sql.Types.DOUBLE
                    : java.sql.Types.VARCHAR);
          } else {
            u.bind(c, val);
          }
        });
    u.execute();
  }

  static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public Optional<ActionRecord> action(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM actions WHERE action_id = :id")
                .bind("id", id)
                .map((rs, ctx) -> action(rs))
                .findOne());
  }

  /** Newest first, filtered and paged. */
  public List<ActionRecord> actions(Query q) {
    StringBuilder sql = new StringBuilder("SELECT * FROM actions WHERE 1 = 1");
    q.status().ifPresent(s -> sql.append(" AND status = :status"));
    q.category().ifPresent(s -> sql.append(" AND failure_category = :category"));
    q.repository().ifPresent(s -> sql.append(" AND repository = :repository"));
    sql.append(" ORDER BY created_at DESC, action_id DESC LIMIT :limit OFFSET :offset");
    return jdbi.withHandle(
        h -> {
          var query = h.createQuery(sql.toString());
          q.status().ifPresent(s -> query.bind("status", s));
          q.category().ifPresent(s -> query.bind("category", s));
          q.repository().ifPresent(s -> query.bind("repository", s));
          return query
              .bind("limit", q.limit())
              .bind("offset", q.offset())
              .map((rs, ctx) -> action(rs))
              .list();
        });
  }

  private static ActionRecord action(ResultSet rs) throws SQLException {
    return new ActionRecord(
        rs.getString("action_id"),
        rs.getString("pipeline_id"),
        rs.getString("pipeline_url"),
        rs.getString("repository"),
        rs.getString("provider"),
        rs.getString("branch"),
        rs.getString("commit_sha"),
        rs.getString("failure_category"),
        rs.getString("root_cause"),
        (Double) nullable(rs, rs.getDouble("confidence")),
        readList(rs.getString("evidence"), new TypeReference<List<ActionRecord.EvidenceLine>>() {}),
        rs.getString("playbook_used"),
        rs.getString("risk_level"),
        rs.getString("status"),
        rs.getBoolean("auto_fix_applied"),
        rs.getBoolean("approval_required"),
        readList(
            rs.getString("remediation_steps_executed"),
            new TypeReference<List<ActionRecord.StepResult>>() {}),
        rs.getString("outcome"),
        rs.getString("new_pipeline_id"),
        rs.getString("new_pipeline_url"),
        rs.getString("new_pipeline_status"),
        rs.getString("pull_request_url"),
        rs.getString("incident_url"),
        rs.getInt("attempt"),
        (Double) nullable(rs, rs.getDouble("time_to_fix")),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getBoolean("user_notified"));
  }

  private static Object nullable(ResultSet rs, double v) throws SQLException {
    return rs.wasNull() ? null : v;
  }

  private static <T> List<T> readList(String json, TypeReference<List<T>> type) {
    if (json == null) {
      return List.of();
    }
    try {
      return new ArrayList<>(JSON.readValue(json, type));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored record holds invalid JSON: " + e.getMessage(), e);
    }
  }

  /** Usage and successes of each playbook, for {@code /api/playbooks}. */
  public Map<String, long[]> playbookUsage() {
    Map<String, long[]> out = new LinkedHashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT playbook_used, COUNT(*) AS n, SUM(CASE WHEN outcome = 'success' THEN 1"
                        + " ELSE 0 END) AS ok, SUM(CASE WHEN outcome IN ('success', 'failure') THEN"
                        + " 1 ELSE 0 END) AS done FROM actions WHERE playbook_used IS NOT NULL GROUP"
                        + " BY playbook_used")
                .map(
                    (rs, ctx) ->
                        Map.entry(
                            rs.getString(1),
                            new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }
}
