package dev.pitcrew.diagnosis;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a detector concluded about one failed log. Field names follow the diagnosis JSON of
 * docs/contracts.md; {@code evidence.get(0)} is the line that best shows the root cause.
 */
public record Diagnosis(
    String file,
    Category category,
    String rootCause,
    double confidence,
    RiskLevel riskLevel,
    String remediationStrategy,
    Map<String, String> remediationParams,
    Optional<String> playbookId,
    String analyzer,
    List<Evidence> evidence,
    String explanation,
    Optional<String> error,
    List<String> notes) {

  public Diagnosis {
    remediationParams = Map.copyOf(remediationParams);
    evidence = List.copyOf(evidence);
    notes = List.copyOf(notes);
  }

  /** A log we could not read still gets a record: unknown, with the reason. */
  public static Diagnosis unreadable(String file, String error) {
    return new Diagnosis(
        file,
        Category.UNKNOWN,
        "The log could not be read",
        0.0,
        RiskLevel.LOW,
        "none",
        Map.of(),
        Optional.empty(),
        "rules",
        List.of(),
        "Pitcrew could not read this log, so it makes no claim about the failure.",
        Optional.of(error),
        List.of());
  }

  public Diagnosis withFile(String f) {
    return new Diagnosis(
        f,
        category,
        rootCause,
        confidence,
        riskLevel,
        remediationStrategy,
        remediationParams,
        playbookId,
        analyzer,
        evidence,
        explanation,
        error,
        notes);
  }

  public Diagnosis withNotes(List<String> more) {
    var all = new java.util.ArrayList<>(notes);
    all.addAll(more);
    return new Diagnosis(
        file,
        category,
        rootCause,
        confidence,
        riskLevel,
        remediationStrategy,
        remediationParams,
        playbookId,
        analyzer,
        evidence,
        explanation,
        error,
        all);
  }
}
