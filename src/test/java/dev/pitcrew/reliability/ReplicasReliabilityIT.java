package dev.pitcrew.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pitcrew.audit.AuditLog;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.service.TableForge;
import dev.pitcrew.service.TestParts;
import dev.pitcrew.store.Database;
import dev.pitcrew.store.TestDatabases;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas (each its own JVM, {@link dev.pitcrew.service.ReplicaMain}) on one fresh PostgreSQL
 * database share 100 failed runs. Each failure is delivered twice at the same moment, under two
 * delivery ids, one to each replica (an app hook and a repo hook). The forge lives in tables of
 * that database ({@link TableForge}) and counts every re-run with the replica that made it. Each
 * incident must be handled exactly once: one 202 per run, one re-run per run, one notification, one
 * audit chain per incident that verifies, and both replicas doing part of the work.
 */
@Tag("reliability")
class ReplicasReliabilityIT {
  static final String SECRET = "replica-secret";
  static final RepoRef REPO = new RepoRef(Provider.GITHUB, "github.com", "octo-org/octo-repo");
  static final int RUNS = Integer.getInteger("pitcrew.replicas.runs", 100);

  /** Between two failures (each delivered twice): 10 failures a second, 20 deliveries. */
  static final int PAUSE_MS = Integer.getInteger("pitcrew.replicas.pause-ms", 100);

  @TempDir Path tmp;
  Map<String, String> settings;
  ServeProcess a;
  ServeProcess b;
  Database db;

