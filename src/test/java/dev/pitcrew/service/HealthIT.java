package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.github.RunsListServer;
import dev.pitcrew.notify.Notifier;
import dev.pitcrew.notify.NotifyConfig;
import dev.pitcrew.playbook.PlaybookCatalog;
import dev.pitcrew.store.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health} of a real server: one line per dependency, with a reason. */
class HealthIT {
  @TempDir Path tmp;
  PitcrewService service;
  RunsListServer api;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private Http start(Map<String, String> extra, List<Forge> forges) {
    Map<String, String> s = new HashMap<>(TestDatabases.h2(tmp));
    s.put("PITCREW_RECONCILE_INTERVAL", "0");
    s.putAll(extra);
    PitcrewConfig config = PitcrewConfig.of(s);
    List<Notifier> notifiers =
        List.of(NotifyConfig.fromLookup(config::get).build(forges, Runnable::run));
    service =
        PitcrewService.start(
            config,
            new PitcrewService.Parts(
                forges,
                Optional.empty(),
                Optional.empty(),
                notifiers,
                new Diagnoser(new RuleEngine(new PlaybookCatalog()), List.of()),
                new PlaybookCatalog(),
                Clock.systemUTC()),
            "127.0.0.1",
            0);
    return new Http(service.port());
  }

  private static String state(JsonNode h, String dep) {
    return h.path(dep).path("state").asText("missing");
  }

  @Test
  void unconfiguredSinksAreDisabledWithWhatToSetAndTheServiceIsReady() throws Exception {
    api = new RunsListServer("o", "r");
    Http http =
        start(
            Map.of("PITCREW_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/XYZ"),
            List.of(api.forge()));

    var reply = http.get("/health", Map.of());
    JsonNode h = reply.json();

    assertThat(reply.status()).isEqualTo(200);
    assertThat(h.path("status").asText()).isEqualTo("ready");
    assertThat(state(h, "database")).isEqualTo("ready");
    assertThat(h.path("database").path("reason").asText()).isEqualTo("embedded h2");
    assertThat(state(h, "scheduler")).isEqualTo("ready");
    assertThat(state(h, "forge:github")).isEqualTo("ready");
    assertThat(state(h, "forge:gitlab")).isEqualTo("disabled");
    assertThat(h.path("forge:gitlab").path("reason").asText()).contains("GITLAB_TOKEN");
    assertThat(state(h, "llm")).isEqualTo("disabled");
    assertThat(state(h, "notify:slack")).isEqualTo("ready");
    assertThat(state(h, "notify:email")).isEqualTo("disabled");
    assertThat(h.path("notify:email").path("reason").asText()).contains("PITCREW_SMTP_HOST");
    assertThat(state(h, "notify:comment")).isEqualTo("ready");
    assertThat(state(h, "notify:incident:pagerduty")).isEqualTo("disabled");
    assertThat(state(h, "reconciler")).isEqualTo("disabled");
    List<String> names = new ArrayList<>();
    h.fieldNames().forEachRemaining(names::add);
    for (String n : names) {
      if (!n.equals("status")) {
        assertThat(h.path(n).path("reason").asText()).as(n + " has a reason").isNotBlank();
        assertThat(state(h, n)).isIn("ready", "disabled", "failed");
      }
    }
    // no secret in the answer
    assertThat(reply.text()).doesNotContain("XYZ").doesNotContain("ghp_test_token");
  }

  @Test
  void aBrokenOptionalDependencyDegradesButABrokenRequiredOneMakesItUnready() throws Exception {
    Http http =
        start(
            Map.of(
                "PITCREW_SMTP_HOST", "smtp.acme.test", // no sender address: a configuration error
                "PITCREW_LLM", "gpt-banana",
                "ANTHROPIC_API_KEY", "sk-ant-not-used"),
            List.of());

    var degraded = http.get("/health", Map.of());
    assertThat(degraded.status()).isEqualTo(200);
    assertThat(degraded.json().path("status").asText()).isEqualTo("degraded");
    assertThat(state(degraded.json(), "notify:email")).isEqualTo("failed");
    assertThat(degraded.json().path("notify:email").path("reason").asText())
        .contains("PITCREW_NOTIFY_EMAIL_FROM");
    assertThat(state(degraded.json(), "llm")).isEqualTo("failed");
    assertThat(degraded.json().path("llm").path("reason").asText())
        .contains("PITCREW_LLM='gpt-banana' is not understood");
    assertThat(degraded.text()).doesNotContain("sk-ant-not-used");

    service.jobs().close();
    var unready = http.get("/health", Map.of());
    assertThat(unready.status()).isEqualTo(503);
    assertThat(unready.json().path("status").asText()).isEqualTo("unready");
    assertThat(state(unready.json(), "scheduler")).isEqualTo("failed");
  }

  @Test
  void aConfiguredModelIsReadyWithItsName() {
    Http http = start(Map.of("ANTHROPIC_API_KEY", "sk-ant-test"), List.of());
    JsonNode h = http.get("/health", Map.of()).json();
    assertThat(state(h, "llm")).isEqualTo("ready");
    assertThat(h.path("llm").path("reason").asText())
        .isEqualTo("anthropic model claude-sonnet-4-5");
  }
}
