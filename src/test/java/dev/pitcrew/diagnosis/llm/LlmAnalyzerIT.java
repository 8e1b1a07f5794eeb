package dev.pitcrew.diagnosis.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.diagnosis.Subject;
import dev.pitcrew.diagnosis.llm.anthropic.AnthropicModelClient;
import dev.pitcrew.diagnosis.llm.openai.OpenAiCompatibleClient;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.logs.LogSources;
import dev.pitcrew.logs.Redactor;
import dev.pitcrew.logs.RedactorTest;
import dev.pitcrew.playbook.PlaybookLoader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM analyzer end to end against a real HTTP server on loopback: Anthropic's SDK pointed at it
 * through its base URL, and the OpenAI-compatible client. No test needs the network.
 */
class LlmAnalyzerIT {
  static final RuleEngine RULES = new RuleEngine(PlaybookLoader.loadDefault(List.of()).catalog());

  static final String UNKNOWN_FAILURE =
      """
      2026-11-28T10:00:00.0000000Z ##[group]Run ./gradlew frobnicate
      2026-11-28T10:00:01.0000000Z Starting frobnication of 12 widgets
      2026-11-28T10:00:02.0000000Z widget pool initialised
      2026-11-28T10:00:03.0000000Z FrobnicatorError: widget count 7 exceeds the quota of 5 set in frob.conf
      2026-11-28T10:00:03.1000000Z   at frob.Main.run(Main.kt:41)
      2026-11-28T10:00:04.0000000Z ##[error]Process completed with exit code 3.
      """;

  static final String HEAP =
      """
      ##[group]Run mvn -B verify
      [INFO] Building app 1.0
      [INFO] Running com.acme.BigTest
      java.lang.OutOfMemoryError: Java heap space
      [ERROR] Tests run: 3, Failures: 0, Errors: 1
      ##[error]Process completed with exit code 1.
      """;

  static final String GROUNDED =
      """
      {"root_cause": "The frobnicator refuses more widgets than frob.conf allows",
       "category": "environment", "risk_level": "low", "remediation_strategy": "retry_pipeline",
       "remediation_params": {}, "confidence": 0.9,
       "explanation": "The quota error at line 4 stops the build.",
       "evidence": [{"line": 4, "text": "FrobnicatorError: widget count 7 exceeds the quota of 5 set in frob.conf"}]}
      """;

  FakeModelServer server;
  List<Duration> sleeps = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeModelServer(r -> FakeModelServer.Answer.ok(GROUNDED));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  LlmConfig anthropic(int maxCalls, Duration timeout) {
    return new LlmConfig(
        LlmConfig.Provider.ANTHROPIC,
        "claude-test",
        Optional.of(server.baseUrl()),
        Optional.of("sk-ant-test-key-not-real"),
        8000,
        512,
        timeout,
        maxCalls,
        1_000_000,
        true,
        0.5);
  }

  Diagnoser diagnoser(LlmConfig c, ModelClient client, Redactor redactor) {
    LlmAnalyzer a =
        new LlmAnalyzer(client, c, redactor, Optional.empty(), Clock.systemUTC(), sleeps::add);
    return new Diagnoser(RULES, List.of(a));
  }

  Diagnoser anthropicDiagnoser() {
    LlmConfig c = anthropic(20, Duration.ofSeconds(5));
    return diagnoser(c, new AnthropicModelClient(c), Redactor.lookAlikesOnly());
  }

  static Diagnosis run(Diagnoser d, String name, String log) {
    return d.diagnose(
        LogSources.ofBytes(name, log.getBytes(StandardCharsets.UTF_8)), Optional.empty());
  }

