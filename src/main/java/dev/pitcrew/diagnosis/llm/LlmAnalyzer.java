package dev.pitcrew.diagnosis.llm;

import dev.pitcrew.diagnosis.Analyzer;
import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.diagnosis.Subject;
import dev.pitcrew.diagnosis.rules.ScanResult;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.Redactor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;

/**
 * The language model as a second opinion, and the combiner of its opinion with the rules'. Rules
 * first: the model is consulted for what the rules cannot explain (no playbook, or low confidence)
 * and, when enabled, to confirm medium- and high-risk plans. The model proposes; what it proposes
 * must be grounded in the log and inside the registered actions, and an LLM-only diagnosis never
 * asks for more than a retry without a person's approval. Every failure mode falls back to the
 * rules' verdict with a note saying why.
 */
public final class LlmAnalyzer implements Analyzer {
  static final double LLM_ONLY_MAX_CONFIDENCE = 0.8;
  static final double AGREEMENT_GAIN = 0.3;
  static final double DISAGREEMENT_FACTOR = 0.7;
  static final int CACHE_SIZE = 1000;

  private final ModelClient client;
  private final PromptBuilder prompts;
  private final Redactor redactor;
  private final LlmConfig config;
  private final Budget budget;
  private final TokenLedger ledger;
  private final Prices prices;
  private final java.time.Clock clock;
  private final Optional<Repository> repository;
  private final Map<String, String> cache;

  /** Files of the repository the failed run built, when Pitcrew has a checkout of it. */
  public interface Repository {
    /** The pipeline file (workflow, .gitlab-ci.yml), when there is one. */
    Optional<PromptBuilder.PipelineFile> pipelineFile();

    /** Whether the path exists in the repository. */
    boolean hasFile(String path);

    /** Whether the value occurs in one of the repository's manifest or configuration files. */
    boolean mentions(String value);
  }

  public LlmAnalyzer(
      ModelClient client,
      LlmConfig config,
      Redactor redactor,
      Optional<Repository> repository,
      java.time.Clock clock) {
    this(
        client,
        config,
        redactor,
        repository,
        clock,
        new MemoryTokenLedger(
            new TokenLimits(
                config.maxTokensPerDay(), TokenLimits.DEFAULT_PER_REPOSITORY_PER_DAY, Map.of()),
            clock),
        Prices.standard());
  }

  /**
   * @param ledger where tokens are counted against the daily budgets and each call is recorded
   * @param prices what the configured model's tokens cost, for the recorded estimate
   */
  public LlmAnalyzer(
      ModelClient client,
      LlmConfig config,
      Redactor redactor,
      Optional<Repository> repository,
      java.time.Clock clock,
      TokenLedger ledger,
      Prices prices) {
    this(
        new ResilientClient(
            client,
            2,
            java.time.Duration.ofMillis(500),
            java.time.Duration.ofMinutes(1),
            clock,
            d -> Thread.sleep(d.toMillis())),
        config,
        redactor,
        repository,
        clock,
        ledger,
        prices,
        new PromptBuilder(
            redactor,
            config.maxInputTokens(),
            () -> java.util.UUID.randomUUID().toString().substring(0, 8)),
        new Budget(config.maxCallsPerRun()),
        null);
  }

  /** For tests: a client without retry pauses. */
  LlmAnalyzer(
      ModelClient client,
      LlmConfig config,
      Redactor redactor,
      Optional<Repository> repository,
      java.time.Clock clock,
      ResilientClient.Sleeper sleeper) {
    this(
        client,
        config,
        redactor,
        repository,
        clock,
        sleeper,
        new MemoryTokenLedger(
            new TokenLimits(
                config.maxTokensPerDay(), TokenLimits.DEFAULT_PER_REPOSITORY_PER_DAY, Map.of()),
            clock));
  }

  /** For tests: a client without retry pauses, counting on the given ledger. */
  LlmAnalyzer(
      ModelClient client,
      LlmConfig config,
      Redactor redactor,
      Optional<Repository> repository,
      java.time.Clock clock,
      ResilientClient.Sleeper sleeper,
      TokenLedger ledger) {
    this(
        new ResilientClient(
            client,
            2,
            java.time.Duration.ofMillis(1),
            java.time.Duration.ofMinutes(1),
            clock,
            sleeper),
        config,
        redactor,
        repository,
        clock,
        ledger,
        Prices.standard(),
        new PromptBuilder(redactor, config.maxInputTokens(), () -> "n0nce123"),
        new Budget(config.maxCallsPerRun()),
        null);
  }

