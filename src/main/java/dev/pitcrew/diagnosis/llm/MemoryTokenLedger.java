package dev.pitcrew.diagnosis.llm;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The daily budgets kept in memory, for one command-line run (and for tests): the same rules as the
 * database ledger, without sharing across processes.
 */
public final class MemoryTokenLedger implements TokenLedger {
  private final TokenLimits limits;
  private final Clock clock;
  private final Map<String, Long> perRepository = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private LocalDate day;
  private long today;

  public MemoryTokenLedger(TokenLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public synchronized Optional<String> reserve(Optional<String> repository, long tokens) {
    roll();
    Optional<String> no =
        limits.refusal(
            today,
            tokens,
            repository,
            repository.map(r -> perRepository.getOrDefault(r, 0L)).orElse(0L));
    if (no.isPresent()) {
      return no;
    }
    today += tokens;
    repository.ifPresent(r -> perRepository.merge(r, tokens, Long::sum));
    return Optional.empty();
  }

  @Override
  public synchronized void settle(Optional<String> repository, long reserved, long used) {
    roll();
    today = Math.max(0, today - reserved + used);
    repository.ifPresent(
        r ->
            perRepository.put(r, Math.max(0, perRepository.getOrDefault(r, 0L) - reserved + used)));
  }

  @Override
  public synchronized void record(Call call) {
    calls.add(call);
  }

  /** Tokens counted today, all repositories. */
  public synchronized long tokensToday() {
    roll();
    return today;
  }

  /** Tokens counted today for one repository. */
  public synchronized long tokensToday(String repository) {
    roll();
    return perRepository.getOrDefault(repository, 0L);
  }

  /** The consultations recorded so far. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  private void roll() {
    LocalDate d = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    if (!d.equals(day)) {
      day = d;
      today = 0;
      perRepository.clear();
    }
  }
}
