package dev.pitcrew.cli;

import com.github.kagkarlsson.scheduler.SchedulerState;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.diagnosis.llm.LlmConfig;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.incident.ForgeRegistry;
import dev.pitcrew.incident.IncidentJobs;
import dev.pitcrew.intake.Reconciler;
import dev.pitcrew.notify.Notifications;
import dev.pitcrew.notify.Notifier;
import dev.pitcrew.notify.SinkHealth;
import dev.pitcrew.store.Database;
import dev.pitcrew.web.Health;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks behind {@code /health}: one line per dependency, {@code ready}, {@code disabled} or
 * {@code failed} with a reason. The database and the job scheduler are required; forges, the model,
 * notification sinks and the reconciler are optional (a failure there degrades the service, it does
 * not make it unready). None of the checks calls a remote service: they report configuration and
 * what the last calls showed, so a health probe never spends a forge's rate limit.
 */
final class ServiceHealth {
  private static final List<String> LLM_KEYS =
      List.of(
          "PITCREW_LLM",
          "PITCREW_LLM_MODEL",
          "PITCREW_LLM_BASE_URL",
          "PITCREW_LLM_API_KEY",
          "ANTHROPIC_API_KEY",
          "ANTHROPIC_BASE_URL",
          "PITCREW_LLM_MAX_INPUT_TOKENS",
          "PITCREW_LLM_MAX_OUTPUT_TOKENS",
          "PITCREW_LLM_TIMEOUT_SECONDS",
          "PITCREW_LLM_MAX_CALLS_PER_RUN",
          "PITCREW_LLM_MAX_TOKENS_PER_DAY",
          "PITCREW_LLM_CONFIRM");

  private ServiceHealth() {}

  static Health build(
      PitcrewConfig config,
      Database db,
      IncidentJobs jobs,
      ForgeRegistry forges,
      List<Notifier> notifiers,
      Reconciler reconciler) {
    Health health = new Health();
    health.add(
        "database",
        () ->
            db.problem()
                .map(Health.Check::failed)
                .orElse(Health.Check.ready(db.postgres() ? "postgresql" : "embedded h2")));
    health.add("scheduler", () -> scheduler(jobs));
    for (Provider p : List.of(Provider.GITHUB, Provider.GITLAB)) {
      health.addOptional("forge:" + p.wire(), () -> forge(p, forges.forProvider(p)));
    }
    forges
        .forProvider(Provider.LOCAL)
        .ifPresent(
            f -> health.addOptional("forge:local", () -> forge(Provider.LOCAL, Optional.of(f))));
    health.addOptional("llm", () -> llm(config));
    addNotifiers(health, notifiers);
    health.addOptional("reconciler", () -> reconciler(reconciler));
    return health;
  }

  static Health.Check scheduler(IncidentJobs jobs) {
    SchedulerState s = jobs.scheduler().getSchedulerState();
    if (s.isShuttingDown()) {
      return Health.Check.failed("the job scheduler is shutting down");
    }
    if (!s.isStarted()) {
      return Health.Check.failed("the job scheduler has not started");
    }
    if (s.isPaused()) {
      return Health.Check.failed("the job scheduler is paused");
    }
    return Health.Check.ready("running incident steps and the inbox drain");
  }

  static Health.Check forge(Provider p, Optional<Forge> forge) {
    if (forge.isEmpty()) {
      return Health.Check.disabled(
          switch (p) {
            case GITHUB -> "GITHUB_TOKEN is not set: GitHub deliveries are recorded, not acted on";
            case GITLAB -> "GITLAB_TOKEN is not set: GitLab deliveries are recorded, not acted on";
            case LOCAL -> "no local forge";
          });
    }
    Optional<String> problem = forge.get().problem();
    return problem.isPresent()
        ? Health.Check.failed(problem.get())
        : Health.Check.ready("credentials configured; no recent run of failures");
  }

  static Health.Check llm(PitcrewConfig config) {
    Map<String, String> env = new HashMap<>();
    for (String k : LLM_KEYS) {
      config.get(k).ifPresent(v -> env.put(k, v));
    }
    LlmConfig llm;
    try {
      llm = LlmConfig.fromEnv(env);
    } catch (IllegalArgumentException e) {
      return Health.Check.failed(e.getMessage());
    }
    if (!llm.enabled()) {
      return Health.Check.disabled(
          "no model configured (ANTHROPIC_API_KEY or PITCREW_LLM_BASE_URL); the rules diagnose"
              + " alone");
    }
    return Health.Check.ready(
        llm.provider().name().toLowerCase(java.util.Locale.ROOT) + " model " + llm.model());
  }

  static void addNotifiers(Health health, List<Notifier> notifiers) {
    if (notifiers.isEmpty()) {
      health.addOptional(
          "notify", () -> Health.Check.disabled("no notification sink is installed"));
      return;
    }
    for (Notifier n : notifiers) {
      if (n instanceof Notifications fanOut) {
        for (String sink : fanOut.health().keySet()) {
          health.addOptional("notify:" + sink, () -> sink(fanOut.health().get(sink)));
        }
      } else {
        health.addOptional(
            "notify:" + n.name(), () -> Health.Check.ready("installed: " + n.name()));
      }
    }
  }

  private static Health.Check sink(SinkHealth h) {
    return switch (h.state()) {
      case READY -> Health.Check.ready(h.reason());
      case DISABLED -> Health.Check.disabled(h.reason());
      case FAILED -> Health.Check.failed(h.reason());
    };
  }

  static Health.Check reconciler(Reconciler r) {
    Reconciler.Settings s = r.settings();
    if (s.interval().isZero()) {
      return Health.Check.disabled("PITCREW_RECONCILE_INTERVAL is 0");
    }
    if (s.repositories().isEmpty()) {
      return Health.Check.disabled("no repositories in PITCREW_RECONCILE_REPOS");
    }
    String every =
        "every "
            + s.interval().toString().substring(2).toLowerCase(java.util.Locale.ROOT)
            + " over "
            + s.repositories().size()
            + " repositories";
    Optional<Reconciler.Report> last = r.last();
    if (last.isEmpty()) {
      return Health.Check.ready(every + "; not polled on this replica yet");
    }
    Reconciler.Report rep = last.get();
    if (!rep.errors().isEmpty()) {
      return Health.Check.failed(
          "last poll at " + rep.at() + " failed for " + String.join("; ", rep.errors()));
    }
    return Health.Check.ready(
        every
            + "; last poll at "
            + rep.at()
            + " found "
            + rep.found()
            + " failed runs, "
            + rep.accepted()
            + " without a webhook");
  }
}
