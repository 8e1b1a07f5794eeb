package dev.pitcrew.remediation;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.remediation.testtiming.FlakyTests;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Remediation} seam as a registry of named {@link Action}s: the diagnosis's strategy
 * (the playbook's step name) picks the action. A strategy that no action implements becomes a
 * suggestion for a person rather than a guess.
 */
public final class RemediationRegistry implements Remediation {
  private final Map<String, Action> actions = new LinkedHashMap<>();

  private final Optional<FlakyTests> flaky;
  private final Optional<dev.pitcrew.remediation.change.Reproduction> reproduction;

  public RemediationRegistry(List<Action> actions) {
    this(actions, Optional.empty());
  }

  /** With {@code flaky}, test failures are routed by how flaky the test has been. */
  public RemediationRegistry(List<Action> actions, Optional<FlakyTests> flaky) {
    this(actions, flaky, Optional.empty());
  }

  /**
   * With {@code reproduction}, a fix delivered as a pull request first re-runs the failing step in
   * a scratch checkout of its branch and reports the result in the pull request.
   */
  public RemediationRegistry(
      List<Action> actions,
      Optional<FlakyTests> flaky,
      Optional<dev.pitcrew.remediation.change.Reproduction> reproduction) {
    this.flaky = flaky;
    this.reproduction = reproduction;
    for (Action a : actions) {
      if (this.actions.putIfAbsent(a.name(), a) != null) {
        throw new IllegalArgumentException("two actions are named '" + a.name() + "'");
      }
    }
  }

  @Override
  public RemediationRegistry withFlakiness(
      dev.pitcrew.remediation.testtiming.FlakinessTracker tracker) {
    return new RemediationRegistry(
        List.copyOf(actions.values()), flaky.map(f -> f.withTracker(tracker)), reproduction);
  }

  public Set<String> names() {
    return actions.keySet();
  }

  public Optional<Action> action(String name) {
    return Optional.ofNullable(actions.get(name));
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx) throws IOException {
    return plan(d, ctx, RepoFiles.of(ctx));
  }

  /** Plans against the given files (a checkout, or the forge at the failed commit). */
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files)
      throws IOException {
    String strategy = d.remediationStrategy();
    if (!d.category().fixable() || strategy == null || "none".equals(strategy)) {
      return Optional.empty();
    }
    if (flaky.isPresent() && flaky.get().handles(d) && "retry_pipeline".equals(strategy)) {
      return flaky.get().plan(d, ctx, files);
    }
    Action a = actions.get(strategy);
    if (a == null) {
      return Optional.of(
          Plans.suggestion(
              d,
              "The playbook suggests '"
                  + strategy
                  + "', which Pitcrew does not apply automatically: "
                  + d.rootCause()
                  + (d.remediationParams().isEmpty() ? "" : " " + d.remediationParams()),
              Map.of("strategy", strategy)));
    }
    return a.plan(d, ctx, files);
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    if (Plans.SUGGESTION.equals(plan.action())) {
      return Plans.nothing(plan.summary());
    }
    Action a = actions.get(plan.action());
    if (a == null) {
      return Plans.failed("no action named '" + plan.action() + "' is registered");
    }
    return a.apply(plan, ctx.withReproduction(reproduction));
  }
}
