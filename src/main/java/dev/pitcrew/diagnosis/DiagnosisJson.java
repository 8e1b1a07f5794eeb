package dev.pitcrew.diagnosis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The diagnosis JSON of docs/contracts.md, as an ordered map ready for any JSON writer. */
public final class DiagnosisJson {
  private DiagnosisJson() {}

  public static Map<String, Object> toMap(Diagnosis d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", d.file());
    m.put("category", d.category().wire());
    m.put("root_cause", d.rootCause());
    m.put("confidence", d.confidence());
    m.put("risk_level", d.riskLevel().wire());
    m.put("remediation_strategy", d.remediationStrategy());
    m.put("remediation_params", d.remediationParams());
    m.put("playbook_id", d.playbookId().orElse(null));
    m.put("analyzer", d.analyzer());
    m.put(
        "evidence",
        d.evidence().stream()
            .map(e -> Map.<String, Object>of("line", e.line(), "text", e.text()))
            .toList());
    m.put("explanation", d.explanation());
    d.error().ifPresent(e -> m.put("error", e));
    if (!d.notes().isEmpty()) {
      m.put("notes", List.copyOf(d.notes()));
    }
    return m;
  }
}