  @AfterEach
  void stop() {
    for (ServeProcess p : new ServeProcess[] {a, b}) {
      if (p != null) {
        p.close();
      }
    }
    if (db != null) {
      db.close();
    }
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  @Test
  void twoReplicasShareOneHundredIncidentsAndHandleEachExactlyOnce() throws Exception {
    settings = new HashMap<>(TestDatabases.postgres());
    settings.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    settings.put("PITCREW_POLL_INTERVAL", "200ms");
    settings.put("PITCREW_HEARTBEAT", "1s");
    settings.put("PITCREW_RETRY_BASE_DELAY", "1s");
    settings.put("PITCREW_VERIFY_POLL_INTERVAL", "500ms");
    db = Database.open(PitcrewConfig.of(settings));
    TableForge forge = new TableForge(db.jdbi(), "test");
    for (int i = 0; i < RUNS; i++) {
      forge.seed(
          new RunRef(REPO, String.valueOf(9000 + i), 1), "failed", TestParts.RUNNER_LOST_LOG);
    }
    CompletableFuture<ServeProcess> startA = start("replica-a");
    CompletableFuture<ServeProcess> startB = start("replica-b");
    try {
      a = startA.join();
      b = startB.join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
    GitHubDeliveries toA = new GitHubDeliveries("http://127.0.0.1:" + a.port(), SECRET);
    GitHubDeliveries toB = new GitHubDeliveries("http://127.0.0.1:" + b.port(), SECRET);
    HttpClient client = OpenLoop.client();

    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> viaA = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> viaB = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      byte[] body = toA.body(9000 + i, true);
      boolean even = i % 2 == 0;
      viaA.add(
          client.sendAsync(
              toA.request((even ? "app-" : "repo-") + i, body),
              HttpResponse.BodyHandlers.ofString()));
      viaB.add(
          client.sendAsync(
              toB.request((even ? "repo-" : "app-") + i, body),
              HttpResponse.BodyHandlers.ofString()));
      Thread.sleep(PAUSE_MS);
    }
    Map<String, Integer> acceptedBy = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      HttpResponse<String> ra;
      HttpResponse<String> rb;
      try {
        ra = viaA.get(i).join();
        rb = viaB.get(i).join();
      } catch (CompletionException e) {
        wrong.add("run " + (9000 + i) + ": no answer: " + e.getCause());
        continue;
      }
      String pair = ra.statusCode() + "/" + rb.statusCode();
      if (pair.equals("202/200")) {
        acceptedBy.merge("replica-a", 1, Integer::sum);
      } else if (pair.equals("200/202")) {
        acceptedBy.merge("replica-b", 1, Integer::sum);
      } else {
        wrong.add("run " + (9000 + i) + ": " + ra.body() + " / " + rb.body());
      }
      String dup = ra.statusCode() == 200 ? ra.body() : rb.body();
      if (!dup.contains("duplicate")) {
        wrong.add("run " + (9000 + i) + ": the second delivery was not a duplicate: " + dup);
      }
    }
    assertThat(wrong).as("each failure accepted once, its twin answered 200 duplicate").isEmpty();

    // every run is re-run once; then the re-runs pass and each incident ends verified
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> forge.calls("rerun") >= RUNS);
    double allReRun = (System.nanoTime() - start) / 1e9;
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE tf_runs SET outcome = 'passed' WHERE run_key LIKE ? AND outcome = 'running'",
                    "%:2"));
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                count("SELECT COUNT(*) FROM actions WHERE status = 'succeeded'") == RUNS
                    && forge.calls("notify") >= RUNS);
    double allDone = (System.nanoTime() - start) / 1e9;
    Thread.sleep(2000); // anything acting twice would do it now

    List<String> reRuns = forge.targets("rerun");
    Map<String, Integer> reRunsBy = forge.callsByReplica("rerun");
    Map<String, Integer> notifiedBy = forge.callsByReplica("notify");
    AuditLog audit = new AuditLog(db.jdbi(), Clock.systemUTC());
    Map<String, Long> eventsPerIncident = new TreeMap<>();
    List<String> ids =
        db.jdbi()
            .withHandle(
                h -> h.createQuery("SELECT action_id FROM actions").mapTo(String.class).list());
    List<String> badTrails = new ArrayList<>();
    for (String id : ids) {
      List<String> events = audit.trail(id).stream().map(AuditLog.Entry::event).toList();
      for (String once : List.of("diagnosed", "apply.before", "apply.after")) {
        long n = events.stream().filter(once::equals).count();
        if (n != 1) {
          badTrails.add(id + " has " + n + " × " + once + ": " + events);
        }
      }
      eventsPerIncident.merge(String.valueOf(events.size()), 1L, Long::sum);
    }
    AuditLog.Verification verified = audit.verify();

    Map<String, Object> f = new LinkedHashMap<>();
    f.put("runs", RUNS);
    f.put("deliveries", 2 * RUNS);
    f.put("accepted_by_replica", acceptedBy);
    f.put("reruns", reRuns.size());
    f.put("distinct_runs_rerun", reRuns.stream().distinct().count());
    f.put("reruns_by_replica", reRunsBy);
    f.put("notifications", forge.calls("notify"));
    f.put("notifications_by_replica", notifiedBy);
    f.put("incidents", count("SELECT COUNT(*) FROM incidents"));
    f.put("audit_entries", count("SELECT COUNT(*) FROM audit_log"));
    f.put("audit_events_per_incident", eventsPerIncident);
    f.put("audit_chain_intact", verified.intact());
    f.put("all_rerun_after_s", OpenLoop.Result.round(allReRun));
    f.put("all_verified_after_s", OpenLoop.Result.round(allDone));
    String json =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(f);
    Files.writeString(ServeProcess.outputDir().resolve("replicas.json"), json);
    System.out.println("ReplicasReliabilityIT figures:\n" + json);

    assertThat(reRuns)
        .as("exactly one re-run per failed run")
        .hasSize(RUNS)
        .doesNotHaveDuplicates();
    assertThat(forge.targets("notify")).hasSize(RUNS).doesNotHaveDuplicates();
    assertThat(count("SELECT COUNT(*) FROM incidents")).isEqualTo(RUNS);
    assertThat(ids).hasSize(RUNS);
    assertThat(badTrails).as("audit trails with a step recorded other than once").isEmpty();
    assertThat(verified.intact()).as("the shared audit chain verifies").isTrue();
    assertThat(reRunsBy.keySet())
        .as("both replicas re-ran pipelines")
        .contains("replica-a", "replica-b");
  }

  private CompletableFuture<ServeProcess> start(String name) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return ServeProcess.replica(name, tmp, settings);
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        });
  }

  private long count(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
