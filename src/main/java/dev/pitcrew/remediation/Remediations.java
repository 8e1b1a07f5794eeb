package dev.pitcrew.remediation;

import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.remediation.config.FixConfigValue;
import dev.pitcrew.remediation.config.SafeDefaults;
import dev.pitcrew.remediation.config.SetCiVariable;
import dev.pitcrew.remediation.dependency.AddDependency;
import dev.pitcrew.remediation.dependency.BumpDependency;
import dev.pitcrew.remediation.dependency.ResolveVersionConflict;
import dev.pitcrew.remediation.dependency.SupplyChainGuard;
import dev.pitcrew.remediation.resource.FreeDisk;
import dev.pitcrew.remediation.resource.IncreaseJobTimeout;
import dev.pitcrew.remediation.resource.IncreaseJvmHeap;
import dev.pitcrew.remediation.resource.IncreaseMemory;
import dev.pitcrew.remediation.resource.IncreaseNodeHeap;
import dev.pitcrew.remediation.retry.Backoff;
import dev.pitcrew.remediation.retry.Escalate;
import dev.pitcrew.remediation.retry.RetryPipeline;
import dev.pitcrew.remediation.testtiming.FlakinessTracker;
import dev.pitcrew.remediation.testtiming.FlakyTests;
import dev.pitcrew.remediation.testtiming.InMemoryFlakinessTracker;
import dev.pitcrew.remediation.testtiming.IncreaseTestTimeout;
import dev.pitcrew.remediation.testtiming.TestHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the registry of every shipped action from the configuration: the layered settings
 * (environment, then {@code .env}, then {@code pitcrew.yml}) that {@link PitcrewConfig} merges.
 */
public final class Remediations {
  private Remediations() {}

  /** The shipped actions, configured from exactly these {@code PITCREW_*} settings. */
  public static RemediationRegistry standard(Map<String, String> env) {
    return standard(PitcrewConfig.of(env));
  }

  /** The shipped actions, configured from the merged settings; flakiness kept in memory. */
  public static RemediationRegistry standard(PitcrewConfig config) {
    return standard(
        config,
        new InMemoryFlakinessTracker(
            config.integer("PITCREW_FLAKY_WINDOW", TestHistory.DEFAULT_WINDOW)));
  }

  /** The shipped actions, with test failures routed by the given flakiness history. */
  public static RemediationRegistry standard(PitcrewConfig config, FlakinessTracker tracker) {
    Map<String, String> env = new HashMap<>();
    for (String k :
        List.of("PITCREW_PACKAGE_ALLOWLIST", "PITCREW_SAFE_DEFAULTS", "PITCREW_RUNNER_LADDER")) {
      config.get(k).ifPresent(v -> env.put(k, v));
    }
    int minRuns = config.integer("PITCREW_FLAKY_MIN_RUNS", TestHistory.DEFAULT_MIN_OBSERVATIONS);
    if (minRuns < 1) {
      throw new IllegalArgumentException(
          "PITCREW_FLAKY_MIN_RUNS=" + minRuns + " must be at least 1 observed run");
    }
    List<Action> actions = new ArrayList<>();
    RetryPipeline retry = new RetryPipeline(Backoff.DEFAULT);
    actions.add(retry);
    actions.add(new IncreaseTestTimeout());
    actions.add(new Escalate());
    actions.add(new AddDependency(SupplyChainGuard.fromEnv(env.get("PITCREW_PACKAGE_ALLOWLIST"))));
    actions.add(new BumpDependency());
    actions.add(new ResolveVersionConflict());
    actions.add(new FixConfigValue());
    actions.add(new SetCiVariable(SafeDefaults.fromEnv(env.get("PITCREW_SAFE_DEFAULTS"))));
    actions.add(new IncreaseJobTimeout());
    actions.add(new IncreaseNodeHeap());
    actions.add(new IncreaseJvmHeap());
    actions.add(IncreaseMemory.fromEnv(env.get("PITCREW_RUNNER_LADDER")));
    actions.add(new FreeDisk());
    return new RemediationRegistry(actions, Optional.of(new FlakyTests(tracker, retry, minRuns)));
  }
}
