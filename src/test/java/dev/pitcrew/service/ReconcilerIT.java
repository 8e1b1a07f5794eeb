package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.github.RunsListServer;
import dev.pitcrew.forge.local.LocalForge;
import dev.pitcrew.intake.Reconciler;
import dev.pitcrew.playbook.PlaybookCatalog;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler in a real {@code pitcrew serve}: a failed run whose webhook never came still opens
 * an incident, and the webhook arriving afterwards (or before) opens nothing new.
 */
class ReconcilerIT {
  static final String SECRET = "reconcile-secret";

  @TempDir Path tmp;
  PitcrewService service;
  RunsListServer api;
  LocalForge local;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (api != null) {
      api.close();
    }
    if (local != null) {
      local.close();
    }
  }

  private void start(Forge forge, String repos, String interval) {
    Map<String, String> s = new HashMap<>(TestDatabases.h2(tmp.resolve("db")));
    s.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    s.put("PITCREW_POLL_INTERVAL", "200ms");
    s.put("PITCREW_RETRY_BASE_DELAY", "1s");
    s.put("PITCREW_RECONCILE_INTERVAL", interval);
    s.put("PITCREW_RECONCILE_REPOS", repos);
    service =
        PitcrewService.start(
            PitcrewConfig.of(s),
            new PitcrewService.Parts(
                List.of(forge),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                new Diagnoser(new RuleEngine(new PlaybookCatalog()), List.of()),
                new PlaybookCatalog(),
                Clock.systemUTC()),
            "127.0.0.1",
            0);
  }

  private List<ActionRecord> actions() {
    return service
        .incidents()
        .actions(new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 50, 0));
  }

  private static String minutesAgo(int m) {
    return Instant.now().minus(m, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The workflow_run webhook GitHub would have sent for run 101 of octo-org/octo-repo. */
  private static byte[] webhookFor(long id, int attempt, String conclusion) {
    ObjectNode hook = Payloads.workflowRun(conclusion);
    ObjectNode wr = (ObjectNode) hook.get("workflow_run");
    wr.put("id", id);
    wr.put("run_attempt", attempt);
    ObjectNode repo = (ObjectNode) hook.get("repository");
    repo.put("full_name", "octo-org/octo-repo");
    repo.put("html_url", "https://github.com/octo-org/octo-repo");
    wr.set("head_repository", repo);
    return Payloads.bytes(hook);
  }

  @Test
  void aFailedRunWithoutWebhookOpensAnIncidentAndItsLateWebhookIsADuplicate() throws Exception {
    api = new RunsListServer("octo-org", "octo-repo");
    api.addRun(101, 1, "failure", minutesAgo(5));
    start(api.forge(), "github:octo-org/octo-repo", "1s");

    // the recurring job polls on its own
    await().atMost(Duration.ofSeconds(30)).until(() -> actions().size() == 1);
    ActionRecord a = actions().get(0);
    assertThat(a.pipelineId()).isEqualTo("101");
    assertThat(a.repository()).isEqualTo("octo-org/octo-repo");
    assertThat(a.provider()).isEqualTo("github");
    long inboxRows = service.inbox().count();

    Http http = new Http(service.port());
    var late = http.github(SECRET, "workflow_run", "late-1", webhookFor(101, 1, "failure"));
    assertThat(late.status()).isEqualTo(200);
    assertThat(late.json().path("status").asText()).isEqualTo("duplicate");
    assertThat(late.json().path("reason").asText())
        .isEqualTo("the same event was already received in another delivery");

    Reconciler.Report again = service.reconciler().poll();
    assertThat(again.found()).isEqualTo(1);
    assertThat(again.accepted()).isZero();
    assertThat(again.duplicates()).isEqualTo(1);
    Thread.sleep(1500); // a few drain and poll cycles
    assertThat(actions()).hasSize(1);
    assertThat(service.inbox().count()).isEqualTo(inboxRows);
    var health = http.get("/health", Map.of());
    assertThat(health.json().path("reconciler").path("state").asText()).isEqualTo("ready");
    assertThat(health.json().path("reconciler").path("reason").asText())
        .contains("over 1 repositories");
  }

  @Test
  void aRunAlreadyReceivedByWebhookIsADuplicateForTheReconciler() throws Exception {
    api = new RunsListServer("octo-org", "octo-repo");
    api.addRun(101, 1, "failure", minutesAgo(5));
    start(api.forge(), "github:octo-org/octo-repo", "off");
    Http http = new Http(service.port());

    assertThat(http.github(SECRET, "workflow_run", "d-1", webhookFor(101, 1, "failure")).status())
        .isEqualTo(202);
    Reconciler.Report r = service.reconciler().poll();

    assertThat(r.found()).isEqualTo(1);
    assertThat(r.duplicates()).isEqualTo(1);
    assertThat(r.accepted()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> actions().size() == 1);
    Thread.sleep(1000);
    assertThat(actions()).hasSize(1);
    // interval off: the health line says so and the service stays ready
    var health = http.get("/health", Map.of());
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("reconciler").path("state").asText()).isEqualTo("disabled");
  }

  @Test
  void aStaleAttemptIsIgnoredAsALateWebhookWouldBe() throws Exception {
    api = new RunsListServer("octo-org", "octo-repo");
    api.addRun(300, 1, "failure", minutesAgo(5));
    start(api.forge(), "github:octo-org/octo-repo", "off");
    Http http = new Http(service.port());
    // attempt 2 of the same run already passed
    assertThat(http.github(SECRET, "workflow_run", "ok-2", webhookFor(300, 2, "success")).status())
        .isEqualTo(200);

    Reconciler.Report r = service.reconciler().poll();

    assertThat(r.accepted()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> service.inbox().pending(10).isEmpty());
    assertThat(actions()).isEmpty();
  }

  @Test
  void aRepositoryWithoutItsForgeIsReportedAndTheOthersStillPolled() throws Exception {
    api = new RunsListServer("octo-org", "octo-repo");
    api.addRun(101, 1, "failure", minutesAgo(5));
    // the recurring job's first poll runs at start-up; the next only in an hour
    start(api.forge(), "gitlab:group/project,github:octo-org/octo-repo", "1h");

    Reconciler.Report r = service.reconciler().poll();

    assertThat(r.found()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> actions().size() == 1);
    assertThat(r.errors())
        .containsExactly("gitlab:group/project: no gitlab forge is configured (set GITLAB_TOKEN)");
    var health = new Http(service.port()).get("/health", Map.of());
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("degraded");
    assertThat(health.json().path("reconciler").path("state").asText()).isEqualTo("failed");
  }

  @Test
  void theLocalForgesFailedRunIsPickedUpAndItsDeliveryIsThenADuplicate() throws Exception {
    local =
        new LocalForge(
            tmp.resolve("lab"),
            LocalForge.Options.defaults()
                .withWebBase("https://github.com", "https://api.github.com")
                .presentedAs(Provider.GITHUB));
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve(".github/workflows"));
    Files.writeString(
        src.resolve(".github/workflows/ci.yml"),
        """
        name: CI
        on: [push]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - name: Fail
                run: |
                  echo "The runner has received a shutdown signal." >&2
                  exit 1
        """);
    RepoRef repo = local.createRepository("acme/widgets", src);
    RunRef run = local.trigger(repo, "main").get(0);
    assertThat(local.awaitCompletion(run, Duration.ofSeconds(60)).outcome()).isEqualTo("failed");
    start(local, "github:acme/widgets", "off");

    Reconciler.Report r = service.reconciler().poll();

    assertThat(r.accepted()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> actions().size() == 1);
    assertThat(actions().get(0).pipelineId()).isEqualTo(run.runId());
    var late =
        new Http(service.port())
            .github(SECRET, "workflow_run", "late-local", local.workflowRunDelivery(run));
    assertThat(late.status()).isEqualTo(200);
    assertThat(late.json().path("status").asText()).isEqualTo("duplicate");
    assertThat(actions()).hasSize(1);
  }
}
