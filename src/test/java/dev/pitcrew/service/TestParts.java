package dev.pitcrew.service;

import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Notifier;
import dev.pitcrew.playbook.PlaybookLoader;
import dev.pitcrew.policy.RiskPolicy;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Remediation;
import dev.pitcrew.remediation.RemediationContext;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Small real implementations of the seams for service tests, all acting through {@link TableForge}.
 */
public final class TestParts {
  private TestParts() {}

  /**
   * The service's parts with no forge, no remediation and no policy (incidents are recorded for a
   * person), the shipped playbooks and no notifier: for tests of the intake and the store.
   */
  public static PitcrewService.Parts rulesOnly() {
    return new PitcrewService.Parts(
        List.of(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        new Diagnoser(new RuleEngine(new dev.pitcrew.playbook.PlaybookCatalog()), List.of()),
        new dev.pitcrew.playbook.PlaybookCatalog(),
        Clock.systemUTC());
  }

  /** A failed GitHub Actions job whose runner went away: the shipped playbook says re-run it. */
  public static final String RUNNER_LOST_LOG =
      """
      2024-02-01T03:22:10.0000000Z ##[group]Run ./ci/integration.sh
      2024-02-01T03:40:02.0000000Z running suite 7/12: replication
      2024-02-01T03:41:55.0000000Z ##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.
      2024-02-01T03:41:55.1000000Z ##[error]Process completed with exit code 143.
      """;

  /**
   * Re-runs the failed jobs, once: before acting it looks for the next attempt on the forge, so a
   * retried apply (after a crash) finds the re-run it started and does not start another.
   */
  public static final class RetryPipeline implements Remediation {
    private final TableForge forge;
    private final String hook;

    /** {@code hook} "before" or "after" makes apply pause around the re-run (for crash tests). */
    public RetryPipeline(TableForge forge, String hook) {
      this.forge = forge;
      this.hook = hook;
    }

    @Override
    public Optional<Plan> plan(Diagnosis d, RemediationContext ctx) {
      if (!d.remediationStrategy().equals("retry_pipeline")) {
        return Optional.empty();
      }
      if (hook.equals("advise")) {
        return Optional.of(
            new Plan(
                dev.pitcrew.remediation.Plans.SUGGESTION,
                d.riskLevel(),
                "a person should look at the runner",
                List.of(),
                List.of(),
                Map.of()));
      }
      return Optional.of(
          new Plan(
              "retry_pipeline",
              d.riskLevel(),
              "re-run the failed jobs of run " + ctx.run().ref().runId(),
              List.of(),
              List.of("re-run failed jobs"),
              Map.of()));
    }

    @Override
    public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
      if (plan.action().equals(dev.pitcrew.remediation.Plans.SUGGESTION)) {
        return new Outcome(
            Outcome.Status.NOTHING_TO_DO, plan.summary(), Optional.empty(), Optional.empty());
      }
      RunRef next =
          new RunRef(
              ctx.run().ref().repo(), ctx.run().ref().runId(), ctx.run().ref().attempt() + 1);
      try {
        forge.run(next);
        return new Outcome(
            Outcome.Status.NOTHING_TO_DO,
            "attempt " + next.attempt() + " already runs",
            Optional.of(next),
            Optional.empty());
      } catch (java.io.FileNotFoundException absent) {
        // not re-run yet
      }
      pause("before");
      RunRef started = forge.rerunFailedJobs(ctx.run().ref());
      pause("after");
      return new Outcome(
          Outcome.Status.APPLIED,
          "re-ran the failed jobs as attempt " + started.attempt(),
          Optional.of(started),
          Optional.empty());
    }

    private void pause(String where) {
      if (where.equals(hook)) {
        forge.record("apply.paused", where);
        try {
          Thread.sleep(120_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Counts messages in the forge's call table, by kind. */
  public static final class TableNotifier implements Notifier {
    private final TableForge forge;

    public TableNotifier(TableForge forge) {
      this.forge = forge;
    }

    @Override
    public String name() {
      return "table";
    }

    /** Like an incident tracker, answers a manual review with the ticket it opened. */
    @Override
    public Optional<String> deliver(Notification n) {
      forge.record("notify", n.kind() + ":" + n.actionId());
      return n.kind() == Notification.Kind.MANUAL_REVIEW
          ? Optional.of(TICKETS + n.actionId())
          : Optional.empty();
    }

    public static final String TICKETS = "https://tickets.example.com/";
  }

  public static RiskPolicy policy(Verdict.Decision d) {
    return (diag, plan, attempt) -> new Verdict(d, "the test policy says " + d);
  }

  public static PitcrewService.Parts parts(
      TableForge forge, String hook, Verdict.Decision decision) {
    var playbooks = PlaybookLoader.loadDefault(List.of());
    return new PitcrewService.Parts(
        List.of(forge),
        Optional.of(new RetryPipeline(forge, hook)),
        Optional.of(policy(decision)),
        List.of(new TableNotifier(forge)),
        new Diagnoser(new RuleEngine(playbooks.catalog()), List.of()),
        playbooks.catalog(),
        Clock.systemUTC());
  }
}