  private LlmAnalyzer(
      ModelClient resilient,
      LlmConfig config,
      Redactor redactor,
      Optional<Repository> repository,
      java.time.Clock clock,
      TokenLedger ledger,
      Prices prices,
      PromptBuilder prompts,
      Budget budget,
      Map<String, String> cache) {
    this.client = resilient;
    this.config = config;
    this.redactor = redactor;
    this.repository = repository;
    this.clock = clock;
    this.ledger = ledger;
    this.prices = prices;
    this.prompts = prompts;
    this.budget = budget;
    this.cache = cache != null ? cache : newCache();
  }

  /**
   * This analyzer counting on another ledger (the service's database), sharing its client, call
   * budget and answer cache.
   */
  public LlmAnalyzer withLedger(TokenLedger other) {
    return new LlmAnalyzer(
        client, config, redactor, repository, clock, other, prices, prompts, budget, cache);
  }

  private static Map<String, String> newCache() {
    return java.util.Collections.synchronizedMap(
        new java.util.LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > CACHE_SIZE;
          }
        });
  }

  @Override
  public String name() {
    return "llm";
  }

  @Override
  public Optional<Diagnosis> analyze(ScanResult scan, Diagnosis rulesVerdict) {
    return analyze(null, scan, rulesVerdict, false);
  }

  /** Why the model is consulted for this verdict, or empty when the rules stand alone. */
  Optional<String> reason(Diagnosis rules) {
    if (rules.error().isPresent()) {
      return Optional.empty();
    }
    if (rules.playbookId().isEmpty()) {
      return Optional.of("explain");
    }
    if (rules.confidence() < config.lowConfidence()) {
      return Optional.of("low-confidence");
    }
    if (config.confirmRiskyPlans()
        && rules.riskLevel() != RiskLevel.LOW
        && !Actions.NONE.equals(rules.remediationStrategy())) {
      return Optional.of("confirm");
    }
    return Optional.empty();
  }

  @Override
  public Optional<Diagnosis> analyze(
      LogSource log, ScanResult scan, Diagnosis rules, boolean previousSuccessGiven) {
    return analyze(log, scan, rules, previousSuccessGiven, Subject.NONE);
  }

  @Override
  public Optional<Diagnosis> analyze(
      LogSource log,
      ScanResult scan,
      Diagnosis rules,
      boolean previousSuccessGiven,
      Subject subject) {
    Optional<String> why = reason(rules);
    if (why.isEmpty()) {
      return Optional.empty();
    }
    List<String> notes = new ArrayList<>();
    Map<Integer, String> lines = new HashMap<>();
    boolean logReadable = log != null;
    if (log != null) {
      try {
        lines.putAll(LogExcerpt.read(log, PromptBuilder.wantedLines(scan)));
      } catch (IOException | RuntimeException e) {
        logReadable = false;
        notes.add(
            "llm: the log could not be re-read for context; the prompt used the scan's lines");
      }
    }
    Prompt prompt =
        prompts.build(
            new PromptBuilder.Input(
                scan, rules, lines, previousSuccessGiven, pipelineFile(subject), Optional.empty()));
    Optional<String> repo = subject.repository();
    String key = prompt.fingerprint() + "/" + why.get();
    String answer = cache.get(key);
    boolean cached = answer != null;
    if (!cached) {
      long estimate = prompt.estimatedTokens() + config.maxOutputTokens();
      Optional<String> refused = budget.reserve();
      if (refused.isEmpty()) {
        try {
          refused = ledger.reserve(repo, estimate);
        } catch (RuntimeException e) {
          refused =
              Optional.of(
                  "the token budget could not be checked ("
                      + redactor.mask(String.valueOf(e.getMessage()))
                      + ")");
        }
        if (refused.isPresent()) {
          budget.release();
        }
      }
      if (refused.isPresent()) {
        record(subject, TokenLedger.Call.REFUSED, 0, 0, 0);
        return Optional.of(
            rules.withNotes(
                List.of("llm not consulted: " + refused.get() + "; the rules' diagnosis stands")));
      }
      ModelClient.Reply reply;
      try {
        reply = client.complete(prompt);
      } catch (ModelException e) {
        settle(repo, estimate, 0);
        record(subject, TokenLedger.Call.FAILED, 0, 0, 0);
        return Optional.of(
            rules.withNotes(
                List.of(
                    "llm unavailable ("
                        + redactor.mask(String.valueOf(e.getMessage()))
                        + "); the rules' diagnosis stands")));
      }
      settle(repo, estimate, reply.inputTokens() + reply.outputTokens());
      double cost = prices.cost(config.model(), reply.inputTokens(), reply.outputTokens());
      record(subject, TokenLedger.Call.CALLED, reply.inputTokens(), reply.outputTokens(), cost);
      answer = reply.text();
      notes.add(
          "llm: "
              + client.describe()
              + ", prompt "
              + prompt.version()
              + ", "
              + reply.inputTokens()
              + " input + "
              + reply.outputTokens()
              + " output tokens"
              + (prices.of(config.model()).isPresent()
                  ? String.format(java.util.Locale.ROOT, ", estimated cost $%.4f", cost)
                  : ", no price known for this model")
              + (prompt.redactions().isEmpty()
                  ? ""
                  : ", " + prompt.redactions().size() + " secret(s) redacted before sending"));
    } else {
      record(subject, TokenLedger.Call.CACHED, 0, 0, 0);
      notes.add("llm: answer reused from the cache for the same failure fingerprint");
    }
    Proposal proposal;
    try {
      proposal = Proposal.parse(answer);
    } catch (Proposal.Malformed e) {
      notes.add("llm answer discarded, it was malformed: " + e.getMessage());
      return Optional.of(rules.withNotes(notes));
    }
    if (!cached) {
      cache.put(key, answer);
    } else {
      proposal =
          proposal.withEvidence(Grounding.relocate(proposal.evidence(), prompt.shownLines()));
    }
    // grounding: the cited lines must be in the log
    Map<Integer, String> logLines = new HashMap<>(lines);
    NavigableSet<Integer> need = Grounding.wanted(proposal.evidence());
    need.removeAll(logLines.keySet());
    if (logReadable && !need.isEmpty()) {
      try {
        logLines.putAll(LogExcerpt.read(log, need));
      } catch (IOException | RuntimeException e) {
        notes.add("llm: the log could not be re-read to check the cited lines");
      }
    }
    Grounding.Result g =
        Grounding.check(proposal.evidence(), logLines, prompt.shownLines(), redactor);
    if (g.verified().isEmpty()) {
      notes.add(
          "llm diagnosis discarded: none of its "
              + proposal.evidence().size()
              + " cited line(s) exist in the log"
              + (g.rejected().isEmpty() ? "" : " (" + g.rejected().get(0) + ")"));
      return Optional.of(rules.withNotes(notes));
    }
    if (!g.rejected().isEmpty()) {
      notes.add("llm: " + g.rejected().size() + " cited line(s) not found in the log were dropped");
    }
    Contained c = contain(proposal, log, logReadable, prompt, notes);
    if (c.outOfPolicy() && rules.playbookId().isEmpty()) {
      // an answer that asked for something out of policy is not trusted for its reading either
      notes.add(
          "llm diagnosis discarded: its proposal was out of policy; the rules' verdict stands");
      return Optional.of(rules.withNotes(notes));
    }
    return Optional.of(combine(rules, proposal, c, g.verified(), why.get(), notes));
  }

  private Optional<PromptBuilder.PipelineFile> pipelineFile(Subject subject) {
    if (subject.pipelineFile().isPresent()) {
      Subject.PipelineFile f = subject.pipelineFile().get();
      return Optional.of(new PromptBuilder.PipelineFile(f.path(), f.content()));
    }
    return repository.flatMap(Repository::pipelineFile);
  }

  private void settle(Optional<String> repo, long reserved, long used) {
    try {
      ledger.settle(repo, reserved, used);
    } catch (RuntimeException e) {
      // the reservation stands as the estimate: the budget errs on the side of spending less
    }
  }

  private void record(Subject s, String outcome, long in, long out, double cost) {
    try {
      ledger.record(
          new TokenLedger.Call(
              clock.instant(),
              s.repository(),
              s.incidentId(),
              config.model(),
              outcome,
              in,
              out,
              cost));
    } catch (RuntimeException e) {
      // usage bookkeeping must never cost the diagnosis; the budget itself was already settled
    }
  }

  /**
   * The proposal's action after containment.
   *
   * @param outOfPolicy the model asked for an unregistered action, malformed parameters or values
   *     found neither in the log nor in the repository: what an injection-following or inventing
   *     model does
   */
  record Contained(String strategy, Map<String, String> params, boolean outOfPolicy) {
    Contained(String strategy, Map<String, String> params) {
      this(strategy, params, false);
    }
  }

  Contained contain(
      Proposal p, LogSource log, boolean logReadable, Prompt prompt, List<String> notes) {
    String strategy = p.remediationStrategy();
    Map<String, String> params = new LinkedHashMap<>(p.remediationParams());
    Optional<String> bad = Actions.violation(strategy, params);
    if (bad.isPresent()) {
      notes.add("llm proposal refused: " + redactor.mask(bad.get()));
      return new Contained(Actions.NONE, Map.of(), true);
    }
    if (!p.category().fixable() && !Actions.NONE.equals(strategy)) {
      notes.add(
          "llm proposal refused: a "
              + p.category().wire()
              + " failure is for a person to fix, not '"
              + strategy
              + "'");
      return new Contained(Actions.NONE, Map.of());
    }
    for (var e : params.entrySet()) {
      if (!Grounding.CAPTURED.contains(e.getKey())) {
        continue;
      }
      if (!grounded(e.getKey(), e.getValue(), log, logReadable, prompt)) {
        notes.add(
            "llm proposal refused: parameter "
                + e.getKey()
                + "='"
                + redactor.mask(e.getValue())
                + "' appears neither in the log nor in the repository");
        return new Contained(Actions.NONE, Map.of(), true);
      }
    }
    return new Contained(strategy, params);
  }

  private boolean grounded(
      String name, String value, LogSource log, boolean logReadable, Prompt prompt) {
    if (value.contains(Redactor.MARK)) {
      return false;
    }
    if (prompt.shownLines().values().stream().anyMatch(t -> t.contains(value))) {
      return true;
    }
    if (logReadable) {
      try {
        if (LogExcerpt.contains(log, value)) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        // unreadable now: only the repository can vouch for it
      }
    }
    if (repository.isPresent()) {
      Repository r = repository.get();
      return name.equals("file") ? r.hasFile(value) : r.mentions(value);
    }
    return false;
  }

  Diagnosis combine(
      Diagnosis rules,
      Proposal p,
      Contained c,
      List<Evidence> evidence,
      String why,
      List<String> notes) {
    boolean rulesExplained = rules.playbookId().isPresent();
    if (rulesExplained) {
      boolean agree =
          p.category() == rules.category()
              && (c.strategy().equals(rules.remediationStrategy())
                  || Actions.NONE.equals(c.strategy()) && rules.category() == Category.CODE);
      double conf =
          agree
              ? rules.confidence() + (1 - rules.confidence()) * AGREEMENT_GAIN
              : rules.confidence() * DISAGREEMENT_FACTOR;
      notes.add(
          agree
              ? "llm agreed with the rules (" + why + "); confidence raised"
              : "llm disagreed ("
                  + why
                  + "): it read "
                  + p.category().wire()
                  + "/"
                  + c.strategy()
                  + " — "
                  + redactor.mask(p.rootCause())
                  + "; the rules' verdict stands for any automatic action, with lower confidence");
      return new Diagnosis(
          rules.file(),
          rules.category(),
          rules.rootCause(),
          round(conf),
          rules.riskLevel(),
          rules.remediationStrategy(),
          rules.remediationParams(),
          rules.playbookId(),
          "rules+llm",
          rules.evidence(),
          rules.explanation(),
          rules.error(),
          merge(rules.notes(), notes));
    }
    RiskLevel risk = p.riskLevel();
    String strategy = c.strategy();
    if (Actions.NEEDS_APPROVAL_FROM_MODEL.contains(strategy)) {
      risk = RiskLevel.HIGH;
      notes.add(
          "approval required: '"
              + strategy
              + "' was proposed by the model alone, and Pitcrew never does that on a model's"
              + " say-so");
    } else if (!Actions.NONE.equals(strategy) && !Actions.MODEL_MAY_AUTO_APPLY.contains(strategy)) {
      risk = risk.max(RiskLevel.MEDIUM);
      notes.add(
          "approval required: a diagnosis from the model alone is applied automatically only for"
              + " low-risk retries");
    }
    return new Diagnosis(
        rules.file(),
        p.category(),
        redactor.mask(p.rootCause()),
        round(Math.min(p.confidence(), LLM_ONLY_MAX_CONFIDENCE)),
        risk,
        strategy,
        c.params(),
        Optional.empty(),
        "llm",
        evidence,
        redactor.mask(p.explanation()),
        Optional.empty(),
        merge(rules.notes(), notes));
  }

  /**
   * Whether a person must approve acting on this diagnosis because of where it came from: the model
   * alone, proposing anything beyond a low-risk retry. The risk policy reads this.
   */
  public static boolean approvalRequired(Diagnosis d) {
    if (!"llm".equals(d.analyzer()) || Actions.NONE.equals(d.remediationStrategy())) {
      return false;
    }
    return d.riskLevel() != RiskLevel.LOW
        || Actions.NEEDS_APPROVAL_FROM_MODEL.contains(d.remediationStrategy())
        || !Actions.MODEL_MAY_AUTO_APPLY.contains(d.remediationStrategy());
  }

  int callsMade() {
    return budget.calls();
  }

  private static List<String> merge(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
