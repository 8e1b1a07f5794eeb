package dev.pitcrew.remediation.testtiming;

/**
 * How often each test fails intermittently: the share of its observed runs that failed, where a
 * failure followed by a passing retry counts as one of each. The service persists this; {@link
 * InMemoryFlakinessTracker} serves the CLI and tests.
 */
public interface FlakinessTracker {
  /** Records one run of a test. */
  void record(String testId, boolean passed);

  /** Failed runs / all runs, 0 when the test was never seen. */
  double rate(String testId);
}
