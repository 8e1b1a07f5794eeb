package dev.pitcrew.remediation.retry;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Action;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code escalate}: after the last re-run failed, open (once) an incident issue for the people who
 * own the infrastructure, with the evidence. Planned by {@link RetryPipeline}.
 */
public final class Escalate implements Action {
  public static final String NAME = "escalate";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files) {
    return Optional.of(plan(d, ctx, ctx.attempt() - 1));
  }

  static Plan plan(Diagnosis d, RemediationContext ctx, int failedAttempts) {
    String title =
        "pitcrew: "
            + d.category().wire()
            + " failure persists after "
            + failedAttempts
            + " re-runs";
    StringBuilder body = new StringBuilder();
    body.append(d.rootCause()).append(".\n\n");
    body.append("Pipeline: ").append(ctx.run().url()).append("\n\n");
    for (Evidence e : d.evidence()) {
      body.append("- line ").append(e.line()).append(": `").append(e.text().replace('`', '\''));
      body.append("`\n");
    }
    body.append("\nPitcrew re-ran the failed jobs ")
        .append(failedAttempts)
        .append(" times with backoff and stopped; the infrastructure owners need to look.\n");
    Map<String, String> params = new LinkedHashMap<>();
    params.put("title", title);
    params.put("body", body.toString());
    params.put("labels", "pitcrew,infrastructure");
    return new Plan(
        NAME,
        RiskLevel.LOW,
        "Escalate to the infrastructure owners: the failure persists after "
            + failedAttempts
            + " re-runs",
        List.of(),
        List.of("open an incident issue \"" + title + "\" unless one is open"),
        params);
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    String url =
        ctx.forge()
            .ensureIssue(
                ctx.repo(),
                plan.params().get("title"),
                plan.params().get("body"),
                List.of(plan.params().getOrDefault("labels", "pitcrew").split(",")));
    return new Outcome(
        Outcome.Status.APPLIED, "escalated in " + url, Optional.empty(), Optional.empty());
  }
}
