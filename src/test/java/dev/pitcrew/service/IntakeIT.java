package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.intake.Signatures;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook intake of a real {@code pitcrew serve} on loopback, with the embedded database. */
class IntakeIT {
  static final String OLD = "old-secret";
  static final String NEW = "new-secret";
  static final String TOKEN = "api-token-for-tests";
  static final String SIGNING = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path tmp;
  PitcrewService service;
  Http http;

  @BeforeEach
  void start() {
    Map<String, String> s = new java.util.HashMap<>(TestDatabases.h2(tmp));
    s.put("PITCREW_GITHUB_WEBHOOK_SECRET", OLD + "," + NEW);
    s.put("PITCREW_GITLAB_WEBHOOK_TOKEN", "gl-token");
    s.put("PITCREW_GITLAB_WEBHOOK_SIGNING_TOKEN", SIGNING);
    s.put("PITCREW_API_TOKEN", TOKEN);
    s.put("PITCREW_POLL_INTERVAL", "200ms");
    s.put("PITCREW_MAX_BODY_MB", "1");
    s.put("PITCREW_BOT_LOGINS", "pitcrew[bot]");
    service = PitcrewService.start(PitcrewConfig.of(s), TestParts.rulesOnly(), "127.0.0.1", 0);
    http = new Http(service.port());
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void acceptsASignedFailureOnceAndAnswersDuplicatesWith200() {
    byte[] body = Payloads.bytes(Payloads.workflowRun("failure"));
    var first = http.github(OLD, "workflow_run", "d-1", body);
    var again = http.github(OLD, "workflow_run", "d-1", body);
    var redelivered = http.github(NEW, "workflow_run", "d-2", body);

    assertThat(first.status()).isEqualTo(202);
    assertThat(first.json().path("status").asText()).isEqualTo("accepted");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("reason").asText())
        .isEqualTo("this delivery id was already received");
    assertThat(redelivered.status()).isEqualTo(200);
    assertThat(redelivered.json().path("status").asText()).isEqualTo("duplicate");
  }

