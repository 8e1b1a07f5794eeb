package dev.pitcrew.remediation.testtiming;

import java.util.concurrent.ConcurrentHashMap;

/** A {@link FlakinessTracker} in memory: for one process's lifetime (CLI, tests). */
public final class InMemoryFlakinessTracker implements FlakinessTracker {
  private final ConcurrentHashMap<String, long[]> counts = new ConcurrentHashMap<>();

  @Override
  public void record(String testId, boolean passed) {
    counts.compute(
        testId,
        (k, v) -> {
          long[] c = v == null ? new long[2] : v;
          c[passed ? 0 : 1]++;
          return c;
        });
  }

  @Override
  public double rate(String testId) {
    long[] c = counts.get(testId);
    if (c == null) {
      return 0.0;
    }
    synchronized (c) {
      long total = c[0] + c[1];
      return total == 0 ? 0.0 : (double) c[1] / total;
    }
  }
}
