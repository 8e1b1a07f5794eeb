package dev.pitcrew.diagnosis.llm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Retries transient failures (429, 5xx, 529, timeouts) with exponential backoff, and stops calling
 * for a while after repeated failures (a circuit breaker), so an outage costs one timeout per
 * cool-down rather than one per log.
 */
final class ResilientClient implements ModelClient {
  /** How the client waits between attempts; tests pass one that does not sleep. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  static final int OPEN_AFTER = 3;

  private final ModelClient inner;
  private final int retries;
  private final Duration backoff;
  private final Duration coolDown;
  private final Clock clock;
  private final Sleeper sleeper;
  private int consecutiveFailures;
  private Instant openUntil = Instant.MIN;

  ResilientClient(
      ModelClient inner,
      int retries,
      Duration backoff,
      Duration coolDown,
      Clock clock,
      Sleeper sleeper) {
    this.inner = inner;
    this.retries = retries;
    this.backoff = backoff;
    this.coolDown = coolDown;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  @Override
  public String describe() {
    return inner.describe();
  }

  @Override
  public Reply complete(Prompt prompt) throws ModelException {
    synchronized (this) {
      if (clock.instant().isBefore(openUntil)) {
        throw new ModelException(
            "the model was not called: it failed "
                + OPEN_AFTER
                + " times in a row and is rested until "
                + openUntil,
            0,
            false,
            null);
      }
    }
    ModelException last = null;
    for (int attempt = 0; attempt <= retries; attempt++) {
      try {
        Reply r = inner.complete(prompt);
        synchronized (this) {
          consecutiveFailures = 0;
        }
        return r;
      } catch (ModelException e) {
        last = e;
        if (!e.retryable() || attempt == retries) {
          break;
        }
        try {
          sleeper.sleep(backoff.multipliedBy(1L << attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    synchronized (this) {
      if (++consecutiveFailures >= OPEN_AFTER) {
        openUntil = clock.instant().plus(coolDown);
      }
    }
    throw last;
  }
}
