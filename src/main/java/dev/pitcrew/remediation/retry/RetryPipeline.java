package dev.pitcrew.remediation.retry;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.remediation.Action;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code retry_pipeline}: re-runs the failed jobs after a backoff (1, 2, 4 minutes), at most three
 * times per pipeline, and never for a code defect, which a retry cannot fix. After the last attempt
 * an infrastructure failure becomes an {@link Escalate} plan for its owners.
 */
public final class RetryPipeline implements Action {
  public static final String NAME = "retry_pipeline";
  private final Backoff backoff;

  public RetryPipeline(Backoff backoff) {
    this.backoff = backoff;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files) {
    if (!d.category().fixable()) {
      return Optional.empty();
    }
    int attempt = ctx.attempt();
    if (backoff.exhausted(attempt)) {
      if (d.category() == Category.INFRASTRUCTURE) {
        return Optional.of(Escalate.plan(d, ctx, backoff.maxAttempts()));
      }
      return Optional.of(
          Plans.suggestion(
              d,
              "The pipeline failed "
                  + backoff.maxAttempts()
                  + " times after re-runs; a person needs to look at: "
                  + d.rootCause(),
              Map.of("attempt", String.valueOf(attempt))));
    }
    long minutes = backoff.before(attempt).toMinutes();
    Map<String, String> params = new LinkedHashMap<>(d.remediationParams());
    params.put("attempt", String.valueOf(attempt));
    params.put("backoff_seconds", String.valueOf(backoff.before(attempt).toSeconds()));
    RunRef ref = ctx.run().ref();
    return Optional.of(
        new Plan(
            NAME,
            RiskLevel.LOW,
            "Re-run the failed jobs of run "
                + ref.runId()
                + " after "
                + minutes
                + " minute"
                + (minutes == 1 ? "" : "s")
                + " (attempt "
                + attempt
                + " of "
                + backoff.maxAttempts()
                + "): "
                + d.rootCause(),
            List.of(),
            List.of(
                "wait " + backoff.before(attempt).toSeconds() + " s",
                "re-run the failed jobs of run "
                    + ref.runId()
                    + " (attempt "
                    + ref.attempt()
                    + ")"),
            params));
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    Run current = ctx.forge().run(ctx.run().ref());
    if ("running".equals(current.outcome())) {
      return Plans.nothing("run " + current.ref().runId() + " is already running again");
    }
    RunRef next = ctx.forge().rerunFailedJobs(ctx.run().ref());
    return new Outcome(
        Outcome.Status.APPLIED,
        "re-ran the failed jobs of run " + next.runId() + " (attempt " + next.attempt() + ")",
        Optional.of(next),
        Optional.empty());
  }
}
