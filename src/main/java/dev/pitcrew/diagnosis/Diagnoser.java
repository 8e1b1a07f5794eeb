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

  public Diagnosis diagnose(LogSource log, Optional<LogSource> previousSuccess) {
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
    return diagnose(log, prev, notes);
  }

  public Diagnosis diagnose(
      LogSource log, Optional<RuleEngine.LongSetHandle> prev, List<String> notes) {
    ScanResult scan;
    try {
      scan = rules.scan(log, prev);
    } catch (IOException | RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Diagnosis.unreadable(log.name(), msg).withNotes(notes);
    }
    Diagnosis verdict = rules.decide(scan);
    for (Analyzer a : analyzers) {
      Optional<Diagnosis> other = a.analyze(log, scan, verdict, prev.isPresent());
      if (other.isPresent()) {
        verdict = other.get();
      }
    }
    return notes.isEmpty() ? verdict : verdict.withNotes(notes);
  }
}
