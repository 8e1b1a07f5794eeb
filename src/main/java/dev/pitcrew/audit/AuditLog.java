package dev.pitcrew.audit;

import dev.pitcrew.store.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Append-only, hash-chained log of what Pitcrew decided and did. Each entry's hash covers its
 * fields and the previous entry's hash, so changing or deleting a row breaks the chain at that row.
 * Appends are serialised through a locked head row, so replicas sharing one database extend one
 * chain. Entries are written before an action and after its outcome.
 */
public final class AuditLog {
  public static final String GENESIS = "0".repeat(64);

  /** One entry. */
  public record Entry(
      long seq,
      String incidentId,
      Instant at,
      String actor,
      String event,
      String detail,
      String prevHash,
      String hash) {}

  /** The result of checking the chain: empty problem when intact. */
  public record Verification(
      long entries, Optional<Long> firstBrokenSeq, Optional<String> problem) {
    public boolean intact() {
      return firstBrokenSeq.isEmpty();
    }
  }

  private final Jdbi jdbi;
  private final Clock clock;

  public AuditLog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Appends an entry and returns it. {@code detail} must not hold secrets. */
  public Entry append(String incidentId, String actor, String event, String detail) {
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return jdbi.inTransaction(
        h -> {
          var head =
              h.createQuery("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                  .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2)})
                  .one();
          long seq = (Long) head[0] + 1;
          String prev = (String) head[1];
          String hash = hash(seq, incidentId, at, actor, event, detail, prev);
          h.createUpdate(
                  "INSERT INTO audit_log (seq, incident_id, at, actor, event, detail, prev_hash,"
                      + " hash) VALUES (:seq, :inc, :at, :actor, :event, :detail, :prev, :hash)")
              .bind("seq", seq)
              .bind("inc", incidentId)
              .bind("at", Sql.utc(at))
              .bind("actor", actor)
              .bind("event", event)
              .bind("detail", detail)
              .bind("prev", prev)
              .bind("hash", hash)
              .execute();
          h.createUpdate("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")
              .bind("seq", seq)
              .bind("hash", hash)
              .execute();
          return new Entry(seq, incidentId, at, actor, event, detail, prev, hash);
        });
  }

  /** The trail of one incident, oldest first. */
  public List<Entry> trail(String incidentId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM audit_log WHERE incident_id = :id ORDER BY seq")
                .bind("id", incidentId)
                .map((rs, ctx) -> entry(rs))
                .list());
  }

  /** Walks the whole chain and reports the first entry whose hash or link does not hold. */
  public Verification verify() {
    return jdbi.withHandle(
        h -> {
          long[] count = {0};
          long[] expectSeq = {1};
          String[] prev = {GENESIS};
          Long[] broken = {null};
          String[] why = {null};
          h.createQuery("SELECT * FROM audit_log ORDER BY seq")
              .setFetchSize(500)
              .map((rs, ctx) -> entry(rs))
              .useStream(
                  s ->
                      s.forEach(
                          e -> {
                            count[0]++;
                            if (broken[0] != null) {
                              return;
                            }
                            if (e.seq() != expectSeq[0]) {
                              broken[0] = expectSeq[0];
                              why[0] = "entry " + expectSeq[0] + " is missing";
                            } else if (!e.prevHash().equals(prev[0])) {
                              broken[0] = e.seq();
                              why[0] = "entry " + e.seq() + " does not link to the entry before it";
                            } else if (!e.hash()
                                .equals(
                                    hash(
                                        e.seq(),
                                        e.incidentId(),
                                        e.at(),
                                        e.actor(),
                                        e.event(),
                                        e.detail(),
                                        e.prevHash()))) {
                              broken[0] = e.seq();
                              why[0] = "entry " + e.seq() + " was changed after it was written";
                            }
                            expectSeq[0] = e.seq() + 1;
                            prev[0] = e.hash();
                          }));
          if (broken[0] == null) {
            var head =
                h.createQuery("SELECT seq, hash FROM audit_head WHERE id = 1")
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2)})
                    .one();
            if ((Long) head[0] != expectSeq[0] - 1 || !head[1].equals(prev[0])) {
              broken[0] = expectSeq[0];
              why[0] =
                  "the chain ends at entry "
                      + (expectSeq[0] - 1)
                      + " but entry "
                      + head[0]
                      + " was written: later entries were deleted";
            }
          }
          return new Verification(
              count[0], Optional.ofNullable(broken[0]), Optional.ofNullable(why[0]));
        });
  }

  private static Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Entry(
        rs.getLong("seq"),
        rs.getString("incident_id"),
        rs.getObject("at", OffsetDateTime.class).toInstant(),
        rs.getString("actor"),
        rs.getString("event"),
        rs.getString("detail"),
        rs.getString("prev_hash"),
        rs.getString("hash"));
  }

  static String hash(
      long seq,
      String incident,
      Instant at,
      String actor,
      String event,
      String detail,
      String prev) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String part :
          new String[] {
            Long.toString(seq),
            incident == null ? "" : incident,
            at.toString(),
            actor,
            event,
            detail,
            prev
          }) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
        md.update((byte) ':');
        md.update(b);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
