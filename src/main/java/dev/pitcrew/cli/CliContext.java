package dev.pitcrew.cli;

import dev.pitcrew.diagnosis.Analyzer;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.llm.LlmAnalyzer;
import dev.pitcrew.diagnosis.llm.LlmConfig;
import dev.pitcrew.diagnosis.llm.MemoryTokenLedger;
import dev.pitcrew.diagnosis.llm.ModelClient;
import dev.pitcrew.diagnosis.llm.Prices;
import dev.pitcrew.diagnosis.llm.TokenLimits;
import dev.pitcrew.diagnosis.llm.anthropic.AnthropicModelClient;
import dev.pitcrew.diagnosis.llm.openai.OpenAiCompatibleClient;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.Redactor;
import dev.pitcrew.playbook.PlaybookLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the commands share: the environment, the playbooks, the diagnoser. */
final class CliContext {
  private final Map<String, String> env;
  private final Path dir;
  private PlaybookLoader.Result playbooks;
  private dev.pitcrew.config.PitcrewConfig config;

  CliContext(Map<String, String> env) {
    this(env, Path.of("."));
  }

  /** With {@code dir} as the folder holding {@code pitcrew.yml} and {@code .env}. */
  CliContext(Map<String, String> env, Path dir) {
    this.env = env;
    this.dir = dir;
  }

  Map<String, String> env() {
    return env;
  }

  /** The layered settings: environment, then {@code .env}, then {@code pitcrew.yml}. */
  dev.pitcrew.config.PitcrewConfig config() {
    if (config == null) {
      config = dev.pitcrew.config.PitcrewConfig.load(env, dir);
    }
    return config;
  }

  List<Path> extraPlaybookFolders() {
    return PlaybookLoader.foldersFrom(env.get("PITCREW_PLAYBOOKS"));
  }

  PlaybookLoader.Result playbooks() {
    if (playbooks == null) {
      playbooks = PlaybookLoader.loadDefault(extraPlaybookFolders());
    }
    return playbooks;
  }

  Diagnoser diagnoser(boolean llmAllowed) {
    return diagnoser(llmAllowed, Optional.empty());
  }

  /** The same, with a checkout of the repository the logs come from (diagnose --repo). */
  Diagnoser diagnoser(boolean llmAllowed, Optional<LlmAnalyzer.Repository> checkout) {
    PlaybookLoader.Result r = playbooks();
    for (String e : r.errors()) {
      System.err.println("pitcrew: playbook skipped: " + e);
    }
    return new Diagnoser(new RuleEngine(r.catalog()), llmAllowed ? analyzers(checkout) : List.of());
  }

  /** The model analyzer when one is configured (PITCREW_LLM, ANTHROPIC_API_KEY ...), else none. */
  List<Analyzer> analyzers() {
    return analyzers(Optional.empty());
  }

  List<Analyzer> analyzers(Optional<LlmAnalyzer.Repository> checkout) {
    LlmConfig config = LlmConfig.fromEnv(env);
    if (!config.enabled()) {
      return List.of();
    }
    ModelClient client =
        switch (config.provider()) {
          case ANTHROPIC -> new AnthropicModelClient(config);
          case OPENAI -> new OpenAiCompatibleClient(config);
          case OFF -> throw new IllegalStateException("unreachable");
        };
    List<String> extra =
        env.getOrDefault("PITCREW_REDACT_VALUES", "").isBlank()
            ? List.of()
            : List.of(env.get("PITCREW_REDACT_VALUES").split(","));
    return List.of(
        new LlmAnalyzer(
            client,
            config,
            Redactor.fromEnvironment(env, extra),
            checkout,
            Clock.systemUTC(),
            new MemoryTokenLedger(
                TokenLimits.fromEnv(env, config.maxTokensPerDay()), Clock.systemUTC()),
            Prices.fromEnv(env)));
  }

  Optional<RuleEngine.LongSetHandle> fingerprints(Optional<LogSource> prev, PrintWriter err) {
    if (prev.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(RuleEngine.fingerprints(prev.get()));
    } catch (IOException | RuntimeException e) {
      err.println(
          "pitcrew: the previous successful log could not be read ("
              + e.getMessage()
              + "); diagnosing without it");
      return Optional.empty();
    }
  }

  RemoteTargets remoteTargets() {
    return new RemoteTargets(env, java.time.Clock.systemUTC());
  }

  // --- the integrations of this build, shared by serve and demo ---

  /**
   * The remediation actions of this build, configured from the layered settings (safe defaults,
   * package allow-list, runner ladder, flakiness thresholds, local reproduction).
   */
  Optional<dev.pitcrew.remediation.Remediation> remediation() {
    return Optional.of(registry());
  }

  dev.pitcrew.remediation.RemediationRegistry registry() {
    return dev.pitcrew.remediation.Remediations.standard(config());
  }

  /**
   * The global risk policy (kill switch, attempt limit); a repository's {@code .pitcrew.yml} shapes
   * it further through {@link dev.pitcrew.policy.RiskPolicy#forRepository}.
   */
  dev.pitcrew.policy.RiskPolicy riskPolicy() {
    boolean killSwitch = config().flag("PITCREW_KILL_SWITCH", false);
    int maxAttempts = config().integer("PITCREW_MAX_ATTEMPTS", 3);
    return new dev.pitcrew.policy.StandardRiskPolicy(
        killSwitch, maxAttempts, dev.pitcrew.policy.RepoSettings.DEFAULT);
  }

  /** The notifiers configured for this build; the forges carry comments and incident issues. */
  List<dev.pitcrew.notify.Notifier> notifiers(
      dev.pitcrew.config.PitcrewConfig config, List<dev.pitcrew.forge.Forge> forges) {
    var notify = dev.pitcrew.notify.NotifyConfig.fromLookup(config::get);
    return List.of(
        notify.build(forges, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
  }
}
