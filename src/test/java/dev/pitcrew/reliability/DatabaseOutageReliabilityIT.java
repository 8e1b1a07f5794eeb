package dev.pitcrew.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pitcrew.store.Database;
import dev.pitcrew.store.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R4 on one machine: a real {@code pitcrew serve} JVM on a PostgreSQL server of the test's own,
 * which is stopped ({@code pg_ctl stop -m fast}) for 30 s while webhooks keep arriving. While it is
 * down every webhook must answer 503 with a reason (never 202 for something not stored) and {@code
 * /health} must be unready; once it is back, new deliveries are accepted, the refused ones are
 * accepted when redelivered (as GitHub's "Redeliver" does), the incident jobs carry on, and nothing
 * acknowledged before the outage is lost. Figures go to target/reliability/outage.json.
 */
@Tag("reliability")
class DatabaseOutageReliabilityIT {
  static final String SECRET = "outage-secret";
  static final int OUTAGE_SECONDS = Integer.getInteger("pitcrew.outage.seconds", 30);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  PrivatePostgres pg;
  ServeProcess server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  record Answer(int status, String body, double ms) {}

  @Test
  void webhooksAnswer503WhileTheDatabaseIsDownAndEverythingRecoversAfter() throws Exception {
    pg = PrivatePostgres.start();
    Map<String, String> settings = new HashMap<>();
    settings.put("PITCREW_DB_URL", pg.jdbcUrl());
    settings.put("PITCREW_DB_USER", "postgres");
    settings.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    settings.put("PITCREW_POLL_INTERVAL", "500ms");
    settings.put("PITCREW_HEARTBEAT", "2s");
    settings.put("PITCREW_RETRY_BASE_DELAY", "1s");
    server = ServeProcess.serve("outage-serve", tmp, settings, "512m");
    String base = "http://127.0.0.1:" + server.port();
    GitHubDeliveries github = new GitHubDeliveries(base, SECRET);
    HttpClient client = OpenLoop.client();
    Map<String, Long> runOf = new LinkedHashMap<>();
    Set<String> accepted = new HashSet<>();
    long[] nextRun = {3_000_000};
    java.util.function.Function<String, Answer> deliver =
        id -> {
          long run = runOf.computeIfAbsent(id, k -> nextRun[0]++);
          return send(client, github.request(id, github.body(run, true)));
        };

    List<String> before = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "before-" + i;
      Answer a = deliver.apply(id);
      assertThat(a.status()).as("before the outage: %s", a.body()).isEqualTo(202);
      accepted.add(id);
      before.add(id);
    }

    // the outage
    pg.stop();
    long down = System.nanoTime();
    List<Answer> webhooksDown = new ArrayList<>();
    List<Answer> healthDown = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    int k = 0;
    while (System.nanoTime() - down < Duration.ofSeconds(OUTAGE_SECONDS).toNanos()) {
      String id = "during-" + k++;
      Answer a = deliver.apply(id);
      webhooksDown.add(a);
      if (a.status() == 202) {
        accepted.add(id); // would be a lie; asserted below
      } else {
        refused.add(id);
      }
      healthDown.add(send(client, HttpRequest.newBuilder(URI.create(base + "/health")).build()));
      Thread.sleep(200);
    }
    double downSeconds = (System.nanoTime() - down) / 1e9;

    // back up: how long until a delivery is stored again and /health is ready
    pg.startServer();
    long up = System.nanoTime();
    double acceptAgain = -1;
    double healthyAgain = -1;
    List<Answer> webhooksUp = new ArrayList<>();
    while (System.nanoTime() - up < Duration.ofSeconds(60).toNanos()
        && (acceptAgain < 0 || healthyAgain < 0)) {
      if (acceptAgain < 0) {
        String id = "after-" + k++;
        Answer a = deliver.apply(id);
        webhooksUp.add(a);
        if (a.status() == 202) {
          accepted.add(id);
          acceptAgain = (System.nanoTime() - up) / 1e9;
        } else {
          refused.add(id);
        }
      }
      if (healthyAgain < 0
          && send(client, HttpRequest.newBuilder(URI.create(base + "/health")).build()).status()
              == 200) {
        healthyAgain = (System.nanoTime() - up) / 1e9;
      }
      Thread.sleep(100);
    }

    // GitHub's "Redeliver" of every refused delivery, then fresh ones
    List<Answer> redelivered = new ArrayList<>();
    for (String id : refused) {
      Answer a = deliver.apply(id);
      redelivered.add(a);
      if (a.status() == 202) {
        accepted.add(id);
      }
    }
    for (int i = 0; i < 40; i++) {
      String id = "fresh-" + i;
      Answer a = deliver.apply(id);
      assertThat(a.status()).as("after recovery: %s", a.body()).isEqualTo(202);
      accepted.add(id);
    }

    // the jobs resume: every acknowledged failure becomes an incident that runs to its end
    long settleStart = System.nanoTime();
    Map<String, Long> statuses = Map.of();
    long jobsLeft = -1;
    long pendingLeft = -1;
    try (Database db = TestDatabases.open(settings)) {
      while (System.nanoTime() - settleStart < Duration.ofSeconds(120).toNanos()) {
        // read in the order the work happens, so an empty table is not seen before a late row:
        // a delivery is marked processed after its job is scheduled, and a job is removed after
        // its last step is recorded; statuses read after both are final
        pendingLeft =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery("SELECT COUNT(*) FROM inbox WHERE status = 'PENDING'")
                            .mapTo(Long.class)
                            .one());
        jobsLeft =
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery(
                                "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'incident-step'")
                            .mapTo(Long.class)
                            .one());
        statuses = new TreeMap<>();
        for (Map<String, Object> row :
            db.jdbi()
                .withHandle(
                    h ->
                        h.createQuery("SELECT status, COUNT(*) AS n FROM actions GROUP BY status")
                            .mapToMap()
                            .list())) {
          statuses.put(String.valueOf(row.get("status")), ((Number) row.get("n")).longValue());
        }
        long total = statuses.values().stream().mapToLong(Long::longValue).sum();
        if (total == accepted.size() && jobsLeft == 0 && pendingLeft == 0) {
          break;
        }
        Thread.sleep(500);
      }
      double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
      Set<String> inboxKeys =
          new HashSet<>(
              db.jdbi()
                  .withHandle(
                      h ->
                          h.createQuery("SELECT delivery_key FROM inbox")
                              .mapTo(String.class)
                              .list()));
      Set<String> lost = new HashSet<>(accepted);
      lost.removeAll(inboxKeys);
      long incidents =
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT COUNT(*) FROM incidents").mapTo(Long.class).one());
      long duplicatesPerRun =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT COUNT(*) FROM (SELECT run_key FROM incidents GROUP BY run_key"
                                  + " HAVING COUNT(*) > 1) d")
                          .mapTo(Long.class)
                          .one());

      Map<String, Object> f = new LinkedHashMap<>();
      f.put("outage_s", OpenLoop.Result.round(downSeconds));
      f.put("webhooks_during_outage", webhooksDown.size());
      f.put("webhook_answers_during_outage", countBy(webhooksDown));
      f.put("webhook_503_max_ms", OpenLoop.Result.round(max(webhooksDown)));
      f.put("webhook_503_median_ms", OpenLoop.Result.round(median(webhooksDown)));
      f.put("health_answers_during_outage", countBy(healthDown));
      f.put("health_max_ms", OpenLoop.Result.round(max(healthDown)));
      f.put("reason_example", webhooksDown.isEmpty() ? "" : webhooksDown.get(0).body());
      f.put(
          "health_example",
          healthDown.isEmpty() ? "" : healthDown.get(healthDown.size() - 1).body());
      f.put("accepting_again_after_restart_s", OpenLoop.Result.round(acceptAgain));
      f.put("healthy_again_after_restart_s", OpenLoop.Result.round(healthyAgain));
      f.put("refused_then_redelivered", refused.size());
      f.put("redelivery_answers", countBy(redelivered));
      f.put("acknowledged", accepted.size());
      f.put("lost", lost.size());
      f.put("incidents", incidents);
      f.put("action_statuses", statuses);
      f.put("jobs_settled_s", OpenLoop.Result.round(settleSeconds));
      String json = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(f);
      Files.writeString(ServeProcess.outputDir().resolve("outage.json"), json);
      System.out.println("DatabaseOutageReliabilityIT figures:\n" + json);

      assertThat(webhooksDown).isNotEmpty();
      assertThat(webhooksDown)
          .as("while the database is down nothing can be stored: 503 with a reason, never 202")
          .allSatisfy(
              a -> {
                assertThat(a.status()).isEqualTo(503);
                assertThat(JSON.readTree(a.body()).path("reason").asText()).contains("database");
              });
      assertThat(healthDown)
          .allSatisfy(
              a -> {
                assertThat(a.status()).isEqualTo(503);
                JsonNode h = JSON.readTree(a.body());
                assertThat(h.path("status").asText()).isEqualTo("unready");
                assertThat(h.path("database").path("state").asText()).isEqualTo("failed");
                assertThat(h.path("database").path("reason").asText()).isNotBlank();
              });
      assertThat(acceptAgain).as("a delivery was accepted after the restart").isPositive();
      assertThat(healthyAgain).as("/health was ready after the restart").isPositive();
      assertThat(redelivered).allSatisfy(a -> assertThat(a.status()).isEqualTo(202));
      assertThat(lost).as("acknowledged deliveries missing after the outage").isEmpty();
      assertThat(inboxKeys).containsExactlyInAnyOrderElementsOf(accepted);
      assertThat(duplicatesPerRun).isZero();
      assertThat(incidents).isEqualTo(accepted.size());
      assertThat(pendingLeft).as("deliveries still unprocessed").isZero();
      assertThat(jobsLeft).as("incident jobs that never finished").isZero();
      assertThat(statuses.values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(accepted.size());
      assertThat(statuses.keySet())
          .as("every incident reached an end state")
          .isSubsetOf("skipped", "succeeded", "failed", "awaiting_approval");
    }
  }

  static Answer send(HttpClient client, HttpRequest r) {
    long t = System.nanoTime();
    try {
      HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
      return new Answer(resp.statusCode(), resp.body(), (System.nanoTime() - t) / 1e6);
    } catch (java.io.IOException e) {
      return new Answer(-1, String.valueOf(e), (System.nanoTime() - t) / 1e6);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Long> countBy(List<Answer> answers) {
    Map<String, Long> m = new TreeMap<>();
    answers.forEach(a -> m.merge(String.valueOf(a.status()), 1L, Long::sum));
    return m;
  }

  static double max(List<Answer> a) {
    return a.stream().mapToDouble(Answer::ms).max().orElse(0);
  }

  static double median(List<Answer> a) {
    double[] v = a.stream().mapToDouble(Answer::ms).sorted().toArray();
    return v.length == 0 ? 0 : v[v.length / 2];
  }
}
