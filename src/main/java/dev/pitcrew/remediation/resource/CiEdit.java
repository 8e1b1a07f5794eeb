package dev.pitcrew.remediation.resource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Action;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.change.ChangeDelivery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of a resource action: edit the pipeline configuration (and build files) line by line,
 * re-parse every edited YAML file to confirm it is still valid, and deliver the result as a pull
 * request. When nothing can be edited safely, the plan is advice for a person.
 */
abstract class CiEdit implements Action {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The edits for this diagnosis: path → new text (only files that change). */
  abstract Map<String, String> edits(
      Diagnosis d, RemediationContext ctx, RepoFiles files, List<String> notes) throws IOException;

  abstract String summary(Diagnosis d);

  abstract String advice(Diagnosis d);

  RiskLevel risk() {
    return RiskLevel.LOW;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files)
      throws IOException {
    List<String> notes = new ArrayList<>();
    Map<String, String> edits = edits(d, ctx, files, notes);
    List<Plan.FileChange> changes = new ArrayList<>();
    for (var e : edits.entrySet()) {
      String before = files.read(e.getKey()).orElse("");
      if (before.equals(e.getValue())) {
        continue;
      }
      if (e.getKey().endsWith(".yml") || e.getKey().endsWith(".yaml")) {
        try {
          YAML.readTree(e.getValue());
        } catch (IOException bad) {
          return Optional.of(
              Plans.suggestion(
                  d,
                  advice(d) + " (an automatic edit of " + e.getKey() + " did not re-parse)",
                  d.remediationParams()));
        }
      }
      changes.add(Plans.change(e.getKey(), before, e.getValue()));
    }
    if (changes.isEmpty()) {
      return Optional.of(
          Plans.suggestion(
              d,
              advice(d) + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"),
              d.remediationParams()));
    }
    String fix = summary(d) + (notes.isEmpty() ? "" : ". " + String.join("; ", notes));
    return Optional.of(
        ChangeDelivery.filePlan(
            d, ctx, name(), risk(), summary(d), changes, d.remediationParams(), fix + "."));
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    return ChangeDelivery.deliver(plan, ctx);
  }
}
