package dev.pitcrew.remediation.testtiming;

import java.util.List;

/**
 * How often each test of a repository fails intermittently: the share of its observed runs that
 * failed, over its most recent runs. Observations are keyed by run, so recording the same run twice
 * (a step retried after a crash) counts once. The service persists this ({@code
 * store.TestFlakiness}); {@link InMemoryFlakinessTracker} serves the CLI and tests.
 */
public interface FlakinessTracker {
  /**
   * Records one run of a test; a second record for the same repository, test and run is ignored.
   *
   * @param repository the repository's key ({@link TestHistory#repositoryKey})
   * @param testId {@code Class.method}, {@code file::test}, ... as the report or log names it
   * @param runKey the run attempt the observation comes from ({@code RunRef.key()})
   */
  void record(String repository, String testId, String runKey, boolean passed);

  /** The test's recent history (at most the tracker's window of runs). */
  Flakiness flakiness(String repository, String testId);

  /** The tests recorded as failed in a run, in no particular order. */
  List<String> failedIn(String repository, String runKey);

  /** Observed runs and how many of them failed. */
  record Flakiness(int runs, int failures) {
    public static final Flakiness NONE = new Flakiness(0, 0);

    /** Failed runs / all runs; 0 when the test was never seen. */
    public double rate() {
      return runs == 0 ? 0.0 : (double) failures / runs;
    }
  }
}