  @Test
  void aGroundedAnswerExplainsWhatTheRulesCouldNot() {
    Diagnosis rulesOnly =
        RULES.diagnose(LogSources.ofBytes("a.log", UNKNOWN_FAILURE.getBytes()), Optional.empty());
    assertThat(rulesOnly.playbookId()).isEmpty();

    Diagnosis d = run(anthropicDiagnoser(), "a.log", UNKNOWN_FAILURE);

    assertThat(d.analyzer()).isEqualTo("llm");
    assertThat(d.category()).isEqualTo(Category.ENVIRONMENT);
    assertThat(d.remediationStrategy()).isEqualTo("retry_pipeline");
    assertThat(d.riskLevel()).isEqualTo(RiskLevel.LOW);
    assertThat(d.confidence()).isEqualTo(LlmAnalyzer.LLM_ONLY_MAX_CONFIDENCE);
    assertThat(d.evidence()).hasSize(1);
    assertThat(d.evidence().get(0).line()).isEqualTo(4);
    assertThat(d.evidence().get(0).text()).contains("FrobnicatorError: widget count 7");
    assertThat(d.notes()).anyMatch(n -> n.startsWith("llm: anthropic/claude-test, prompt v2"));
    FakeModelServer.Request r = server.requests().get(0);
    assertThat(r.body().path("model").asText()).isEqualTo("claude-test");
    assertThat(r.system()).contains("retry_pipeline").contains("add_dependency").contains("never");
    assertThat(r.user())
        .contains("Pipeline ID: a.log")
        .contains("Exit Code: 3")
        .contains("Run ./gradlew frobnicate")
        .contains("<untrusted_log_data id=\"n0nce123\">")
        .contains("4 | ")
        .contains("Tasks:");
  }

  @Test
  void anAnswerCitingLinesThatAreNotInTheLogIsDiscarded() {
    server.script(
        r ->
            FakeModelServer.Answer.ok(
                GROUNDED.replace(
                    "\"line\": 4, \"text\": \"FrobnicatorError: widget count 7 exceeds the quota of 5 set in frob.conf\"",
                    "\"line\": 4, \"text\": \"Error: the disk quota service is down (made up)\"")));
    Diagnosis d = run(anthropicDiagnoser(), "a.log", UNKNOWN_FAILURE);
    assertThat(d.analyzer()).isEqualTo("rules");
    assertThat(d.playbookId()).isEmpty();
    assertThat(d.notes()).anyMatch(n -> n.contains("discarded: none of its 1 cited line(s)"));
  }

  @Test
  void evidenceAFewLinesOffOrWithOtherSpacingStillCounts() {
    server.script(
        r ->
            FakeModelServer.Answer.ok(
                GROUNDED.replace(
                    "\"line\": 4, \"text\": \"FrobnicatorError: widget count 7",
                    "\"line\": 6, \"text\": \"  FrobnicatorError:   widget count 7")));
    Diagnosis d = run(anthropicDiagnoser(), "a.log", UNKNOWN_FAILURE);
    assertThat(d.analyzer()).isEqualTo("llm");
    assertThat(d.evidence().get(0).line()).isEqualTo(4);
  }

  @Test
  void aCachedAnswerCitesTheLinesOfTheLogInHand() {
    Diagnoser d = anthropicDiagnoser();
    Diagnosis first = run(d, "a.log", UNKNOWN_FAILURE);
    // the same failure in another job: later in its log, with other numbers in the cited line
    StringBuilder other = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      other.append("2026-11-28T11:00:00.0000000Z Downloading dependency ").append(i).append('\n');
    }
    other.append(UNKNOWN_FAILURE.replace("widget count 7", "widget count 9"));
    Diagnosis again = run(d, "b.log", other.toString());

