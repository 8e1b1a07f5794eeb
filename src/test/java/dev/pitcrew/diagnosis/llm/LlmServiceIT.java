package dev.pitcrew.diagnosis.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.llm.anthropic.AnthropicModelClient;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.service.Http;
import dev.pitcrew.service.TableForge;
import dev.pitcrew.service.TestParts;
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
 * The model in the running service, on H2 and PostgreSQL: the incident's pipeline file is read
 * through the forge at the run's commit and shown to the model redacted; the call's tokens and cost
 * land in the database and show in {@code /api/stats} and {@code /metrics}, per repository.
 */
class LlmServiceIT {
  static final String SECRET = "s3cret";
  static final String TOKEN = "t0ken";
  static final String GH_TOKEN = "ghp_R4nd0mT0k3nV4lu3Xyz1234567890abcdEF";

  @TempDir Path tmp;
  Map<String, String> settings;
  PitcrewService service;
  Database probe;
  FakeModelServer model;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (probe != null) {
      probe.close();
    }
    if (model != null) {
      model.close();
    }
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  byte[] runEvent(long id) {
    ObjectNode p = Payloads.workflowRun("failure");
    ((ObjectNode) p.get("workflow_run")).put("id", id).put("run_attempt", 1);
    return Payloads.bytes(p);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void theServiceShowsThePipelineFileToTheModelAndCountsWhatItCost(String kind) throws Exception {
    model = new FakeModelServer(r -> FakeModelServer.Answer.ok(LlmAnalyzerIT.GROUNDED));
    settings = new HashMap<>(kind.equals("h2") ? TestDatabases.h2(tmp) : TestDatabases.postgres());
    settings.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    settings.put("PITCREW_API_TOKEN", TOKEN);
    settings.put("PITCREW_POLL_INTERVAL", "200ms");
    settings.put("PITCREW_HEARTBEAT", "1s");
    settings.put("PITCREW_RETRY_BASE_DELAY", "100ms");
    settings.put("PITCREW_VERIFY_POLL_INTERVAL", "1h");
    settings.put("PITCREW_LLM_MAX_TOKENS_PER_REPO_PER_DAY", "50000");
    PitcrewConfig config = PitcrewConfig.of(settings);
    probe = Database.open(config);
    TableForge forge = new TableForge(probe.jdbi());
    forge.files.put(
        ".github/workflows/ci.yml",
        LlmAnalyzerIT.WORKFLOW + "    env:\n      GH_PUSH_TOKEN: " + GH_TOKEN + "\n");

    LlmConfig c =
        new LlmConfig(
            LlmConfig.Provider.ANTHROPIC,
            "claude-sonnet-4-5",
            Optional.of(model.baseUrl()),
            Optional.of("sk-ant-test-key-not-real"),
            8000,
            512,
            Duration.ofSeconds(5),
            20,
            1_000_000,
            true,
            0.5);
    var base = TestParts.parts(forge, "none", Verdict.Decision.NOTIFY);
    Diagnoser diagnoser =
        new Diagnoser(
            LlmAnalyzerIT.RULES,
            List.of(
                new LlmAnalyzer(
                    new AnthropicModelClient(c),
                    c,
                    dev.pitcrew.logs.Redactor.lookAlikesOnly(),
                    Optional.empty(),
                    Clock.systemUTC())));
    service =
        PitcrewService.start(
            config,
            new PitcrewService.Parts(
                base.forges(),
                base.remediation(),
                base.policy(),
                base.notifiers(),
                diagnoser,
                base.playbooks(),
                base.clock()),
            "127.0.0.1",
            0);
    Http http = new Http(service.port());
    var repo =
        new dev.pitcrew.forge.RepoRef(
            dev.pitcrew.forge.Provider.GITHUB, "github.com", "octo-org/octo-repo");
    forge.seed(
        new dev.pitcrew.forge.RunRef(repo, "7001", 1), "failed", LlmAnalyzerIT.UNKNOWN_FAILURE);
    forge.seed(
        new dev.pitcrew.forge.RunRef(repo, "7002", 1), "failed", LlmAnalyzerIT.UNKNOWN_FAILURE);

    assertThat(http.github(SECRET, "workflow_run", "d-1", runEvent(7001)).status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> diagnosed() >= 1);
    assertThat(http.github(SECRET, "workflow_run", "d-2", runEvent(7002)).status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> diagnosed() >= 2);

    // one call (the second failure is the same fingerprint), with the pipeline file, redacted
    assertThat(model.requests()).hasSize(1);
    String user = model.requests().get(0).user();
    assertThat(user)
        .contains("Pipeline file: .github/workflows/ci.yml")
        .contains("8 |       - run: ./gradlew frobnicate")
        .contains("GH_PUSH_TOKEN: [REDACTED:github_token]");
    assertThat(model.bodies().get(0)).doesNotContain(GH_TOKEN);
    long in = (model.requests().get(0).system().length() + user.length()) / 4;

    JsonNode stats = http.get("/api/stats", Map.of("Authorization", "Bearer " + TOKEN)).json();
    assertThat(stats.path("total").asInt()).isEqualTo(2); // the existing fields are still there
    JsonNode llm = stats.path("llm");
    assertThat(llm.path("calls").asLong()).isEqualTo(1);
    assertThat(llm.path("cache_hits").asLong()).isEqualTo(1);
    assertThat(llm.path("input_tokens").asLong()).isEqualTo(in);
    long out = llm.path("output_tokens").asLong();
    assertThat(out).isPositive();
    assertThat(llm.path("estimated_cost_usd").asDouble())
        .isCloseTo((in * 3.0 + out * 15.0) / 1e6, org.assertj.core.data.Offset.offset(1e-6));
    JsonNode perRepo = llm.path("by_repository").path("octo-org/octo-repo");
    assertThat(perRepo.path("calls").asLong()).isEqualTo(1);
    assertThat(perRepo.path("cache_hits").asLong()).isEqualTo(1);
    assertThat(perRepo.path("input_tokens").asLong()).isEqualTo(in);

    String metrics = http.get("/metrics", Map.of()).text();
    assertThat(metrics)
        .containsPattern(
            "pitcrew_llm_calls_total\\{outcome=\"called\",repository=\"octo-org/octo-repo\"\\} 1\\.0")
        .containsPattern(
            "pitcrew_llm_cache_hits_total\\{repository=\"octo-org/octo-repo\"\\} 1\\.0")
        .containsPattern(
            "pitcrew_llm_tokens_total\\{direction=\"input\",repository=\"octo-org/octo-repo\"\\} "
                + in
                + "\\.0")
        .contains("pitcrew_llm_cost_usd_total{repository=\"octo-org/octo-repo\"}");

    // the budget is in the database: what the call used counts against the repository
    var usage =
        new dev.pitcrew.store.LlmUsage(probe.jdbi(), TokenLimits.defaults(), Clock.systemUTC());
    assertThat(usage.tokensToday(Optional.of("octo-org/octo-repo"))).isEqualTo(in + out);
    assertThat(usage.since(java.time.Instant.EPOCH))
        .extracting(TokenLedger.Call::incidentId)
        .allMatch(Optional::isPresent);
  }

  long diagnosed() {
    return service
        .incidents()
        .actions(new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 10, 0))
        .stream()
        .map(ActionRecord::failureCategory)
        .filter(x -> x != null)
        .count();
  }
}
