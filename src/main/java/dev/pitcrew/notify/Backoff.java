package dev.pitcrew.notify;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how patiently the fan-out retries one sink: exponential from {@code initial}, at
 * most {@code max} per wait, with full jitter so many replicas do not retry in step. A receiver's
 * {@code Retry-After} wins when it is longer, up to {@code max}.
 *
 * @param attempts total tries per sink, at least 1
 */
public record Backoff(int attempts, Duration initial, Duration max) {
  public Backoff {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + ", " + max);
    }
  }

  /** Three tries, 1 s then 2 s (each jittered), never more than 30 s. */
  public static Backoff standard() {
    return new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /**
   * The wait before try {@code next} (2 for the first retry).
   *
   * @param random a value in [0, 1) for jitter
   */
  public Duration before(int next, java.util.Optional<Duration> retryAfter, DoubleSupplier random) {
    long cap = initial.toMillis() << Math.min(20, Math.max(0, next - 2));
    long ceiling = Math.min(max.toMillis(), cap);
    // at least half the step, so a jitter draw of 0 still backs off
    long wait = ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2));
    if (retryAfter.isPresent()) {
      wait = Math.max(wait, Math.min(max.toMillis(), retryAfter.get().toMillis()));
    }
    return Duration.ofMillis(wait);
  }
}
