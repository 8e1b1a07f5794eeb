package dev.pitcrew.remediation.testtiming;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.logs.LineCleaner;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.retry.RetryPipeline;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the remedy for a failed test by how flaky it has been in this repository: below 0.3 a
 * re-run; from 0.3 a pull request raising that test's timeout (a re-run if no timeout can be
 * found); above 0.5 only a message that the test needs fixing, since more retries or time would
 * hide a real problem. A test with fewer observed runs than the minimum is re-run: a rate from two
 * runs decides nothing.
 */
public final class FlakyTests {
  public static final double RETRY_BELOW = 0.3;
  public static final double TELL_ABOVE = 0.5;

  private final FlakinessTracker tracker;
  private final RetryPipeline retry;
  private final int minObservations;
  private final IncreaseTestTimeout timeout = new IncreaseTestTimeout();

  public FlakyTests(FlakinessTracker tracker, RetryPipeline retry) {
    this(tracker, retry, TestHistory.DEFAULT_MIN_OBSERVATIONS);
  }

  /** Rates decide only once a test has at least {@code minObservations} observed runs. */
  public FlakyTests(FlakinessTracker tracker, RetryPipeline retry, int minObservations) {
    if (minObservations < 1) {
      throw new IllegalArgumentException(
          "the minimum number of observations must be at least 1, got " + minObservations);
    }
    this.tracker = tracker;
    this.retry = retry;
    this.minObservations = minObservations;
  }

  /** The same routing over another history (the service's database). */
  public FlakyTests withTracker(FlakinessTracker other) {
    return new FlakyTests(other, retry, minObservations);
  }

  public boolean handles(Diagnosis d) {
    return d.category() == Category.TEST;
  }

  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files)
      throws IOException {
    List<String> tests =
        d.remediationParams().containsKey("test")
            ? List.of(d.remediationParams().get("test"))
            : TestRuns.failedInLog(
                d.evidence().stream().map(e -> LineCleaner.clean(e.text())).toList());
    String repo = TestHistory.repositoryKey(ctx.repo());
    String worst = null;
    double rate = 0;
    for (String t : tests) {
      FlakinessTracker.Flakiness f = tracker.flakiness(repo, t);
      if (f.runs() < minObservations) {
        continue; // too little history to judge this test
      }
      if (worst == null || f.rate() > rate) {
        worst = t;
        rate = f.rate();
      }
    }
    if (worst == null || rate < RETRY_BELOW) {
      return retry.plan(d, ctx, files);
    }
    String pct = String.format("%.0f%%", rate * 100);
    if (rate > TELL_ABOVE) {
      return Optional.of(
          Plans.suggestion(
              d,
              "The test "
                  + worst
                  + " fails "
                  + pct
                  + " of its runs: it needs fixing (or quarantining) by its owners; re-running"
                  + " or a longer timeout would only hide it",
              Map.of("test", worst, "flakiness", String.format("%.2f", rate))));
    }
    Map<String, String> params = new HashMap<>(d.remediationParams());
    params.put("test", worst);
    params.put("flakiness", String.format("%.2f", rate));
    Diagnosis withTest =
        new Diagnosis(
            d.file(),
            d.category(),
            d.rootCause(),
            d.confidence(),
            d.riskLevel(),
            IncreaseTestTimeout.NAME,
            params,
            d.playbookId(),
            d.analyzer(),
            d.evidence(),
            d.explanation() + " The test " + worst + " failed " + pct + " of its recent runs.",
            d.error(),
            d.notes());
    Optional<Plan> p = timeout.plan(withTest, ctx, files);
    return p.isPresent() ? p : retry.plan(d, ctx, files);
  }
}
