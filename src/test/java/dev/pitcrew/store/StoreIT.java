package dev.pitcrew.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.audit.AuditLog;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same store behaviour on the embedded H2 file and on a real PostgreSQL server. */
class StoreIT {
  @TempDir Path tmp;
  private Database db;
  private Map<String, String> settings;

  private Database open(String kind) {
    settings = kind.equals("h2") ? TestDatabases.h2(tmp) : TestDatabases.postgres();
    db = TestDatabases.open(settings);
    return db;
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T14:22:00Z"), ZoneOffset.UTC);

  private static Incidents incidents(Database db) {
    AtomicInteger n = new AtomicInteger();
    return new Incidents(db.jdbi(), CLOCK, () -> "ra-test" + n.incrementAndGet());
  }

  private static RunRef run(String id, int attempt) {
    return new RunRef(new RepoRef(Provider.GITHUB, "github.com", "octo/app"), id, attempt);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void refusesASecondDeliveryWithTheSameIdOrTheSameFingerprint(String kind) {
    Inbox inbox = new Inbox(open(kind).jdbi(), CLOCK);
    var first =
        inbox.store(
            new Inbox.Delivery(
                "github", "d-1", "workflow_run", "failed:k1", Inbox.Status.PENDING, null, "{}"));
    var sameId =
        inbox.store(
            new Inbox.Delivery(
                "github", "d-1", "workflow_run", "failed:k2", Inbox.Status.PENDING, null, "{}"));
    var sameFailure =
        inbox.store(
            new Inbox.Delivery(
                "github", "d-2", "workflow_job", "failed:k1", Inbox.Status.PENDING, null, "{}"));
    var otherForge =
        inbox.store(
            new Inbox.Delivery(
                "gitlab", "d-1", "Pipeline Hook", null, Inbox.Status.IGNORED, "passed", "{}"));
    var noFingerprint =
        inbox.store(
            new Inbox.Delivery(
                "gitlab", "d-3", "Pipeline Hook", null, Inbox.Status.IGNORED, "passed", "{}"));

    assertThat(first).isInstanceOf(Inbox.Stored.Accepted.class);
    assertThat(sameId)
        .isEqualTo(new Inbox.Stored.Duplicate("this delivery id was already received"));
    assertThat(sameFailure)
        .isEqualTo(
            new Inbox.Stored.Duplicate("the same event was already received in another delivery"));
    assertThat(otherForge).isInstanceOf(Inbox.Stored.Accepted.class);
    assertThat(noFingerprint).isInstanceOf(Inbox.Stored.Accepted.class);
    assertThat(inbox.count()).isEqualTo(3);
    assertThat(inbox.pending(10)).hasSize(1);
    long id = ((Inbox.Stored.Accepted) first).id();
    assertThat(inbox.finish(id, Inbox.Status.PROCESSED, "opened ra-1")).isTrue();
    assertThat(inbox.finish(id, Inbox.Status.PROCESSED, "again")).isFalse();
    assertThat(inbox.find(id).orElseThrow().reason()).isEqualTo("opened ra-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void opensOneIncidentPerRunAttemptAndKeepsTheContractFields(String kind) {
    Incidents store = incidents(open(kind));
    var seed =
        new Incidents.Seed(
            run("42", 1),
            "7",
            "dev",
            "https://github.com/octo/app/actions/runs/42",
            "main",
            "abc",
            1);
    var a = store.open(seed);
    var b = store.open(seed);
    var c = store.open(new Incidents.Seed(run("42", 2), "7", "dev", "u", "main", "abc", 2));

    assertThat(a.created()).isTrue();
    assertThat(b).isEqualTo(new Incidents.Opened(a.incidentId(), false));
    assertThat(c.incidentId()).isNotEqualTo(a.incidentId());
    assertThat(store.attemptsForPipeline(run("42", 9))).isEqualTo(2);

    store.update(
        a.incidentId(),
        Map.of("step", "PLAN", "diagnosis_json", "{\"x\":1}"),
        Map.of(
            "status",
            "diagnosing",
            "failure_category",
            "dependency",
            "confidence",
            0.95,
            "evidence",
            List.of(new ActionRecord.EvidenceLine(12, "ModuleNotFoundError: x")),
            "remediation_steps_executed",
            List.of(new ActionRecord.StepResult("retry_pipeline", "success", 0.4, "re-ran"))));
    ActionRecord r = store.action(a.incidentId()).orElseThrow();
    assertThat(r.status()).isEqualTo("diagnosing");
    assertThat(r.confidence()).isEqualTo(0.95);
    assertThat(r.timeToFix()).isNull();
    assertThat(r.evidence())
        .containsExactly(new ActionRecord.EvidenceLine(12, "ModuleNotFoundError: x"));
    assertThat(r.remediationStepsExecuted().get(0).duration()).isEqualTo(0.4);
    assertThat(r.timestamp()).isEqualTo(CLOCK.instant());
    assertThat(store.incident(a.incidentId()).orElseThrow().step()).isEqualTo("PLAN");
    assertThat(store.incident(a.incidentId()).orElseThrow().diagnosisJson()).contains("{\"x\":1}");

    assertThat(store.advance(a.incidentId(), "PLAN", "JUDGE", Map.of())).isTrue();
    assertThat(store.advance(a.incidentId(), "PLAN", "APPLY", Map.of())).isFalse();

    assertThat(
            store.actions(
                new Incidents.Query(
                    Optional.of("diagnosing"), Optional.empty(), Optional.empty(), 10, 0)))
        .extracting(ActionRecord::actionId)
        .containsExactly(a.incidentId());
    assertThat(
            store.actions(
                new Incidents.Query(
                    Optional.empty(), Optional.of("code"), Optional.empty(), 10, 0)))
        .isEmpty();
    assertThat(
            store.actions(
                new Incidents.Query(
                    Optional.empty(), Optional.empty(), Optional.of("octo/app"), 1, 1)))
        .hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void auditChainVerifiesAndNamesTheFirstTamperedEntry(String kind) {
    Database d = open(kind);
    AuditLog log = new AuditLog(d.jdbi(), CLOCK);
    log.append("ra-1", "pitcrew", "diagnosed", "dependency, confidence 0.95");
    log.append("ra-1", "pitcrew", "apply.before", "retry_pipeline");
    log.append("ra-2", "pitcrew", "opened", "run 43");
    log.append("ra-1", "pitcrew", "apply.after", "re-ran run 42");

    assertThat(log.verify())
        .isEqualTo(new AuditLog.Verification(4, Optional.empty(), Optional.empty()));
    assertThat(log.trail("ra-1"))
        .extracting(AuditLog.Entry::event)
        .containsExactly("diagnosed", "apply.before", "apply.after");

    d.jdbi().useHandle(h -> h.execute("UPDATE audit_log SET detail = 'nothing' WHERE seq = 2"));
    assertThat(log.verify().firstBrokenSeq()).contains(2L);
    assertThat(log.verify().problem()).contains("entry 2 was changed after it was written");

    d.jdbi()
        .useHandle(h -> h.execute("UPDATE audit_log SET detail = 'retry_pipeline' WHERE seq = 2"));
    d.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq = 4"));
    assertThat(log.verify().firstBrokenSeq()).contains(4L);
    d.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq = 3"));
    assertThat(log.verify().problem())
        .hasValueSatisfying(p -> assertThat(p).contains("later entries were deleted"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void concurrentAppendsFromManyThreadsKeepOneChain(String kind) throws Exception {
    Database d = open(kind);
    AuditLog log = new AuditLog(d.jdbi(), Clock.systemUTC());
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int tt = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 25; i++) {
                      log.append("ra-" + tt, "pitcrew", "step", "n" + i);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(log.verify())
        .isEqualTo(new AuditLog.Verification(100, Optional.empty(), Optional.empty()));
  }

  /**
   * The queries every failed delivery makes on its way to an incident read an index, not the whole
   * table: the drain's cost per delivery must not grow with the history (12,000 incidents a minute
   * under the load test).
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void theDrainsPerDeliveryLookupsUseAnIndex(String kind) {
    Database d = open(kind);
    assertThat(
            plan(
                d,
                "SELECT COUNT(*) FROM incidents WHERE provider = 'github' AND host ="
                    + " 'github.com' AND repository = 'octo/app' AND run_id = '42'"))
        .containsIgnoringCase("incidents_pipeline_idx");
    assertThat(plan(d, "SELECT incident_id FROM incidents WHERE run_key = 'k'"))
        .containsIgnoringCase("incidents_run_uq");
    assertThat(plan(d, "SELECT incident_id FROM incidents WHERE new_run_key = 'k'"))
        .containsIgnoringCase("incidents_new_run_idx");
    assertThat(plan(d, "SELECT id FROM inbox WHERE status = 'PENDING' ORDER BY id"))
        .containsIgnoringCase("inbox_status_idx");
  }

  /**
   * The database's plan for a query. PostgreSQL prefers a scan of a small table, so seq scans are
   * switched off to ask which index it would use.
   */
  private static String plan(Database d, String query) {
    return d.jdbi()
        .withHandle(
            h -> {
              if (d.postgres()) {
                h.execute("SET enable_seqscan = off");
              }
              return String.join(
                  "\n", h.createQuery("EXPLAIN " + query).mapTo(String.class).list());
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void pruneRemovesOnlyHandledDeliveriesOlderThanTheCutOff(String kind) {
    Database d = open(kind);
    Instant t0 = Instant.parse("2026-10-01T00:00:00Z");
    Inbox old = new Inbox(d.jdbi(), Clock.fixed(t0, ZoneOffset.UTC));
    Inbox recent = new Inbox(d.jdbi(), Clock.fixed(t0.plusSeconds(40 * 86400), ZoneOffset.UTC));
    for (int i = 0; i < 5; i++) {
      old.store(
          new Inbox.Delivery(
              "github", "old-" + i, "workflow_run", null, Inbox.Status.IGNORED, "passed", "{}"));
    }
    var pendingOld =
        old.store(
            new Inbox.Delivery(
                "github", "old-p", "workflow_run", "failed:x", Inbox.Status.PENDING, null, "{}"));
    var processedOld =
        old.store(
            new Inbox.Delivery(
                "github", "old-d", "workflow_run", "failed:y", Inbox.Status.PENDING, null, "{}"));
    old.finish(((Inbox.Stored.Accepted) processedOld).id(), Inbox.Status.PROCESSED, "opened");
    recent.store(
        new Inbox.Delivery(
            "github", "new-1", "workflow_run", null, Inbox.Status.IGNORED, "passed", "{}"));

    // batches of two: the loop must go on until nothing old is left
    assertThat(old.prune(t0.plusSeconds(10 * 86400), 2)).isEqualTo(6);

    assertThat(old.count()).isEqualTo(2);
    assertThat(old.find(((Inbox.Stored.Accepted) pendingOld).id())).isPresent();
    assertThat(old.pending(10)).hasSize(1);
    assertThat(old.prune(t0.plusSeconds(10 * 86400), 2)).isZero();
    // the removed delivery's keys are free again: a redelivery is stored
    assertThat(
            old.store(
                new Inbox.Delivery(
                    "github",
                    "old-d",
                    "workflow_run",
                    "failed:y",
                    Inbox.Status.PENDING,
                    null,
                    "{}")))
        .isInstanceOf(Inbox.Stored.Accepted.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aLaterPassedAttemptIsFoundByItsExactFingerprint(String kind) {
    Database d = open(kind);
    Inbox inbox = new Inbox(d.jdbi(), CLOCK);
    for (String f :
        List.of(
            "passed:" + run("42", 3).key(),
            "passed:" + run("42", 5).key(),
            // another run whose id starts with this one's, and a failure of a later attempt
            "passed:" + run("420", 9).key(),
            "failed:" + run("42", 7).key())) {
      inbox.store(
          new Inbox.Delivery("github", f, "workflow_run", f, Inbox.Status.PENDING, null, "{}"));
    }
    assertThat(inbox.laterPassedAttempt(run("42", 1))).isEqualTo(5);
    assertThat(inbox.laterPassedAttempt(run("42", 4))).isEqualTo(5);
    assertThat(inbox.laterPassedAttempt(run("42", 5))).isZero();
    assertThat(inbox.laterPassedAttempt(run("4", 1))).isZero();
    assertThat(inbox.laterPassedAttempt(run("420", 8))).isEqualTo(9);

    assertThat(plan(d, "SELECT fingerprint FROM inbox WHERE fingerprint IN ('a', 'b')"))
        .containsIgnoringCase("inbox_fingerprint_uq");
  }
}
