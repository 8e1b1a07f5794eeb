package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handled webhook deliveries are removed from a running {@code pitcrew serve} once they are older
 * than {@code PITCREW_INBOX_RETENTION}, by its recurring job; the incidents they opened stay, and a
 * redelivery after the removal finds its incident instead of opening a second one.
 */
class InboxRetentionIT {
  static final String SECRET = "retention-secret";

  @TempDir Path tmp;
  PitcrewService service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  private Http start(String retention) {
    Map<String, String> s = new HashMap<>(TestDatabases.h2(tmp));
    s.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    s.put("PITCREW_POLL_INTERVAL", "200ms");
    s.put("PITCREW_INBOX_RETENTION", retention);
    service = PitcrewService.start(PitcrewConfig.of(s), TestParts.rulesOnly(), "127.0.0.1", 0);
    return new Http(service.port());
  }

  private int incidents() {
    return service
        .incidents()
        .actions(new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 100, 0))
        .size();
  }

  @Test
  void handledDeliveriesGoAfterTheRetentionAndTheirIncidentsStay() {
    Http http = start("2s");
    byte[] failed = Payloads.bytes(Payloads.workflowRun("failure"));
    assertThat(http.github(SECRET, "workflow_run", "f-1", failed).status()).isEqualTo(202);
    assertThat(
            http.github(
                    SECRET, "workflow_run", "s-1", Payloads.bytes(Payloads.workflowRun("success")))
                .status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> service.inbox().pending(10).isEmpty());
    assertThat(service.inbox().count()).isEqualTo(2);
    assertThat(incidents()).isEqualTo(1);

    await().atMost(Duration.ofSeconds(20)).until(() -> service.inbox().count() == 0);
    assertThat(incidents()).isEqualTo(1);

    // GitHub's "redeliver" of the removed delivery: stored again, and it opens nothing new
    assertThat(http.github(SECRET, "workflow_run", "f-1", failed).status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> service.inbox().pending(10).isEmpty());
    assertThat(incidents()).isEqualTo(1);
  }

  @Test
  void zeroKeepsEveryDelivery() throws Exception {
    Http http = start("0");
    assertThat(
            http.github(
                    SECRET, "workflow_run", "s-1", Payloads.bytes(Payloads.workflowRun("success")))
                .status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> service.inbox().pending(10).isEmpty());
    Thread.sleep(3000);
    assertThat(service.inbox().count()).isEqualTo(1);
    int scheduled =
        service
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = :t")
                        .bind("t", PitcrewService.INBOX_PRUNE_TASK)
                        .mapTo(Integer.class)
                        .one());
    assertThat(scheduled).isZero();
  }
}
