package dev.pitcrew.remediation.resource;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code increase_node_heap}: raises {@code --max-old-space-size} where the pipeline sets it
 * (×1.5), or adds {@code NODE_OPTIONS: --max-old-space-size=N} (N from the playbook, 4096 by
 * default) to the workflow's top-level {@code env:} or GitLab's {@code variables:}.
 */
public final class IncreaseNodeHeap extends CiEdit {
  public static final String NAME = "increase_node_heap";
  private static final Pattern FLAG = Pattern.compile("--max-old-space-size=(\\d+)");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  Map<String, String> edits(
      Diagnosis d, RemediationContext ctx, RepoFiles files, List<String> notes) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    List<CiConfig.File> ci = CiConfig.files(ctx, files);
    for (CiConfig.File f : ci) {
      String after =
          CiConfig.replaceGroup(
              f.text(), FLAG, v -> String.valueOf((long) Math.ceil(Long.parseLong(v) * 1.5)));
      if (!after.equals(f.text())) {
        out.put(f.path(), after);
      }
    }
    if (!out.isEmpty() || ci.isEmpty()) {
      return out;
    }
    // a job container's memory limit caps Node's heap whatever NODE_OPTIONS says: raise the limit
    double factor = Sizes.factor(d.remediationParams().get("factor"));
    for (CiConfig.File f : ci) {
      if (f.gitlab()) {
        continue;
      }
      String after =
          CiConfig.replaceGroup(
              f.text(),
              IncreaseJvmHeap.CONTAINER_MEMORY,
              v -> IncreaseJvmHeap.raiseMemory(v, factor));
      if (!after.equals(f.text())) {
        out.put(f.path(), after);
        notes.add("the job container's --memory limit caps Node's heap, so it is raised");
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    String mb = d.remediationParams().getOrDefault("max_old_space_size_mb", "4096");
    if (!mb.matches("\\d{3,6}")) {
      mb = "4096";
    }
    CiConfig.File f = ci.get(0);
    String value = "--max-old-space-size=" + mb;
    out.put(
        f.path(),
        f.gitlab()
            ? CiConfig.addToTopLevelBlock(
                f.text(), "variables", "NODE_OPTIONS", "\"" + value + "\"", null)
            : CiConfig.addToTopLevelBlock(f.text(), "env", "NODE_OPTIONS", value, "jobs"));
    return out;
  }

  @Override
  String summary(Diagnosis d) {
    return "Give Node a larger heap (NODE_OPTIONS=--max-old-space-size)";
  }

  @Override
  String advice(Diagnosis d) {
    return "Node ran out of heap and no pipeline configuration was found to raise it in; set"
        + " NODE_OPTIONS=--max-old-space-size=4096 for the job";
  }
}
