package dev.pitcrew.remediation.retry;

import java.time.Duration;

/**
 * How long the caller waits before re-running: 1, 2, 4 minutes for attempts 1, 2, 3 (doubling from
 * a configurable base). Computed here, waited for by the incident workflow's scheduler.
 */
public record Backoff(Duration base, int maxAttempts) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofMinutes(1), 3);

  public Backoff {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("backoff base must be positive, got " + base);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("at least one attempt is needed, got " + maxAttempts);
    }
  }

  /** The wait before the given attempt (1-based). */
  public Duration before(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    return base.multipliedBy(1L << Math.min(attempt - 1, 20));
  }

  public boolean exhausted(int attempt) {
    return attempt > maxAttempts;
  }
}
