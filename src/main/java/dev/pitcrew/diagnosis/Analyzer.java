package dev.pitcrew.diagnosis;

import dev.pitcrew.diagnosis.rules.ScanResult;
import dev.pitcrew.logs.LogSource;
import java.util.Optional;

/**
 * A second opinion on a log after the rules have spoken, such as a language model. It sees the
 * bounded scan (error regions with line numbers), never the raw log, and returns a diagnosis only
 * when it has one; the {@link Diagnoser} decides how to combine it with the rules' verdict.
 */
public interface Analyzer {
  /** A short name for the {@code analyzer} field, such as {@code llm}. */
  String name();

  Optional<Diagnosis> analyze(ScanResult scan, Diagnosis rulesVerdict);

  /**
   * The same, with the log itself at hand, for analyzers that re-read lines around the scan's
   * regions (context for a prompt, checking cited evidence). The log may not be readable twice
   * (standard input); such analyzers then fall back to the scan's lines.
   *
   * @param previousSuccessGiven whether the scan left out lines found in a passing run
   */
  default Optional<Diagnosis> analyze(
      LogSource log, ScanResult scan, Diagnosis rulesVerdict, boolean previousSuccessGiven) {
    return analyze(scan, rulesVerdict);
  }

  /**
   * The same, knowing what the log belongs to (repository, incident, pipeline file). By default the
   * subject is not used.
   */
  default Optional<Diagnosis> analyze(
      LogSource log,
      ScanResult scan,
      Diagnosis rulesVerdict,
      boolean previousSuccessGiven,
      Subject subject) {
    return analyze(log, scan, rulesVerdict, previousSuccessGiven);
  }
}
