package dev.pitcrew.remediation.config;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
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
 * {@code set_ci_variable}: sets a missing CI variable when the table of {@link SafeDefaults} knows
 * its value, and only when it is still unset, so the rollback is simply deleting it. Any other
 * variable (a URL, a secret, NODE_OPTIONS) becomes a request to a person: the log cannot tell what
 * its value should be.
 */
public final class SetCiVariable implements Action {
  public static final String NAME = "set_ci_variable";
  private final SafeDefaults defaults;

  public SetCiVariable(SafeDefaults defaults) {
    this.defaults = defaults;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files) {
    String var = d.remediationParams().getOrDefault("name", d.remediationParams().get("variable"));
    if (var == null || !var.matches("[A-Z_][A-Z0-9_]{0,63}")) {
      return Optional.of(
          Plans.suggestion(d, "the diagnosis names no valid CI variable to set", Map.of()));
    }
    Optional<String> value = defaults.valueOf(var);
    if (value.isEmpty()) {
      return Optional.of(
          Plans.suggestion(
              d,
              "The job needs the CI variable "
                  + var
                  + ", which has no safe default; a person sets it (as a masked secret if it is"
                  + " one) in the project's CI settings",
              Map.of("name", var)));
    }
    String current;
    try {
      current = ctx.forge().variable(ctx.repo(), var).isPresent() ? "set" : "unset";
    } catch (IOException e) {
      current = "unknown";
    }
    if (current.equals("set")) {
      return Optional.of(
          Plans.suggestion(
              d,
              var
                  + " is already set for the repository but the job did not see it; check its"
                  + " scope (protected branches, environments)",
              Map.of("name", var)));
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("name", var);
    params.put("value", value.get());
    params.put("previous", current);
    return Optional.of(
        new Plan(
            NAME,
            RiskLevel.LOW,
            "Set the CI variable " + var + "=" + value.get() + " (a safe default)",
            List.of(),
            List.of(
                "set CI variable "
                    + var
                    + "="
                    + value.get()
                    + " unless it is set (currently "
                    + current
                    + "; rollback: delete it)"),
            params));
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    String var = plan.params().get("name");
    String value = plan.params().get("value");
    if (defaults.valueOf(var).filter(value::equals).isEmpty()) {
      return Plans.failed(var + "=" + value + " is not in the table of safe defaults any more");
    }
    Optional<String> existing = ctx.forge().variable(ctx.repo(), var);
    if (existing.isPresent() && !existing.get().equals(value)) {
      return Plans.nothing(var + " is already set; Pitcrew does not overwrite it");
    }
    String detail;
    if (existing.isPresent()) {
      // An earlier attempt set it; re-run only if no re-run of this run is under way already.
      if ("running".equals(ctx.forge().run(ctx.run().ref()).outcome())) {
        return Plans.nothing(
            var
                + "="
                + value
                + " is already set and run "
                + ctx.run().ref().runId()
                + " is already running again");
      }
      detail = var + "=" + value + " was already set";
    } else {
      Optional<String> previous = ctx.forge().setVariable(ctx.repo(), var, value);
      detail =
          "set "
              + var
              + "="
              + value
              + (previous.isEmpty()
                  ? "; it was unset, so the rollback is deleting it"
                  : "; a concurrent value was replaced and recorded for rollback");
    }
    // A variable only takes effect in a new run: re-run the failed jobs so the fix is verified.
    RunRef next = ctx.forge().rerunFailedJobs(ctx.run().ref());
    return new Outcome(
        Outcome.Status.APPLIED,
        detail
            + "; re-ran the failed jobs of run "
            + next.runId()
            + " (attempt "
            + next.attempt()
            + ")",
        Optional.of(next),
        Optional.empty());
  }
}
