package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.incident.IncidentWorkflow;
import dev.pitcrew.notify.NotifyConfig;
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
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failed run of a pull request, delivered as GitHub sends it ({@code workflow_run} with {@code
 * pull_requests}, fixture 02_completed.json), ends in exactly one comment on that pull request from
 * the configured notifiers, even when the notify step runs again after a crash.
 */
class PullRequestCommentIT {
  static final String SECRET = "s3cret";
  // the repository and pull request of GitHub's own delivery 02_completed.json
  static final RepoRef REPO = new RepoRef(Provider.GITHUB, "github.com", "Codertocat/Hello-World");
  static final PullRequest PR =
      new PullRequest(
          REPO,
          "2",
          "https://github.com/Codertocat/Hello-World/pull/2",
          "changes",
          "master",
          "open");

  @TempDir Path tmp;
  Map<String, String> settings;
  PitcrewService service;
  TableForge forge;
  AutoCloseable probe;
  Http http;

  void start(String kind) {
    settings = new HashMap<>(kind.equals("h2") ? TestDatabases.h2(tmp) : TestDatabases.postgres());
    settings.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    settings.put("PITCREW_POLL_INTERVAL", "200ms");
    settings.put("PITCREW_HEARTBEAT", "1s");
    settings.put("PITCREW_RETRY_BASE_DELAY", "100ms");
    settings.put("PITCREW_VERIFY_POLL_INTERVAL", "1h");
    PitcrewConfig config = PitcrewConfig.of(settings);
    var db = dev.pitcrew.store.Database.open(config);
    probe = db;
    forge = new TableForge(db.jdbi());
    // the production fan-out: comment on the pull request, forge issue for escalations
    var notifiers =
        NotifyConfig.fromEnv(Map.of("PITCREW_NOTIFY_BACKOFF_MS", "0"))
            .build(List.of(forge), Executors.newVirtualThreadPerTaskExecutor());
    var base = TestParts.parts(forge, "none", Verdict.Decision.ALLOW);
    service =
        PitcrewService.start(
            config,
            new PitcrewService.Parts(
                base.forges(),
                base.remediation(),
                base.policy(),
                List.of(notifiers),
                base.diagnoser(),
                base.playbooks(),
                base.clock()),
            "127.0.0.1",
            0);
    http = new Http(service.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (probe != null) {
      probe.close();
    }
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  static byte[] delivery(long id, int attempt, String conclusion) {
    ObjectNode p = Payloads.load("github/workflow_run/02_completed.json");
    // the example's pull request belongs to Codertocat/Hello-World; deliver it from there
    ((ObjectNode) p.get("repository"))
        .put("full_name", "Codertocat/Hello-World")
        .put("html_url", "https://github.com/Codertocat/Hello-World");
    ((ObjectNode) p.get("workflow_run").get("head_repository"))
        .put("full_name", "Codertocat/Hello-World");
    ((ObjectNode) p.get("workflow_run"))
        .put("id", id)
        .put("run_attempt", attempt)
        .put("conclusion", conclusion);
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

  boolean settled() {
    var all =
        service
            .incidents()
            .actions(
                new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 10, 0));
    return !all.isEmpty() && all.get(0).userNotified() && all.get(0).status().equals("succeeded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aFailedPullRequestRunEndsInExactlyOneCommentOnThatRequest(String kind) throws Exception {
    start(kind);
    RunRef failed = new RunRef(REPO, "7001", 1);
    forge.seed(failed, "failed", TestParts.RUNNER_LOST_LOG);

    assertThat(http.github(SECRET, "workflow_run", "pr-1", delivery(7001, 1, "failure")).status())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> forge.calls("rerun") == 1);
    assertThat(http.github(SECRET, "workflow_run", "pr-2", delivery(7001, 2, "success")).status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(this::settled);

    String id = only().actionId();
    assertThat(service.incidents().incident(id).orElseThrow().pullRequest()).contains(PR);
    List<String> comments = forge.comments(PR);
    assertThat(comments).singleElement().asString().contains("Pipeline Auto-Fixed", id);

    // a crash after the comment but before the step was recorded: the notify step runs again
    service.incidents().update(id, Map.of("step", IncidentWorkflow.NOTIFY), Map.of());
    Map<String, Object> unsent = new HashMap<>();
    unsent.put("user_notified", false);
    service.incidents().update(id, Map.of(), unsent);
    service.workflow().step(id);

    assertThat(forge.comments(PR)).hasSize(1);
    assertThat(forge.targets("comment")).hasSize(1);
    assertThat(only().userNotified()).isTrue();
  }
}
