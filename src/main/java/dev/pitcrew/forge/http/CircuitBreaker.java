package dev.pitcrew.forge.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One per forge: after {@code threshold} consecutive failures the forge is left alone for a
 * cool-down, then one trial call decides whether to close again. Stops a storm of 502s from turning
 * every incident into minutes of retries.
 */
public final class CircuitBreaker {
  /** The breaker's state, for health reports. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int threshold;
  private final Duration cooldown;
  private final Clock clock;
  private int failures;
  private Instant openedAt;
  private boolean trialInFlight;

  public CircuitBreaker(int threshold, Duration cooldown, Clock clock) {
    this.threshold = threshold;
    this.cooldown = cooldown;
    this.clock = clock;
  }

  /** Whether a call may go out now; in half-open state only one trial at a time. */
  public synchronized boolean allow() {
    if (openedAt == null) {
      return true;
    }
    if (clock.instant().isBefore(openedAt.plus(cooldown))) {
      return false;
    }
    if (trialInFlight) {
      return false;
    }
    trialInFlight = true;
    return true;
  }

  public synchronized void success() {
    failures = 0;
    openedAt = null;
    trialInFlight = false;
  }

  public synchronized void failure() {
    trialInFlight = false;
    failures++;
    if (openedAt != null || failures >= threshold) {
      openedAt = clock.instant();
    }
  }

  public synchronized State state() {
    if (openedAt == null) {
      return State.CLOSED;
    }
    return clock.instant().isBefore(openedAt.plus(cooldown)) ? State.OPEN : State.HALF_OPEN;
  }

  /** When an open breaker lets a trial through. */
  public synchronized Instant retryAt() {
    return openedAt == null ? clock.instant() : openedAt.plus(cooldown);
  }
}
