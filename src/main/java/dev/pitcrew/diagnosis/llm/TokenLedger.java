package dev.pitcrew.diagnosis.llm;

import java.time.Instant;
import java.util.Optional;

/**
 * Where model tokens are counted against the daily budgets, global and per repository, and where
 * each consultation's tokens and estimated cost are recorded for stats. The service keeps it in its
 * database, so restarts and replicas share one budget; the command line keeps it in memory.
 */
public interface TokenLedger {
  /**
   * Reserves up to {@code tokens} for one call on today's (UTC) budgets: the global one and, when
   * the repository is known, that repository's. Empty when granted, else why not.
   */
  Optional<String> reserve(Optional<String> repository, long tokens);

  /** Replaces a reservation's estimate with what the call really used (0 when it failed). */
  void settle(Optional<String> repository, long reserved, long used);

  /** Records one consultation of the model (or one answer served from the cache). */
  void record(Call call);

  /**
   * One consultation.
   *
   * @param outcome {@code called} (the model answered), {@code cached} (the answer for the same
   *     failure fingerprint was reused), {@code failed} (no answer), {@code refused} (over budget)
   * @param costUsd the estimated cost from the configured price table; 0 for a cached answer
   */
  record Call(
      Instant at,
      Optional<String> repository,
      Optional<String> incidentId,
      String model,
      String outcome,
      long inputTokens,
      long outputTokens,
      double costUsd) {
    public static final String CALLED = "called";
    public static final String CACHED = "cached";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";
  }
}
