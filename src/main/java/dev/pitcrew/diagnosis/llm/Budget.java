package dev.pitcrew.diagnosis.llm;

/**
 * Caps the model calls in this run (one CLI invocation or service lifetime), so that a flood of
 * failures degrades to rules-only instead of to a large bill. The daily token budgets, global and
 * per repository, are the {@link TokenLedger}'s.
 */
final class Budget {
  private final int maxCalls;
  private int calls;

  Budget(int maxCalls) {
    this.maxCalls = maxCalls;
  }

  /** Takes one call; empty when allowed, else why not. */
  synchronized java.util.Optional<String> reserve() {
    if (calls >= maxCalls) {
      return java.util.Optional.of("the per-run budget of " + maxCalls + " model calls is spent");
    }
    calls++;
    return java.util.Optional.empty();
  }

  /** Gives back a call that was not made after all (a token budget refused it). */
  synchronized void release() {
    calls = Math.max(0, calls - 1);
  }

  synchronized int calls() {
    return calls;
  }
}
