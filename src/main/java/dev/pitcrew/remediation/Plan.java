package dev.pitcrew.remediation;

import dev.pitcrew.diagnosis.RiskLevel;
import java.util.List;
import java.util.Map;

/**
 * What a remediation would do, exactly, before it does anything: the file diffs and the forge
 * calls. Plans are recorded (dry runs only record them) and judged by the risk policy before they
 * are applied.
 *
 * @param action the registered action that made the plan ({@code retry_pipeline}, {@code
 *     add_dependency}, ...)
 * @param risk the risk of this plan, which may be higher than the playbook's (a major upgrade)
 * @param summary one sentence for people: what will change and why
 * @param fileChanges file edits, each with its unified diff; empty for API-only plans
 * @param forgeCalls the forge operations in order, described for people and the audit log
 * @param params the bound parameters (package, version, variable, file ...)
 */
public record Plan(
    String action,
    RiskLevel risk,
    String summary,
    List<FileChange> fileChanges,
    List<String> forgeCalls,
    Map<String, String> params) {
  public Plan {
    fileChanges = List.copyOf(fileChanges);
    forgeCalls = List.copyOf(forgeCalls);
    params = Map.copyOf(params);
  }

  /** One file's change: its new content and the unified diff from the old. */
  public record FileChange(String path, String before, String after, String diff) {}
}
