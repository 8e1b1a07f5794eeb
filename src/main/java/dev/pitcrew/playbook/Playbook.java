package dev.pitcrew.playbook;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A known failure: how to recognise it in a log, what it means and how to fix it. Loaded from
 * {@code playbooks/<id>/playbook.yaml}; see docs/playbook-authoring.md.
 *
 * @param source the folder it was loaded from (a classpath location for shipped playbooks)
 */
public record Playbook(
    String id,
    String title,
    Category category,
    RiskLevel riskLevel,
    boolean autoFix,
    double confidence,
    String rootCause,
    String explanation,
    List<FailurePattern> patterns,
    List<String> unless,
    String strategy,
    List<Step> steps,
    List<Example> examples,
    String createdBy,
    String lastUpdated,
    String source,
    Optional<Path> folder) {

  public Playbook {
    patterns = List.copyOf(patterns);
    unless = List.copyOf(unless);
    steps = List.copyOf(steps);
    examples = List.copyOf(examples);
  }

  /** A remediation step: an action name and its parameters, which may name captures as {x}. */
  public record Step(String action, Map<String, String> params) {
    public Step {
      params = Map.copyOf(params);
    }
  }

  /** An example log shipped with the playbook and the captures it must yield. */
  public record Example(String file, Map<String, String> captures) {
    public Example {
      captures = Map.copyOf(captures);
    }
  }
}
