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
import dev.pitcrew.store.Database;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reliability on PostgreSQL with two replicas: replica A runs in its own JVM and is killed with
 * SIGKILL in the middle of applying a fix (before, or right after, it re-ran the pipeline); replica
 * B takes the job over through db-scheduler's heartbeats and finishes the incident without acting
 * twice.
 */
class CrashIT {
  static final String SECRET = "crash-secret";
  static final RepoRef REPO = new RepoRef(Provider.GITHUB, "github.com", "octo-org/octo-repo");

  Map<String, String> settings;
  Process replicaA;
  PitcrewService replicaB;
  Database db;

  @AfterEach
  void stop() {
    if (replicaA != null) {
      replicaA.destroyForcibly();
    }
    if (replicaB != null) {
      replicaB.close();
    }
    if (db != null) {
      db.close();
    }
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"before", "after"})
  void aReplicaKilledMidStepHasItsWorkTakenOverWithoutActingTwice(String hook) throws Exception {
    settings = new HashMap<>(TestDatabases.postgres());
    settings.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    settings.put("PITCREW_POLL_INTERVAL", "200ms");
    settings.put("PITCREW_HEARTBEAT", "1s");
    settings.put("PITCREW_RETRY_BASE_DELAY", "1s");
    settings.put("PITCREW_VERIFY_POLL_INTERVAL", "300ms");
    db = Database.open(PitcrewConfig.of(settings));
    TableForge forge = new TableForge(db.jdbi());
    RunRef failed = new RunRef(REPO, "7001", 1);
    forge.seed(failed, "failed", TestParts.RUNNER_LOST_LOG);

    Map<String, String> envA = new HashMap<>(settings);
    envA.put("PITCREW_REPLICA_NAME", "replica-a");
    envA.put("TEST_HOOK", hook);
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            ReplicaMain.class.getName());
    pb.environment().putAll(envA);
    pb.redirectErrorStream(true);
    replicaA = pb.start();
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(replicaA.getInputStream(), StandardCharsets.UTF_8));
    int portA = -1;
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("READY ")) {
        portA = Integer.parseInt(line.substring(6).strip());
        break;
      }
    }
    assertThat(portA).as("replica A started").isPositive();
    Thread drainA =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    out.lines().forEach(l -> {});
                  } catch (java.io.UncheckedIOException closed) {
                    // the replica was killed
                  }
                });

    ObjectNode p = Payloads.workflowRun("failure");
    ((ObjectNode) p.get("workflow_run")).put("id", 7001);
    assertThat(new Http(portA).github(SECRET, "workflow_run", "c-1", Payloads.bytes(p)).status())
        .isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> forge.calls("apply.paused") == 1);
    replicaA.destroyForcibly().waitFor();
    long killed = System.nanoTime();
    drainA.interrupt();

    Map<String, String> envB = new HashMap<>(settings);
    envB.put("PITCREW_REPLICA_NAME", "replica-b");
    replicaB =
        PitcrewService.start(
            PitcrewConfig.of(envB),
            TestParts.parts(forge, "none", Verdict.Decision.ALLOW),
            "127.0.0.1",
            0);
    Incidents incidents = replicaB.incidents();
    String id =
        incidents
            .actions(
                new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 10, 0))
            .get(0)
            .actionId();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                replicaB.audit().trail(id).stream()
                        .filter(e -> e.event().equals("apply.before"))
                        .count()
                    == 2);
    double takeover = (System.nanoTime() - killed) / 1e9;
    System.out.printf(
        "CrashIT[%s]: replica B took the step over %.1f s after replica A was killed%n",
        hook, takeover);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> forge.calls("rerun") == 1 && statusOf(incidents, id).equals("verifying"));
    forge.setOutcome(new RunRef(REPO, "7001", 2), "passed");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                statusOf(incidents, id).equals("succeeded")
                    && incidents.action(id).orElseThrow().userNotified());

    assertThat(takeover).isLessThan(60);
    assertThat(forge.calls("rerun")).isEqualTo(1);
    assertThat(forge.targets("notify")).containsExactly("AUTO_FIXED:" + id);
    List<String> events = replicaB.audit().trail(id).stream().map(AuditLog.Entry::event).toList();
    assertThat(events.stream().filter(e -> e.equals("diagnosed")).count()).isEqualTo(1);
    assertThat(events.stream().filter(e -> e.equals("apply.after")).count()).isEqualTo(1);
    assertThat(replicaB.audit().verify().intact()).isTrue();
    ActionRecord a = incidents.action(id).orElseThrow();
    assertThat(a.remediationStepsExecuted()).hasSize(1);
  }

  private static String statusOf(Incidents incidents, String id) {
    return incidents.action(id).map(ActionRecord::status).orElse("none");
  }
}
