package dev.pitcrew.diagnosis;

import dev.pitcrew.diagnosis.rules.ScanResult;
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
}
