package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.audit.AuditLog;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incident workflow end to end in a real service: webhook, inbox, db-scheduler jobs, the store
 * and the audit log, on the embedded database and on PostgreSQL. The forge, remediation, policy and
 * notifier are the small table-backed implementations of {@link TestParts}.
 */
class WorkflowIT {
  static final String SECRET = "s3cret";
  static final String TOKEN = "t0ken";
  static final RepoRef REPO = new RepoRef(Provider.GITHUB, "github.com", "octo-org/octo-repo");

  @TempDir Path tmp;
  Map<String, String> settings;
  PitcrewService service;
  TableForge forge;
  Http http;

  void start(String kind, Verdict.Decision decision, Map<String, String> extra) {
    start(kind, decision, extra, "none");
  }

  void start(String kind, Verdict.Decision decision, Map<String, String> extra, String hook) {
    settings = new HashMap<>(kind.equals("h2") ? TestDatabases.h2(tmp) : TestDatabases.postgres());
    settings.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    settings.put("PITCREW_API_TOKEN", TOKEN);
    settings.put("PITCREW_POLL_INTERVAL", "200ms");
    settings.put("PITCREW_HEARTBEAT", "1s");
    settings.put("PITCREW_RETRY_BASE_DELAY", "100ms");
    settings.put("PITCREW_VERIFY_POLL_INTERVAL", "1h");
    settings.putAll(extra);
    try (var db = TestDatabases.open(settings)) {
      new TableForge(db.jdbi());
    }
    PitcrewConfig config = PitcrewConfig.of(settings);
    var probe = dev.pitcrew.store.Database.open(config);
    forge = new TableForge(probe.jdbi());
    service = PitcrewService.start(config, TestParts.parts(forge, hook, decision), "127.0.0.1", 0);
    http = new Http(service.port());
    closeLater = probe;
  }

  private AutoCloseable closeLater;

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (closeLater != null) {
      closeLater.close();
    }
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  static RunRef run(long id, int attempt) {
    return new RunRef(REPO, Long.toString(id), attempt);
  }

  byte[] runEvent(long id, int attempt, String conclusion) {
    ObjectNode p = Payloads.workflowRun(conclusion);
    ((ObjectNode) p.get("workflow_run")).put("id", id).put("run_attempt", attempt);
    return Payloads.bytes(p);
  }

