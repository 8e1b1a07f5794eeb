package dev.pitcrew.diagnosis;

import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.diagnosis.rules.ScanResult;
import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Diagnoses logs: the rules first, then the optional analyzers (the LLM) for what the rules could
 * not explain. Never throws for a bad log: an unreadable one yields an {@code unknown} record.
 */
public final class Diagnoser {
  private final RuleEngine rules;
  private final List<Analyzer> analyzers;

  public Diagnoser(RuleEngine rules, List<Analyzer> analyzers) {
    this.rules = rules;
    this.analyzers = List.copyOf(analyzers);
  }

  public RuleEngine rules() {
    return rules;
  }

  /** The second-opinion analyzers, in the order they are consulted. */
  public List<Analyzer> analyzers() {
    return analyzers;
  }

  /**
   * The same rules with each analyzer replaced by what {@code f} makes of it: how the service gives
   * the model analyzer its database-backed token ledger once the database is open.
   */
  public Diagnoser mapAnalyzers(java.util.function.UnaryOperator<Analyzer> f) {
    return new Diagnoser(rules, analyzers.stream().map(f).toList());
  }

  public Diagnosis diagnose(LogSource log, Optional<LogSource> previousSuccess) {
    return diagnose(log, previousSuccess, Subject.NONE);
  }

  /** The same, knowing what the log belongs to; see {@link Subject}. */
  public Diagnosis diagnose(LogSource log, Optional<LogSource> previousSuccess, Subject subject) {
    List<String> notes = new ArrayList<>();
    Optional<RuleEngine.LongSetHandle> prev = Optional.empty();
    if (previousSuccess.isPresent()) {
      try {
        prev = Optional.of(RuleEngine.fingerprints(previousSuccess.get()));
      } catch (IOException | RuntimeException e) {
        notes.add(
            "the previous successful log could not be read (" + e.getMessage() + "); ignored");
      }
    }
    return diagnose(log, prev, notes, subject);
  }

  public Diagnosis diagnose(
      LogSource log, Optional<RuleEngine.LongSetHandle> prev, List<String> notes) {
    return diagnose(log, prev, notes, Subject.NONE);
  }

  public Diagnosis diagnose(
      LogSource log, Optional<RuleEngine.LongSetHandle> prev, List<String> notes, Subject subject) {
    ScanResult scan;
    try {
      scan = rules.scan(log, prev);
    } catch (IOException | RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Diagnosis.unreadable(log.name(), msg).withNotes(notes);
    }
    Diagnosis verdict = rules.decide(scan);
    for (Analyzer a : analyzers) {
      Optional<Diagnosis> other = a.analyze(log, scan, verdict, prev.isPresent(), subject);
      if (other.isPresent()) {
        verdict = other.get();
      }
    }
    return notes.isEmpty() ? verdict : verdict.withNotes(notes);
  }
}
