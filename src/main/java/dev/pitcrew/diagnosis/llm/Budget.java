package dev.pitcrew.diagnosis.llm;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Caps what the model may cost: calls in this run (one CLI invocation or service lifetime) and
 * tokens per UTC day. A flood of failures then degrades to rules-only instead of to a large bill.
 */
final class Budget {
  private final int maxCalls;
  private final long maxTokensPerDay;
  private final Clock clock;
  private int calls;
  private LocalDate day;
  private long tokensToday;

  Budget(int maxCalls, long maxTokensPerDay, Clock clock) {
    this.maxCalls = maxCalls;
    this.maxTokensPerDay = maxTokensPerDay;
    this.clock = clock;
  }

  /** Reserves one call of up to {@code tokens}; empty when allowed, else why not. */
  synchronized java.util.Optional<String> reserve(long tokens) {
    roll();
    if (calls >= maxCalls) {
      return java.util.Optional.of("the per-run budget of " + maxCalls + " model calls is spent");
    }
    if (tokensToday + tokens > maxTokensPerDay) {
      return java.util.Optional.of(
          "the daily budget of " + maxTokensPerDay + " tokens would be exceeded");
    }
    calls++;
    tokensToday += tokens;
    return java.util.Optional.empty();
  }

  /** Replaces a reservation's estimate with what the call really used. */
  synchronized void settle(long reserved, long used) {
    roll();
    tokensToday = Math.max(0, tokensToday - reserved + used);
  }

  synchronized int calls() {
    return calls;
  }

  synchronized long tokensToday() {
    roll();
    return tokensToday;
  }

  private void roll() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    if (!today.equals(day)) {
      day = today;
      tokensToday = 0;
    }
  }
}