  @Test
  void theSameFailureAsWorkflowJobAndWorkflowRunOpensOneIncident() {
    ObjectNode job = Payloads.load("github/workflow_job/01_completed.json");
    ObjectNode run = Payloads.workflowRun("failure");
    ((ObjectNode) run.get("workflow_run"))
        .put("id", job.get("workflow_job").get("run_id").asLong());
    run.set("repository", job.get("repository"));
    ((ObjectNode) run.get("workflow_run")).set("head_repository", job.get("repository"));

    assertThat(http.github(NEW, "workflow_job", "j-1", Payloads.bytes(job)).status())
        .isEqualTo(202);
    var second = http.github(NEW, "workflow_run", "r-1", Payloads.bytes(run));
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().path("reason").asText())
        .isEqualTo("the same event was already received in another delivery");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> actions().size() == 1 && actions().get(0).status().equals("skipped"));
    ActionRecord a = actions().get(0);
    assertThat(a.pipelineId()).isEqualTo("2202229078");
    assertThat(a.repository()).isEqualTo("Codertocat/Hello-World");
    assertThat(a.outcome()).isEqualTo("manual");
    var detail =
        http.get("/api/actions/" + a.actionId(), Map.of("Authorization", "Bearer " + TOKEN));
    assertThat(detail.status()).isEqualTo(200);
    assertThat(detail.json().path("action_id").asText()).isEqualTo(a.actionId());
    List<String> events = new ArrayList<>();
    detail.json().path("audit_trail").forEach(e -> events.add(e.path("event").asText()));
    assertThat(events).containsExactly("received", "manual", "notified");
    assertThat(detail.json().path("audit_trail").get(1).path("detail").asText())
        .contains("no forge is configured for github");
  }

  @Test
  void refusesMissingWrongAndUnconfiguredSignaturesWith401() {
    byte[] body = Payloads.bytes(Payloads.workflowRun("failure"));
    assertThat(
            http.post(
                    "/webhooks/github",
                    body,
                    Map.of("X-GitHub-Event", "workflow_run", "X-GitHub-Delivery", "x"))
                .status())
        .isEqualTo(401);
    assertThat(http.github("not-the-secret", "workflow_run", "x", body).status()).isEqualTo(401);
    byte[] tampered = Arrays.copyOf(body, body.length);
    tampered[10] ^= 1;
    var r =
        http.post(
            "/webhooks/github",
            tampered,
            Map.of(
                "X-GitHub-Event",
                "workflow_run",
                "X-GitHub-Delivery",
                "x",
                "X-Hub-Signature-256",
                Signatures.githubHeader(OLD, body)));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("reason").asText()).isEqualTo("missing or wrong X-Hub-Signature-256");
    assertThat(service.inbox().count()).isZero();
  }

  /**
   * T1 of the threat model: forged deliveries of every kind are refused with 401 before anything is
   * parsed or stored, and leave no inbox row, incident or job behind.
   */
  @Test
  void aCorpusOfForgedDeliveriesIsRefusedAndLeavesNoTrace() throws Exception {
    byte[] body = Payloads.bytes(Payloads.workflowRun("failure"));
    String good = Signatures.githubHeader(NEW, body);
    // the same JSON re-serialised (pretty-printed): equal content, other bytes
    byte[] reserialised =
        Payloads.JSON
            .writerWithDefaultPrettyPrinter()
            .writeValueAsBytes(Payloads.JSON.readTree(body));
    byte[] other = Payloads.bytes(Payloads.workflowRun("success"));
    Map<String, String> forged = new LinkedHashMap<>();
    forged.put("no header", null);
    forged.put("empty header", "");
    forged.put("no digest", "sha256=");
    forged.put("truncated hex", good.substring(0, good.length() - 2));
    forged.put(
        "one hex digit changed",
        good.substring(0, 20) + (good.charAt(20) == 'a' ? 'b' : 'a') + good.substring(21));
    forged.put("not hex", "sha256=" + "z".repeat(64));
    forged.put("sha1 scheme", "sha1=" + good.substring(7, 47));
    forged.put("no scheme", good.substring(7));
    forged.put("wrong secret", Signatures.githubHeader("guessed-secret", body));
    forged.put("another body's signature", Signatures.githubHeader(NEW, other));
    List<String> wrong = new ArrayList<>();
    int n = 0;
    for (var f : forged.entrySet()) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("X-GitHub-Event", "workflow_run");
      h.put("X-GitHub-Delivery", "forged-" + n++);
      if (f.getValue() != null) {
        h.put("X-Hub-Signature-256", f.getValue());
      }
      var r = http.post("/webhooks/github", body, h);
      if (r.status() != 401) {
        wrong.add(f.getKey() + ": " + r.status() + " " + r.text());
      }
    }
    var reserialisedReply =
        http.post(
            "/webhooks/github",
            reserialised,
            Map.of(
                "X-GitHub-Event", "workflow_run",
                "X-GitHub-Delivery", "forged-reserialised",
                "X-Hub-Signature-256", good));
    if (reserialisedReply.status() != 401) {
      wrong.add("re-serialised body: " + reserialisedReply.status());
    }
    byte[] pipeline = Payloads.bytes(Payloads.pipeline("failed"));
    for (String token : List.of("", "gl-toke", "gl-tokenn", "GL-TOKEN", "gl-token,gl-token")) {
      var r =
          http.post(
              "/webhooks/gitlab",
              pipeline,
              Map.of("X-Gitlab-Token", token, "X-Gitlab-Event", "Pipeline Hook"));
      if (r.status() != 401) {
        wrong.add("gitlab token '" + token + "': " + r.status());
      }
    }

    assertThat(wrong).as("forged deliveries that were not refused with 401").isEmpty();
    assertThat(service.inbox().count()).isZero();
    assertThat(actions()).isEmpty();
    int jobs =
        service
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = :t")
                        .bind("t", dev.pitcrew.incident.IncidentJobs.STEP_TASK)
                        .mapTo(Integer.class)
                        .one());
    assertThat(jobs).isZero();
  }

  /**
   * R9 of the threat model, for deliveries that do carry a valid signature (a leaked secret, or a
   * bug upstream): deep nesting, invalid UTF-8, truncated and odd JSON, huge numbers and strings
   * are answered 400 with a reason, never a 5xx, and the service stays healthy.
   */
  @Test
  void hostileSignedPayloadsAre400NeverA5xx() {
    Map<String, byte[]> hostile = new LinkedHashMap<>();
    hostile.put("10,000-deep arrays", ("[".repeat(10_000) + "]".repeat(10_000)).getBytes());
    hostile.put(
        "10,000-deep objects",
        ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
    hostile.put(
        "invalid UTF-8",
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
    hostile.put("truncated", "{\"action\":\"completed\",\"workflow_run\":{".getBytes());
    hostile.put("empty", new byte[0]);
    hostile.put("top-level array", "[1,2,3]".getBytes());
    hostile.put("top-level string", "\"workflow_run\"".getBytes());
    hostile.put("null", "null".getBytes());
    hostile.put(
        "a huge number for the run id",
        "{\"action\":\"completed\",\"workflow_run\":{\"id\":1e999999999}}".getBytes());
    List<String> wrong = new ArrayList<>();
    int n = 0;
    for (var h : hostile.entrySet()) {
      var r = http.github(OLD, "workflow_run", "hostile-" + n++, h.getValue());
      if (r.status() != 400 || r.json() == null || r.json().path("reason").asText().isBlank()) {
        wrong.add(
            h.getKey()
                + ": "
                + r.status()
                + " "
                + r.text().substring(0, Math.min(200, r.text().length())));
      }
    }
    assertThat(wrong).as("hostile payloads not answered 400 with a reason").isEmpty();
    assertThat(service.inbox().count()).isZero();
    assertThat(http.get("/health", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void malformedBodiesAndMissingHeadersAre400WithTheReason() {
    var notJson =
        http.github(OLD, "workflow_run", "m-1", "{not json".getBytes(StandardCharsets.UTF_8));
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().path("reason").asText()).startsWith("the body is not JSON");
    var wrongShape =
        http.github(
            OLD,
            "workflow_run",
            "m-2",
            "{\"action\":\"completed\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(wrongShape.status()).isEqualTo(400);
    assertThat(wrongShape.json().path("reason").asText())
        .isEqualTo("the payload has no 'workflow_run' object");
    byte[] ping = Payloads.bytes(Payloads.load("github/ping/00_event.json"));
    var noDelivery =
        http.post(
            "/webhooks/github",
            ping,
            Map.of(
                "X-GitHub-Event",
                "ping",
                "X-Hub-Signature-256",
                Signatures.githubHeader(OLD, ping)));
    assertThat(noDelivery.status()).isEqualTo(400);
    assertThat(http.github(OLD, "ping", "p-1", ping).status()).isEqualTo(200);
  }

  @Test
  void bodiesOverTheCapAre413EvenWithoutAContentLength() {
    byte[] big = new byte[1024 * 1024 + 10];
    Arrays.fill(big, (byte) ' ');
    assertThat(http.github(OLD, "workflow_run", "big-1", big).status()).isEqualTo(413);
    // streamed (chunked) with no declared length: the cap stops reading
    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(http.base() + "/webhooks/github"))
            .header("X-GitHub-Event", "workflow_run")
            .header("X-GitHub-Delivery", "big-2")
            .header("X-Hub-Signature-256", "sha256=00")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big)))
            .build();
    assertThat(http.send(chunked).status()).isEqualTo(413);
    assertThat(service.inbox().count()).isZero();
  }

  @Test
  void forksAndOurOwnRunsAreRecordedButNotActedOn() {
    ObjectNode fork = Payloads.workflowRun("failure");
    ((ObjectNode) fork.get("workflow_run").get("head_repository"))
        .put("full_name", "mallory/octo-repo");
    var f = http.github(OLD, "workflow_run", "f-1", Payloads.bytes(fork));
    assertThat(f.status()).isEqualTo(200);
    assertThat(f.json().path("reason").asText()).contains("fork");

    ObjectNode own = Payloads.workflowRun("failure");
    ((ObjectNode) own.get("workflow_run")).put("id", 77);
    ((ObjectNode) own.get("workflow_run").get("triggering_actor")).put("login", "pitcrew[bot]");
    var o = http.github(OLD, "workflow_run", "o-1", Payloads.bytes(own));
    assertThat(o.status()).isEqualTo(200);
    assertThat(o.json().path("reason").asText()).contains("own run");

    var passed =
        http.github(OLD, "workflow_run", "s-1", Payloads.bytes(Payloads.workflowRun("success")));
    assertThat(passed.status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> service.inbox().pending(10).isEmpty());
    assertThat(actions()).isEmpty();
    assertThat(service.inbox().count()).isEqualTo(3);
  }

  @Test
  void gitlabNeedsItsTokenAndDeduplicatesOnTheIdempotencyKey() {
    byte[] body = Payloads.bytes(Payloads.pipeline("failed"));
    Map<String, String> ok =
        Map.of(
            "X-Gitlab-Token",
            "gl-token",
            "X-Gitlab-Event",
            "Pipeline Hook",
            "Idempotency-Key",
            "k-1");
    assertThat(http.post("/webhooks/gitlab", body, Map.of("X-Gitlab-Token", "nope")).status())
        .isEqualTo(401);
    assertThat(http.post("/webhooks/gitlab/pipeline", body, ok).status()).isEqualTo(202);
    assertThat(http.post("/webhooks/gitlab", body, ok).json().path("status").asText())
        .isEqualTo("duplicate");
  }

  @Test
  void gitlabSigningTokenSignaturesDecideWhenPresentAndStaleOnesAreReplays() {
    byte[] body = Payloads.bytes(Payloads.pipeline("failed"));
    byte[] key = Signatures.signingKey("test", SIGNING);
    String now = String.valueOf(java.time.Instant.now().getEpochSecond());
    java.util.function.BiFunction<String, String, Map<String, String>> signed =
        (id, ts) ->
            Map.of(
                "X-Gitlab-Event",
                "Pipeline Hook",
                "webhook-id",
                id,
                "webhook-timestamp",
                ts,
                "webhook-signature",
                Signatures.standardWebhookHeader(key, id, ts, body));

    var ok = http.post("/webhooks/gitlab", body, signed.apply("wh-1", now));
    assertThat(ok.status()).isEqualTo(202);
    // the webhook-id is the delivery's idempotency key
    var again = http.post("/webhooks/gitlab", body, signed.apply("wh-1", now));
    assertThat(again.json().path("status").asText()).isEqualTo("duplicate");

    // a signature over another body does not pass, even next to the right plain token
    Map<String, String> forged = new java.util.HashMap<>(signed.apply("wh-2", now));
    forged.put("X-Gitlab-Token", "gl-token");
    var tampered =
        http.post("/webhooks/gitlab", Payloads.bytes(Payloads.pipeline("success")), forged);
    assertThat(tampered.status()).isEqualTo(401);
    assertThat(tampered.json().path("reason").asText())
        .isEqualTo("missing or wrong webhook-signature (GitLab signing token)");

    // a correctly signed delivery from an hour ago is a replay
    String old = String.valueOf(java.time.Instant.now().getEpochSecond() - 3600);
    var stale = http.post("/webhooks/gitlab", body, signed.apply("wh-3", old));
    assertThat(stale.status()).isEqualTo(401);
    assertThat(stale.json().path("reason").asText())
        .startsWith("webhook-timestamp is 360")
        .endsWith("more than the 5 minutes allowed: a replayed delivery, or the clocks disagree");
    assertThat(service.inbox().count()).isEqualTo(1);
  }

  @Test
  void remediateNeedsTheApiTokenAndTakesAnEventBridgeEnvelope() {
    ObjectNode env = Payloads.JSON.createObjectNode();
    env.put("source", "gitlab.webhook");
    env.put("detail-type", "pipeline.failed");
    env.set("detail", Payloads.pipeline("failed"));
    byte[] body = Payloads.bytes(env);
    assertThat(http.post("/remediate", body, Map.of()).status()).isEqualTo(401);
    assertThat(http.post("/remediate", body, Map.of("Authorization", "Bearer wrong")).status())
        .isEqualTo(401);
    var r = http.post("/remediate", body, Map.of("Authorization", "Bearer " + TOKEN));
    assertThat(r.status()).isEqualTo(202);
    env.put("source", "jenkins");
    assertThat(
            http.post("/remediate", Payloads.bytes(env), Map.of("Authorization", "Bearer " + TOKEN))
                .status())
        .isEqualTo(400);
  }

  @Test
  void healthReportsEachDependencyAndMetricsArePrometheusText() {
    var h = http.get("/health", Map.of());
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.json().path("database").path("state").asText()).isEqualTo("ready");
    assertThat(h.json().path("forge:github").path("state").asText()).isEqualTo("disabled");
    assertThat(h.json().path("llm").path("state").asText()).isEqualTo("disabled");
    assertThat(h.json().path("notify").path("reason").asText())
        .isEqualTo("no notification sink is installed");
    http.github(OLD, "ping", "p-9", Payloads.bytes(Payloads.load("github/ping/00_event.json")));
    var m = http.get("/metrics", Map.of());
    assertThat(m.text()).contains("pitcrew_webhooks_total{answer=\"200\",source=\"github\"}");
    assertThat(m.text()).contains("pitcrew_inbox_pending");
  }

  @Test
  void theApiNeedsTheToken() {
    assertThat(http.get("/api/actions", Map.of()).status()).isEqualTo(401);
    var ok = http.get("/api/actions?status=received", Map.of("Authorization", "Bearer " + TOKEN));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().path("actions").isArray()).isTrue();
    assertThat(
            http.get("/api/actions?status=bogus", Map.of("Authorization", "Bearer " + TOKEN))
                .status())
        .isEqualTo(400);
  }

  @Test
  void acknowledgesConcurrentDeliveriesQuicklyAndLosesNone() throws Exception {
    int n = 400;
    long[] nanos = new long[n];
    int[] codes = new int[n];
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      List<java.util.concurrent.Future<?>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        all.add(
            pool.submit(
                () -> {
                  ObjectNode p = Payloads.workflowRun("failure");
                  ((ObjectNode) p.get("workflow_run")).put("id", 900000 + k);
                  byte[] b = Payloads.bytes(p);
                  long t0 = System.nanoTime();
                  codes[k] = http.github(NEW, "workflow_run", "load-" + k, b).status();
                  nanos[k] = System.nanoTime() - t0;
                }));
      }
      for (var f : all) {
        f.get();
      }
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "IntakeIT: %d signed deliveries from 8 clients, ack p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        n, sorted[n / 2] / 1e6, sorted[(int) (n * 0.99)] / 1e6, sorted[n - 1] / 1e6);
    assertThat(codes).containsOnly(202);
    // every acknowledged delivery is in the inbox: none lost
    assertThat(service.inbox().count()).isEqualTo(n);
  }

  private List<ActionRecord> actions() {
    return service
        .incidents()
        .actions(new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 100, 0));
  }
}
