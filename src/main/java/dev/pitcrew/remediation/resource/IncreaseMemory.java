package dev.pitcrew.remediation.resource;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code increase_memory}: gives the job more memory. On GitLab, the Kubernetes executor's {@code
 * KUBERNETES_MEMORY_LIMIT} / {@code KUBERNETES_MEMORY_REQUEST} variables ×1.5 (or the playbook's
 * factor); on GitHub, the next larger runner on the configured ladder ({@code
 * PITCREW_RUNNER_LADDER}, smallest first), since runner names are the organisation's own. A larger
 * runner costs money, so the plan is medium risk.
 */
public final class IncreaseMemory extends CiEdit {
  public static final String NAME = "increase_memory";
  private static final Pattern K8S =
      Pattern.compile(
          "(?m)^\\s*KUBERNETES_MEMORY_(?:LIMIT|REQUEST)(?:_OVERWRITE_MAX_ALLOWED)?:\\s*[\"']?([0-9.]+[A-Za-z]*)[\"']?\\s*$");
  private static final Pattern RUNS_ON =
      Pattern.compile("(?m)^\\s+runs-on:\\s*([A-Za-z0-9._-]+)\\s*$");

  private final List<String> ladder;

  public IncreaseMemory(List<String> ladder) {
    this.ladder = List.copyOf(ladder);
  }

  /** The ladder from {@code PITCREW_RUNNER_LADDER}: comma-separated labels, smallest first. */
  public static IncreaseMemory fromEnv(String value) {
    if (value == null || value.isBlank()) {
      return new IncreaseMemory(List.of());
    }
    return new IncreaseMemory(
        java.util.Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  RiskLevel risk() {
    return RiskLevel.MEDIUM;
  }

  @Override
  Map<String, String> edits(
      Diagnosis d, RemediationContext ctx, RepoFiles files, List<String> notes) throws IOException {
    double f = Sizes.factor(d.remediationParams().get("factor"));
    Map<String, String> out = new LinkedHashMap<>();
    for (CiConfig.File c : CiConfig.files(ctx, files)) {
      String after;
      if (c.gitlab()) {
        after = CiConfig.replaceGroup(c.text(), K8S, v -> Sizes.scale(v, f));
      } else {
        after =
            CiConfig.replaceGroup(
                c.text(),
                RUNS_ON,
                label -> {
                  int i = ladder.indexOf(label);
                  if (i < 0) {
                    return null;
                  }
                  if (i == ladder.size() - 1) {
                    notes.add(label + " is already the largest runner on the ladder");
                    return null;
                  }
                  return ladder.get(i + 1);
                });
      }
      if (!after.equals(c.text())) {
        out.put(c.path(), after);
      }
    }
    if (out.isEmpty() && ladder.isEmpty()) {
      notes.add("no runner ladder is configured (PITCREW_RUNNER_LADDER)");
    }
    return out;
  }

  @Override
  String summary(Diagnosis d) {
    return "Give the job more memory (a larger runner or memory limit)";
  }

  @Override
  String advice(Diagnosis d) {
    String alt = d.remediationParams().get("alternative");
    return "The job ran out of memory; give it a larger runner or memory limit"
        + ("reduce_parallelism".equals(alt) ? ", or run fewer parallel workers" : "");
  }
}
