package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.playbook.PlaybookLoader;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.remediation.Remediations;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.Database;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
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
 * The flaky-test route through the real service: a failed test run and its passing re-run of the
 * same commit are recorded in the database, and the next failure of that test is judged by the rate
 * they give — on the embedded database and on PostgreSQL.
 */
class FlakyTestsWorkflowIT {
  static final String SECRET = "s3cret";

  /** pytest-timeout's failure: the shipped pb-test-pytest-timeout playbook says re-run. */
  static final String PYTEST_TIMEOUT_LOG =
      """
      2026-11-29T05:00:01.0000000Z ##[group]Run pytest -q
      2026-11-29T05:00:07.0000000Z E       Failed: Timeout >5.0s
      2026-11-29T05:00:07.1000000Z FAILED tests/test_api.py::test_get - Failed: Timeout >5.0s
      2026-11-29T05:00:07.2000000Z ##[error]Process completed with exit code 1.
      """;

  @TempDir Path tmp;
  Map<String, String> settings;
  PitcrewService service;
  Database probe;
  TableForge forge;
  Http http;

  void start(String kind) {
    settings = new HashMap<>(kind.equals("h2") ? TestDatabases.h2(tmp) : TestDatabases.postgres());
    settings.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    settings.put("PITCREW_API_TOKEN", "t0ken");
    settings.put("PITCREW_POLL_INTERVAL", "200ms");
    settings.put("PITCREW_HEARTBEAT", "1s");
    settings.put("PITCREW_RETRY_BASE_DELAY", "100ms");
    settings.put("PITCREW_VERIFY_POLL_INTERVAL", "1h");
    settings.put("PITCREW_FLAKY_MIN_RUNS", "2");
    PitcrewConfig config = PitcrewConfig.of(settings);
    probe = Database.open(config);
    forge = new TableForge(probe.jdbi());
    var playbooks = PlaybookLoader.loadDefault(List.of());
    PitcrewService.Parts parts =
        new PitcrewService.Parts(
            List.of(forge),
            Optional.of(Remediations.standard(config)),
            Optional.of(TestParts.policy(Verdict.Decision.ALLOW)),
            List.of(new TestParts.TableNotifier(forge)),
            new Diagnoser(new RuleEngine(playbooks.catalog()), List.of()),
            playbooks.catalog(),
            Clock.systemUTC());
    service = PitcrewService.start(config, parts, "127.0.0.1", 0);
    http = new Http(service.port());
  }

  @AfterEach
  void stop() {
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

  static RunRef run(long id, int attempt) {
    return new RunRef(WorkflowIT.REPO, Long.toString(id), attempt);
  }

  byte[] runEvent(long id, int attempt, String conclusion) {
    ObjectNode p = Payloads.workflowRun(conclusion);
    ((ObjectNode) p.get("workflow_run")).put("id", id).put("run_attempt", attempt);
    return Payloads.bytes(p);
  }

  List<ActionRecord> actions() {
    return service
        .incidents()
        .actions(new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 10, 0));
  }

  Optional<ActionRecord> forPipeline(String id) {
    return actions().stream().filter(a -> a.pipelineId().equals(id)).findFirst();
  }

  int observations() {
    return probe
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM test_observations").mapTo(Integer.class).one());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aTestThatFailedThenPassedOnReRunIsToldToItsOwnersWhenItFailsAgain(String kind) {
    start(kind);
    // first failure: no history yet, so a re-run; the re-run of the same commit passes
    forge.seed(run(6001, 1), "failed", PYTEST_TIMEOUT_LOG);
    http.github(SECRET, "workflow_run", "d-1", runEvent(6001, 1, "failure"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> forPipeline("6001").map(a -> a.status().equals("verifying")).orElse(false));
    assertThat(forge.calls("rerun")).isEqualTo(1);
    assertThat(forPipeline("6001").orElseThrow().remediationStepsExecuted())
        .extracting(ActionRecord.StepResult::step)
        .containsExactly("retry_pipeline");
    forge.setOutcome(run(6001, 2), "passed");
    http.github(SECRET, "workflow_run", "d-2", runEvent(6001, 2, "success"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> forPipeline("6001").map(a -> a.status().equals("succeeded")).orElse(false));
    // one failed and one passed run of tests/test_api.py::test_get
    assertThat(observations()).isEqualTo(2);

    // the same test fails on the next commit: 2 failures in 3 runs is above 0.5
    forge.seed(run(6002, 1), "failed", PYTEST_TIMEOUT_LOG);
    http.github(SECRET, "workflow_run", "d-3", runEvent(6002, 1, "failure"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> forPipeline("6002").map(ActionRecord::userNotified).orElse(false));
    ActionRecord second = forPipeline("6002").orElseThrow();
    assertThat(second.status()).isEqualTo("skipped");
    assertThat(second.outcome()).isEqualTo("manual");
    assertThat(second.remediationStepsExecuted())
        .extracting(ActionRecord.StepResult::step)
        .containsExactly("notify_developer");
    assertThat(second.remediationStepsExecuted().get(0).detail())
        .contains("tests/test_api.py::test_get")
        .contains("67%")
        .contains("needs fixing");
    assertThat(forge.calls("rerun")).isEqualTo(1);
    assertThat(observations()).isEqualTo(3);
  }
}
