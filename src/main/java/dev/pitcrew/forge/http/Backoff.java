package dev.pitcrew.forge.http;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with full jitter (AWS architecture blog): a random wait between zero and
 * {@code min(max, base * 2^attempt)}, so that many clients retrying together spread out.
 */
public final class Backoff {
  private final Duration base;
  private final Duration max;
  private final DoubleSupplier random;

  public Backoff(Duration base, Duration max, DoubleSupplier random) {
    this.base = base;
    this.max = max;
    this.random = random;
  }

  /** The wait before retry number {@code retry} (0 for the first retry). */
  public Duration delay(int retry) {
    long ceiling = ceiling(retry).toMillis();
    return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
  }

  /** The largest wait {@link #delay} can return for this retry. */
  public Duration ceiling(int retry) {
    int shift = Math.min(Math.max(retry, 0), 30);
    long ms = base.toMillis() << shift;
    if (ms < 0 || ms > max.toMillis()) {
      ms = max.toMillis();
    }
    return Duration.ofMillis(ms);
  }
}