  ActionRecord only() {
    List<ActionRecord> all =
        service
            .incidents()
            .actions(
                new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 10, 0));
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  String status() {
    List<ActionRecord> all =
        service
            .incidents()
            .actions(
                new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 10, 0));
    return all.isEmpty() ? "none" : all.get(0).status();
  }

  List<String> events(String id) {
    return service.audit().trail(id).stream().map(AuditLog.Entry::event).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void fixesByReRunningAndVerifiesByTheNextWebhook(String kind) {
    start(kind, Verdict.Decision.ALLOW, Map.of());
    forge.seed(run(5001, 1), "failed", TestParts.RUNNER_LOST_LOG);

    assertThat(http.github(SECRET, "workflow_run", "d-1", runEvent(5001, 1, "failure")).status())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> status().equals("verifying"));
    assertThat(forge.calls("rerun")).isEqualTo(1);
    // the same failure again, and the re-run's own success webhook
    assertThat(http.github(SECRET, "workflow_run", "d-2", runEvent(5001, 1, "failure")).status())
        .isEqualTo(200);
    assertThat(http.github(SECRET, "workflow_run", "d-3", runEvent(5001, 2, "success")).status())
        .isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status().equals("succeeded") && only().userNotified());

    ActionRecord a = only();
    assertThat(a.outcome()).isEqualTo("success");
    assertThat(a.failureCategory()).isEqualTo("infrastructure");
    assertThat(a.playbookUsed()).isEqualTo("pb-infra-runner-lost");
    assertThat(a.evidence().get(0).line()).isEqualTo(3);
    assertThat(a.autoFixApplied()).isTrue();
    assertThat(a.newPipelineId()).isEqualTo("5001");
    assertThat(a.newPipelineStatus()).isEqualTo("passed");
    assertThat(a.timeToFix()).isPositive();
    assertThat(a.remediationStepsExecuted())
        .extracting(ActionRecord.StepResult::step)
        .containsExactly("retry_pipeline");
    assertThat(forge.calls("rerun")).isEqualTo(1);
    assertThat(forge.targets("notify")).containsExactly("AUTO_FIXED:" + a.actionId());
    assertThat(events(a.actionId()))
        .containsSubsequence(
            "received",
            "diagnosed",
            "planned",
            "judged",
            "apply.before",
            "apply.after",
            "verify.webhook",
            "verified",
            "notified");
    assertThat(service.audit().verify().intact()).isTrue();
  }

  /**
   * T2 of the threat model: the same delivery replayed 1,000 times from 16 senders at once, a
   * redelivery under another id, and the same failure as a job event (an app hook beside a repo
   * hook) make exactly one incident, one re-run, one notification and one audit trail.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aThousandReplaysOfOneFailureMakeOneReRun(String kind) throws Exception {
    start(kind, Verdict.Decision.ALLOW, Map.of());
    forge.seed(run(5101, 1), "failed", TestParts.RUNNER_LOST_LOG);
    byte[] body = runEvent(5101, 1, "failure");
    java.util.concurrent.ConcurrentHashMap<String, Integer> answers =
        new java.util.concurrent.ConcurrentHashMap<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
      List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        sent.add(
            pool.submit(
                () -> {
                  var r = http.github(SECRET, "workflow_run", "replayed", body);
                  answers.merge(
                      r.status() + " " + r.json().path("status").asText(), 1, Integer::sum);
                }));
      }
      for (var f : sent) {
        f.get();
      }
    }
    var redelivered = http.github(SECRET, "workflow_run", "another-id", body);
    ObjectNode job = Payloads.load("github/workflow_job/01_completed.json");
    ((ObjectNode) job.get("workflow_job")).put("run_id", 5101).put("run_attempt", 1);
    ((ObjectNode) job.get("repository")).put("full_name", REPO.fullName());
    var asJob = http.github(SECRET, "workflow_job", "job-hook", Payloads.bytes(job));

    assertThat(answers).containsOnly(Map.entry("202 accepted", 1), Map.entry("200 duplicate", 999));
    assertThat(redelivered.status()).isEqualTo(200);
    assertThat(redelivered.json().path("status").asText()).isEqualTo("duplicate");
    assertThat(asJob.status()).isEqualTo(200);
    assertThat(asJob.json().path("status").asText()).isEqualTo("duplicate");
    await().atMost(Duration.ofSeconds(30)).until(() -> status().equals("verifying"));
    ActionRecord a = only();
    assertThat(forge.calls("rerun")).isEqualTo(1);
    assertThat(events(a.actionId()).stream().filter(e -> e.equals("apply.before")).count())
        .isEqualTo(1);
    assertThat(events(a.actionId()).stream().filter(e -> e.equals("received")).count())
        .isEqualTo(1);
    assertThat(service.inbox().count()).isEqualTo(1);
    assertThat(service.audit().verify().intact()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void pollsTheForgeWhenNoWebhookComes(String kind) {
    start(kind, Verdict.Decision.ALLOW, Map.of("PITCREW_VERIFY_POLL_INTERVAL", "300ms"));
    forge.seed(run(5002, 1), "failed", TestParts.RUNNER_LOST_LOG);
    http.github(SECRET, "workflow_run", "d-1", runEvent(5002, 1, "failure"));
    await().atMost(Duration.ofSeconds(30)).until(() -> forge.calls("rerun") == 1);
    forge.setOutcome(run(5002, 2), "passed");
    await().atMost(Duration.ofSeconds(30)).until(() -> status().equals("succeeded"));
    assertThat(events(only().actionId())).doesNotContain("verify.webhook").contains("verified");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void adviceForAPersonIsNotRecordedAsAFix(String kind) {
    start(kind, Verdict.Decision.NOTIFY, Map.of(), "advise");
    forge.seed(run(5011, 1), "failed", TestParts.RUNNER_LOST_LOG);
    http.github(SECRET, "workflow_run", "d-11", runEvent(5011, 1, "failure"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !status().equals("none") && only().userNotified());
    ActionRecord a = only();
    assertThat(a.status()).isEqualTo("skipped");
    assertThat(a.outcome()).isEqualTo("manual");
    assertThat(a.autoFixApplied()).isFalse();
    assertThat(forge.targets("notify")).containsExactly("MANUAL_REVIEW:" + a.actionId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aTicketOpenedByANotifierIsRecordedAsTheIncidentUrl(String kind) {
    start(kind, Verdict.Decision.DENY, Map.of());
    forge.seed(run(5009, 1), "failed", TestParts.RUNNER_LOST_LOG);
    http.github(SECRET, "workflow_run", "d-9", runEvent(5009, 1, "failure"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status().equals("none") ? false : only().userNotified());
    String id = only().actionId();
    assertThat(forge.targets("notify")).containsExactly("MANUAL_REVIEW:" + id);
    assertThat(forge.calls("rerun")).isZero();
    assertThat(only().incidentUrl()).isEqualTo(TestParts.TableNotifier.TICKETS + id);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aPlanThePolicyAsksAboutWaitsForApproval(String kind) {
    start(kind, Verdict.Decision.ASK, Map.of("PITCREW_VERIFY_POLL_INTERVAL", "300ms"));
    forge.seed(run(5003, 1), "failed", TestParts.RUNNER_LOST_LOG);
    http.github(SECRET, "workflow_run", "d-1", runEvent(5003, 1, "failure"));
    await().atMost(Duration.ofSeconds(30)).until(() -> status().equals("awaiting_approval"));
    String id = only().actionId();
    assertThat(only().approvalRequired()).isTrue();
    assertThat(forge.targets("notify")).containsExactly("AWAITING_APPROVAL:" + id);
    assertThat(forge.calls("rerun")).isZero();

    var unauth = http.post("/api/actions/" + id + "/approve", new byte[0], Map.of());
    assertThat(unauth.status()).isEqualTo(401);
    var ok =
        http.post(
            "/api/actions/" + id + "/approve",
            new byte[0],
            Map.of("Authorization", "Bearer " + TOKEN, "X-Pitcrew-User", "alice"));
    assertThat(ok.status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> forge.calls("rerun") == 1);
    var again =
        http.post(
            "/api/actions/" + id + "/approve",
            new byte[0],
            Map.of("Authorization", "Bearer " + TOKEN));
    assertThat(again.status()).isEqualTo(409);
    forge.setOutcome(run(5003, 2), "passed");
    await().atMost(Duration.ofSeconds(30)).until(() -> status().equals("succeeded"));
    assertThat(service.audit().trail(id))
        .anySatisfy(e -> assertThat(e.actor() + " " + e.event()).isEqualTo("alice approved"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aStepThatKeepsFailingIsRetriedThreeTimesThenEscalated(String kind) {
    start(kind, Verdict.Decision.ALLOW, Map.of());
    forge.seed(run(5004, 1), "failed", TestParts.RUNNER_LOST_LOG);
    forge.failLogReads.set(100);
    http.github(SECRET, "workflow_run", "d-1", runEvent(5004, 1, "failure"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> status().equals("escalated") && only().userNotified());
    ActionRecord a = only();
    assertThat(a.incidentUrl()).isEqualTo("https://github.com/octo-org/octo-repo/issues/1");
    assertThat(forge.calls("issue")).isEqualTo(1);
    assertThat(forge.targets("notify")).containsExactly("ESCALATED:" + a.actionId());
    assertThat(events(a.actionId()).stream().filter(e -> e.equals("step.retry")).count())
        .isEqualTo(3);
    assertThat(events(a.actionId()))
        .containsSubsequence("step.retry", "step.gave_up", "escalated", "notified");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aFixThatDoesNotHoldIsTriedThreeTimesThenEscalated(String kind) {
    start(kind, Verdict.Decision.ALLOW, Map.of("PITCREW_VERIFY_POLL_INTERVAL", "200ms"));
    forge.seed(run(5005, 1), "failed", TestParts.RUNNER_LOST_LOG);
    http.github(SECRET, "workflow_run", "d-1", runEvent(5005, 1, "failure"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (int i = 2; i <= 4; i++) {
                forge.setOutcome(run(5005, i), "failed");
              }
              return status().equals("escalated");
            });
    ActionRecord a = only();
    assertThat(forge.calls("rerun")).isEqualTo(3);
    assertThat(a.attempt()).isEqualTo(3);
    assertThat(a.remediationStepsExecuted()).hasSize(3);
    assertThat(forge.calls("issue")).isEqualTo(1);
  }
}
