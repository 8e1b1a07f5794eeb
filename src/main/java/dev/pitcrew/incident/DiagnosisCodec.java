package dev.pitcrew.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.DiagnosisJson;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Diagnoses and plans as stored JSON, so a later step (on any replica) reads what an earlier one
 * found.
 */
final class DiagnosisCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DiagnosisCodec() {}

  static String write(Diagnosis d) {
    return json(DiagnosisJson.toMap(d));
  }

  static Diagnosis read(String json) {
    JsonNode n = tree(json);
    List<Evidence> ev = new ArrayList<>();
    n.path("evidence")
        .forEach(e -> ev.add(new Evidence(e.path("line").asInt(), e.path("text").asText())));
    Map<String, String> params = new LinkedHashMap<>();
    n.path("remediation_params")
        .properties()
        .forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    List<String> notes = new ArrayList<>();
    n.path("notes").forEach(x -> notes.add(x.asText()));
    return new Diagnosis(
        n.path("file").asText(),
        Category.parse(n.path("category").asText("unknown")),
        n.path("root_cause").asText(),
        n.path("confidence").asDouble(),
        RiskLevel.parse(n.path("risk_level").asText("low")),
        n.path("remediation_strategy").asText("none"),
        params,
        Optional.ofNullable(n.path("playbook_id").textValue()),
        n.path("analyzer").asText("rules"),
        ev,
        n.path("explanation").asText(""),
        Optional.ofNullable(n.path("error").textValue()),
        notes);
  }

  static String write(Plan p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("action", p.action());
    m.put("risk", p.risk().wire());
    m.put("summary", p.summary());
    m.put(
        "file_changes",
        p.fileChanges().stream()
            .map(
                f -> {
                  Map<String, Object> c = new LinkedHashMap<>();
                  c.put("path", f.path());
                  c.put("before", f.before());
                  c.put("after", f.after());
                  c.put("diff", f.diff());
                  return c;
                })
            .toList());
    m.put("forge_calls", p.forgeCalls());
    m.put("params", p.params());
    return json(m);
  }

  static Plan readPlan(String json) {
    JsonNode n = tree(json);
    List<Plan.FileChange> files = new ArrayList<>();
    n.path("file_changes")
        .forEach(
            f ->
                files.add(
                    new Plan.FileChange(
                        f.path("path").asText(),
                        f.path("before").textValue(),
                        f.path("after").textValue(),
                        f.path("diff").asText(""))));
    List<String> calls = new ArrayList<>();
    n.path("forge_calls").forEach(c -> calls.add(c.asText()));
    Map<String, String> params = new LinkedHashMap<>();
    n.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    return new Plan(
        n.path("action").asText(),
        RiskLevel.parse(n.path("risk").asText("low")),
        n.path("summary").asText(""),
        files,
        calls,
        params);
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "a stored diagnosis or plan is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