    assertThat(server.requests()).hasSize(1);
    assertThat(first.evidence()).extracting(Evidence::line).containsExactly(4);
    assertThat(again.notes()).anyMatch(n -> n.contains("answer reused from the cache"));
    assertThat(again.analyzer()).isEqualTo("llm");
    assertThat(again.evidence()).hasSize(1);
    assertThat(again.evidence().get(0).line()).isEqualTo(24);
    assertThat(again.evidence().get(0).text()).contains("widget count 9");
  }

  @Test
  void aMalformedAnswerFallsBackToTheRulesWithANote() {
    server.script(r -> FakeModelServer.Answer.ok("Sure! The root cause is probably the widgets."));
    Diagnosis d = run(anthropicDiagnoser(), "a.log", UNKNOWN_FAILURE);
    assertThat(d.analyzer()).isEqualTo("rules");
    assertThat(d.notes()).anyMatch(n -> n.contains("malformed: the answer holds no JSON object"));

    server.script(r -> FakeModelServer.Answer.ok(GROUNDED.replace("0.9,", "\"very\",")));
    d = run(anthropicDiagnoser(), "a.log", UNKNOWN_FAILURE);
    assertThat(d.notes()).anyMatch(n -> n.contains("confidence must be a number from 0 to 1"));
  }

  @Test
  void anOverloadedApiIsRetriedWithBackoffThenTheRulesStand() {
    server.script(r -> FakeModelServer.Answer.status(529));
    Diagnosis d = run(anthropicDiagnoser(), "a.log", UNKNOWN_FAILURE);
    assertThat(d.analyzer()).isEqualTo("rules");
    assertThat(d.notes())
        .anyMatch(n -> n.contains("llm unavailable (Anthropic API answered HTTP 529"));
    assertThat(server.requests()).hasSize(3);
    assertThat(sleeps).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2));
  }

  @Test
  void aSlowModelTimesOutAndTheRulesStand() {
    server.script(r -> new FakeModelServer.Answer(200, 3000, GROUNDED));
    LlmConfig c = anthropic(20, Duration.ofMillis(500));
    Diagnoser d0 = diagnoser(c, new AnthropicModelClient(c), Redactor.lookAlikesOnly());
    long t0 = System.nanoTime();
    Diagnosis d = run(d0, "a.log", UNKNOWN_FAILURE);
    assertThat(d.analyzer()).isEqualTo("rules");
    assertThat(d.notes()).anyMatch(n -> n.startsWith("llm unavailable"));
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(8000);
  }

  @Test
  void theSameFailureOnManyJobsCostsOneCall() {
    Diagnoser d = anthropicDiagnoser();
    for (int job = 0; job < 50; job++) {
      String log = UNKNOWN_FAILURE.replace("10:00:0", "1" + (job % 10) + ":3" + (job % 6) + ":0");
      Diagnosis x = run(d, "job-" + job + ".log", log);
      assertThat(x.analyzer()).isEqualTo("llm");
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void thePerRunBudgetStopsCallingTheModel() {
    LlmConfig c = anthropic(1, Duration.ofSeconds(5));
    Diagnoser d = diagnoser(c, new AnthropicModelClient(c), Redactor.lookAlikesOnly());
    run(d, "a.log", UNKNOWN_FAILURE);
    Diagnosis second = run(d, "b.log", UNKNOWN_FAILURE.replace("quota of 5", "quota of five"));
    assertThat(server.requests()).hasSize(1);
    assertThat(second.analyzer()).isEqualTo("rules");
    assertThat(second.notes())
        .anyMatch(n -> n.contains("per-run budget of 1 model calls is spent"));
  }

  @Test
  void noCanaryReachesTheModel() {
    StringBuilder log = new StringBuilder("##[group]Run ./deploy.sh\n");
    for (RedactorTest.Canary c : RedactorTest.canariesForIt()) {
      log.append("ERROR: deploy step failed: ").append(c.line()).append('\n');
    }
    log.append("##[error]Process completed with exit code 1.\n");
    // a generous timeout: on a loaded machine the client may still retry, and then every request
    // it sent is checked, not only the first
    LlmConfig c = anthropic(20, Duration.ofSeconds(30));
    Diagnoser d = diagnoser(c, new AnthropicModelClient(c), RedactorTest.redactorForIt());
    run(d, "canaries.log", log.toString());
    assertThat(server.bodies()).isNotEmpty();
    for (String sent : server.bodies()) {
      List<String> leaked =
          RedactorTest.canariesForIt().stream()
              .map(RedactorTest.Canary::secret)
              .filter(s -> sent.contains(s) || sent.contains(jsonEscaped(s)))
              .toList();
      assertThat(leaked).isEmpty();
    }
    assertThat(server.requests())
        .allSatisfy(
            r -> assertThat(r.user()).contains("secret(s) were replaced by [REDACTED:kind]"));
  }

  @Test
  void aRiskyRulesPlanIsConfirmedAndAgreementRaisesConfidence() {
    server.script(
        r ->
            FakeModelServer.Answer.ok(
                """
                {"root_cause": "heap exhausted", "category": "resource", "risk_level": "medium",
                 "remediation_strategy": "increase_jvm_heap", "remediation_params": {"factor": "1.5"},
                 "confidence": 0.8, "explanation": "OOM",
                 "evidence": [{"line": 4, "text": "java.lang.OutOfMemoryError: Java heap space"}]}
                """));
    Diagnosis rulesOnly =
        RULES.diagnose(LogSources.ofBytes("h.log", HEAP.getBytes()), Optional.empty());
    assertThat(rulesOnly.riskLevel()).isEqualTo(RiskLevel.MEDIUM);
    Diagnosis d = run(anthropicDiagnoser(), "h.log", HEAP);
    assertThat(d.analyzer()).isEqualTo("rules+llm");
    assertThat(d.playbookId()).isEqualTo(rulesOnly.playbookId());
    assertThat(d.confidence()).isGreaterThan(rulesOnly.confidence());
    assertThat(d.notes()).anyMatch(n -> n.contains("llm agreed with the rules (confirm)"));
  }

  @Test
  void disagreementLowersConfidenceAndTheRulesPlanStands() {
    server.script(
        r ->
            FakeModelServer.Answer.ok(
                """
                {"root_cause": "a flaky network", "category": "infrastructure", "risk_level": "low",
                 "remediation_strategy": "retry_pipeline", "remediation_params": {},
                 "confidence": 0.9, "explanation": "retry",
                 "evidence": [{"line": 4, "text": "java.lang.OutOfMemoryError: Java heap space"}]}
                """));
    Diagnosis rulesOnly =
        RULES.diagnose(LogSources.ofBytes("h.log", HEAP.getBytes()), Optional.empty());
    Diagnosis d = run(anthropicDiagnoser(), "h.log", HEAP);
    assertThat(d.analyzer()).isEqualTo("rules+llm");
    assertThat(d.category()).isEqualTo(rulesOnly.category());
    assertThat(d.remediationStrategy()).isEqualTo(rulesOnly.remediationStrategy());
    assertThat(d.confidence()).isLessThan(rulesOnly.confidence());
    assertThat(d.notes()).anyMatch(n -> n.contains("llm disagreed (confirm)"));
  }

  @Test
  void anOpenAiCompatibleEndpointWorksTheSameWay() {
    LlmConfig c =
        new LlmConfig(
            LlmConfig.Provider.OPENAI,
            "qwen2.5-coder",
            Optional.of(server.baseUrl() + "/v1"),
            Optional.of("local-key-123"),
            8000,
            512,
            Duration.ofSeconds(5),
            20,
            1_000_000,
            true,
            0.5);
    Diagnosis d =
        run(
            diagnoser(c, new OpenAiCompatibleClient(c), Redactor.lookAlikesOnly()),
            "a.log",
            UNKNOWN_FAILURE);
    assertThat(d.analyzer()).isEqualTo("llm");
    assertThat(d.evidence().get(0).line()).isEqualTo(4);
    FakeModelServer.Request r = server.requests().get(0);
    assertThat(r.api()).isEqualTo("openai");
    assertThat(r.body().path("response_format").path("type").asText()).isEqualTo("json_object");
    assertThat(r.user()).contains("<untrusted_log_data");
  }

  @Test
  void anUnreachableEndpointFallsBackToTheRules() {
    LlmConfig c =
        new LlmConfig(
            LlmConfig.Provider.OPENAI,
            "m",
            Optional.of("http://127.0.0.1:9/v1"),
            Optional.empty(),
            8000,
            512,
            Duration.ofSeconds(2),
            20,
            1_000_000,
            true,
            0.5);
    Diagnoser withLlm = diagnoser(c, new OpenAiCompatibleClient(c), Redactor.lookAlikesOnly());
    Diagnosis d = run(withLlm, "a.log", UNKNOWN_FAILURE);
    Diagnosis rulesOnly =
        RULES.diagnose(LogSources.ofBytes("a.log", UNKNOWN_FAILURE.getBytes()), Optional.empty());
    assertThat(d.withNotes(List.of()).notes()).hasSize(d.notes().size());
    assertThat(d.category()).isEqualTo(rulesOnly.category());
    assertThat(d.rootCause()).isEqualTo(rulesOnly.rootCause());
    assertThat(d.evidence()).isEqualTo(rulesOnly.evidence());
    assertThat(d.analyzer()).isEqualTo("rules");
    assertThat(d.notes()).anyMatch(n -> n.startsWith("llm unavailable"));
  }

  static String jsonEscaped(String s) {
    return FakeModelServer.MAPPER.valueToTree(s).toString().replaceAll("^\"|\"$", "");
  }

  static final String WORKFLOW =
      """
      name: ci
      on: [push]
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: ./gradlew frobnicate
      """;

  LlmConfig priced(int maxCalls) {
    LlmConfig a = anthropic(maxCalls, Duration.ofSeconds(5));
    return new LlmConfig(
        a.provider(),
        "claude-sonnet-4-5",
        a.baseUrl(),
        a.apiKey(),
        a.maxInputTokens(),
        a.maxOutputTokens(),
        a.timeout(),
        a.maxCallsPerRun(),
        a.maxTokensPerDay(),
        a.confirmRiskyPlans(),
        a.lowConfidence());
  }

  static Diagnosis run(Diagnoser d, String name, String log, Subject s) {
    return d.diagnose(
        LogSources.ofBytes(name, log.getBytes(StandardCharsets.UTF_8)), Optional.empty(), s);
  }

  @Test
  void thePipelineFileGoesIntoThePromptRedacted() {
    StringBuilder wf = new StringBuilder(WORKFLOW);
    wf.append("    env:\n");
    int n = 0;
    for (RedactorTest.Canary c : RedactorTest.canariesForIt()) {
      wf.append("      # ").append(c.line()).append('\n');
      wf.append("      SECRET_").append(n++).append(": ").append(c.secret()).append('\n');
    }
    LlmConfig c = anthropic(20, Duration.ofSeconds(5));
    Diagnoser d = diagnoser(c, new AnthropicModelClient(c), RedactorTest.redactorForIt());
    Subject s =
        new Subject(
            Optional.of("octo/app"),
            Optional.empty(),
            Optional.of(new Subject.PipelineFile(".github/workflows/ci.yml", wf.toString())));

    Diagnosis x = run(d, "a.log", UNKNOWN_FAILURE, s);

    assertThat(x.analyzer()).isEqualTo("llm");
    String user = server.requests().get(0).user();
    assertThat(user)
        .contains("Pipeline file: .github/workflows/ci.yml")
        .contains("5 |     runs-on: ubuntu-latest")
        .contains("8 |       - run: ./gradlew frobnicate")
        .contains("[REDACTED:");
    // the pipeline file sits inside its own untrusted-data wrapper, after the log's
    int log = user.indexOf("FrobnicatorError");
    int file = user.indexOf("runs-on: ubuntu-latest");
    assertThat(user.substring(log, file)).contains("</untrusted_log_data");
    String sent = server.bodies().get(0);
    List<String> leaked =
        RedactorTest.canariesForIt().stream()
            .map(RedactorTest.Canary::secret)
            .filter(sec -> sent.contains(sec) || sent.contains(jsonEscaped(sec)))
            .toList();
    assertThat(leaked).isEmpty();
    // the log had no secret: the prompt's redaction line counts the pipeline file's
    assertThat(user).contains("secret(s) were replaced by [REDACTED:kind] markers before sending");
  }

  @Test
  void aLongPipelineFileIsTrimmedWithinTheTokenBudget() {
    StringBuilder wf = new StringBuilder(WORKFLOW);
    for (int i = 0; i < 3000; i++) {
      wf.append("      - run: echo step ").append(i).append(" of a very long generated workflow\n");
    }
    LlmConfig c = anthropic(20, Duration.ofSeconds(5));
    Diagnoser d = diagnoser(c, new AnthropicModelClient(c), Redactor.lookAlikesOnly());
    run(
        d,
        "a.log",
        UNKNOWN_FAILURE,
        Subject.NONE.withPipelineFile(
            Optional.of(new Subject.PipelineFile(".gitlab-ci.yml", wf.toString()))));
    FakeModelServer.Request r = server.requests().get(0);
    assertThat(r.user()).contains("Pipeline file: .gitlab-ci.yml").contains("more lines left out");
    assertThat(r.user()).contains("FrobnicatorError: widget count 7");
    assertThat(PromptBuilder.tokens(r.system()) + PromptBuilder.tokens(r.user()))
        .isLessThanOrEqualTo(c.maxInputTokens());
  }

  @Test
  void aRepositoryOverItsDailyBudgetGetsTheRulesWithANote() {
    LlmConfig c = priced(20);
    MemoryTokenLedger ledger =
        new MemoryTokenLedger(
            new TokenLimits(1_000_000, 200_000, Map.of("noisy/repo", 100L)), Clock.systemUTC());
    Diagnoser d =
        new Diagnoser(
            RULES,
            List.of(
                new LlmAnalyzer(
                    new AnthropicModelClient(c),
                    c,
                    Redactor.lookAlikesOnly(),
                    Optional.empty(),
                    Clock.systemUTC(),
                    sleeps::add,
                    ledger)));
    Subject noisy = new Subject(Optional.of("noisy/repo"), Optional.empty(), Optional.empty());

    Diagnosis x = run(d, "a.log", UNKNOWN_FAILURE, noisy);

    assertThat(server.requests()).isEmpty();
    assertThat(x.analyzer()).isEqualTo("rules");
    assertThat(x.notes())
        .anyMatch(
            n ->
                n.startsWith("llm not consulted: the daily budget of 100 tokens for noisy/repo")
                    && n.endsWith("the rules' diagnosis stands"));
    assertThat(ledger.calls()).extracting(TokenLedger.Call::outcome).containsExactly("refused");

    // another repository still has its budget
    Diagnosis y =
        run(
            d,
            "a.log",
            UNKNOWN_FAILURE,
            new Subject(Optional.of("octo/app"), Optional.empty(), Optional.empty()));
    assertThat(y.analyzer()).isEqualTo("llm");
    assertThat(server.requests()).hasSize(1);
    assertThat(ledger.tokensToday("octo/app")).isPositive();
    assertThat(ledger.tokensToday("noisy/repo")).isZero();
  }

  @Test
  void tokensAndEstimatedCostAreRecordedPerDiagnosis() {
    LlmConfig c = priced(20);
    MemoryTokenLedger ledger = new MemoryTokenLedger(TokenLimits.defaults(), Clock.systemUTC());
    Diagnoser d =
        new Diagnoser(
            RULES,
            List.of(
                new LlmAnalyzer(
                    new AnthropicModelClient(c),
                    c,
                    Redactor.lookAlikesOnly(),
                    Optional.empty(),
                    Clock.systemUTC(),
                    sleeps::add,
                    ledger)));
    Subject s = new Subject(Optional.of("octo/app"), Optional.of("ra-7"), Optional.empty());

    Diagnosis first = run(d, "a.log", UNKNOWN_FAILURE, s);
    Diagnosis again = run(d, "b.log", UNKNOWN_FAILURE, s);

    List<TokenLedger.Call> calls = ledger.calls();
    assertThat(calls).extracting(TokenLedger.Call::outcome).containsExactly("called", "cached");
    TokenLedger.Call call = calls.get(0);
    FakeModelServer.Request r = server.requests().get(0);
    long in = (r.system().length() + r.user().length()) / 4;
    assertThat(call.inputTokens()).isEqualTo(in);
    assertThat(call.outputTokens()).isPositive();
    assertThat(call.repository()).contains("octo/app");
    assertThat(call.incidentId()).contains("ra-7");
    assertThat(call.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(call.costUsd())
        .isEqualTo((in * 3.0 + call.outputTokens() * 15.0) / 1_000_000.0)
        .isPositive();
    assertThat(ledger.tokensToday("octo/app")).isEqualTo(in + call.outputTokens());
    assertThat(first.notes())
        .anyMatch(
            n ->
                n.contains(in + " input + " + call.outputTokens() + " output tokens")
                    && n.contains(
                        String.format(
                            java.util.Locale.ROOT, "estimated cost $%.4f", call.costUsd())));
    assertThat(again.notes()).anyMatch(n -> n.contains("answer reused from the cache"));
    assertThat(calls.get(1).costUsd()).isZero();
  }
}
