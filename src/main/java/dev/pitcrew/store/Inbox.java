package dev.pitcrew.store;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Accepted webhook deliveries, stored in the request before it is answered. The delivery key and
 * the semantic fingerprint are unique, so a redelivery, a replay or the same failure reported twice
 * (as {@code workflow_run} and {@code workflow_job}) is refused by the database itself.
 */
public final class Inbox {
  /** Where a delivery stands: to be processed, recorded only, processed. */
  public enum Status {
    PENDING,
    IGNORED,
    PROCESSED,
    FAILED
  }

  /**
   * A delivery as received. {@code fingerprint} is null when it needs no semantic de-duplication.
   */
  public record Delivery(
      String provider,
      String deliveryKey,
      String eventType,
      String fingerprint,
      Status status,
      String reason,
      String payload) {}

  /** What storing a delivery did. */
  public sealed interface Stored {
    record Accepted(long id) implements Stored {}

    record Duplicate(String why) implements Stored {}
  }

  /** A stored delivery. */
  public record Entry(
      long id,
      String provider,
      String deliveryKey,
      String eventType,
      String fingerprint,
      Status status,
      String reason,
      String payload,
      Instant receivedAt) {}

  private final Jdbi jdbi;
  private final Clock clock;

  public Inbox(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public Stored store(Delivery d) {
    try {
      long id =
          jdbi.withHandle(
              h ->
                  h.createUpdate(
                          "INSERT INTO inbox (provider, delivery_key, event_type, fingerprint,"
                              + " status, reason, payload, received_at) VALUES (:p, :k, :e, :f, :s,"
                              + " :r, :payload, :at)")
                      .bind("p", d.provider())
                      .bind("k", d.deliveryKey())
                      .bind("e", d.eventType())
                      .bind("f", d.fingerprint())
                      .bind("s", d.status().name())
                      .bind("r", d.reason())
                      .bind("payload", d.payload())
                      .bind("at", now())
                      .executeAndReturnGeneratedKeys("id")
                      .mapTo(Long.class)
                      .one());
      return new Stored.Accepted(id);
    } catch (UnableToExecuteStatementException e) {
      if (Sql.isUniqueViolation(e)) {
        String msg = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return new Stored.Duplicate(
            msg.contains("inbox_fingerprint_uq")
                ? "the same event was already received in another delivery"
                : "this delivery id was already received");
      }
      throw e;
    }
  }

  /** The oldest pending deliveries, for the drain. */
  public List<Entry> pending(int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM inbox WHERE status = 'PENDING' ORDER BY id")
                .setMaxRows(limit)
                .map(
                    (rs, ctx) ->
                        new Entry(
                            rs.getLong("id"),
                            rs.getString("provider"),
                            rs.getString("delivery_key"),
                            rs.getString("event_type"),
                            rs.getString("fingerprint"),
                            Status.valueOf(rs.getString("status")),
                            rs.getString("reason"),
                            rs.getString("payload"),
                            rs.getObject("received_at", OffsetDateTime.class).toInstant()))
                .list());
  }

  /** Marks a pending delivery done; false when another worker got there first. */
  public boolean finish(long id, Status status, String reason) {
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "UPDATE inbox SET status = :s, reason = :r, processed_at = :at WHERE id = :id"
                            + " AND status = 'PENDING'")
                    .bind("s", status.name())
                    .bind("r", reason)
                    .bind("at", now())
                    .bind("id", id)
                    .execute())
        == 1;
  }

  public Optional<Entry> find(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM inbox WHERE id = :id")
                .bind("id", id)
                .map(
                    (rs, ctx) ->
                        new Entry(
                            rs.getLong("id"),
                            rs.getString("provider"),
                            rs.getString("delivery_key"),
                            rs.getString("event_type"),
                            rs.getString("fingerprint"),
                            Status.valueOf(rs.getString("status")),
                            rs.getString("reason"),
                            rs.getString("payload"),
                            rs.getObject("received_at", OffsetDateTime.class).toInstant()))
                .findOne());
  }

  /**
   * Later attempts looked for by {@link #laterPassedAttempt}: GitHub lets a run be re-run up to 50
   * times, and GitLab retries keep the pipeline's attempt.
   */
  static final int LATER_ATTEMPTS = 64;

  /**
   * The highest attempt of the same run that passed after the given one, or 0: a failure of an
   * older attempt that arrives late is stale and must not be acted on. The later attempts' exact
   * fingerprints are looked up through their unique index. A prefix {@code LIKE}, as before, cannot
   * use that index on PostgreSQL under a non-C collation, so every failed delivery read the whole
   * inbox there.
   */
  public int laterPassedAttempt(dev.pitcrew.forge.RunRef run) {
    String key = run.key();
    String prefix = "passed:" + key.substring(0, key.lastIndexOf(':') + 1);
    List<String> wanted = new java.util.ArrayList<>(LATER_ATTEMPTS);
    for (int a = run.attempt() + 1; a <= run.attempt() + LATER_ATTEMPTS; a++) {
      wanted.add(prefix + a);
    }
    List<String> prints =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT fingerprint FROM inbox WHERE fingerprint IN (<f>)")
                    .bindList("f", wanted)
                    .mapTo(String.class)
                    .list());
    int best = 0;
    for (String f : prints) {
      best = Math.max(best, Integer.parseInt(f.substring(prefix.length())));
    }
    return best;
  }

  /**
   * Removes handled deliveries received before {@code before}, in batches so that no transaction
   * holds a large part of the table; pending ones stay whatever their age. The unique delivery keys
   * go with them: a redelivery of a removed delivery is stored again, and finds its incident
   * already open (incidents are unique per run attempt), so it acts on nothing twice. Returns how
   * many.
   */
  public int prune(Instant before, int batch) {
    OffsetDateTime at = OffsetDateTime.ofInstant(before, ZoneOffset.UTC);
    int total = 0;
    int n;
    do {
      n =
          jdbi.withHandle(
              h -> {
                List<Long> ids =
                    h.createQuery(
                            "SELECT id FROM inbox WHERE received_at < :at AND status <> 'PENDING'"
                                + " ORDER BY received_at")
                        .bind("at", at)
                        .setMaxRows(batch)
                        .mapTo(Long.class)
                        .list();
                return ids.isEmpty()
                    ? 0
                    : h.createUpdate(
                            "DELETE FROM inbox WHERE id IN (<ids>) AND status <> 'PENDING'")
                        .bindList("ids", ids)
                        .execute();
              });
      total += n;
    } while (n == batch);
    return total;
  }

  /** How many deliveries wait to be processed (a count, for the metrics gauge). */
  public long pendingCount() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'")
                .mapTo(Long.class)
                .one());
  }

  public long count() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM inbox").mapTo(Long.class).one());
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
