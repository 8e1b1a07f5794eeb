package dev.pitcrew.remediation.resource;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code free_disk}: adds a cleanup step at the start of every job's {@code steps:} in the failed
 * GitHub workflow, removing preinstalled toolchains the build does not use and pruning Docker
 * images. GitLab runners differ too much to guess; there it is advice.
 */
public final class FreeDisk extends CiEdit {
  public static final String NAME = "free_disk";
  static final String MARKER = "Free disk space (pitcrew)";
  private static final String RUN =
      "sudo rm -rf /usr/share/dotnet /usr/local/lib/android /opt/ghc /opt/hostedtoolcache/CodeQL"
          + " && docker system prune -af || true";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  Map<String, String> edits(
      Diagnosis d, RemediationContext ctx, RepoFiles files, List<String> notes) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (CiConfig.File c : CiConfig.files(ctx, files)) {
      if (c.gitlab() || c.text().contains(MARKER)) {
        continue;
      }
      List<String> lines = new ArrayList<>(List.of(c.text().split("\n", -1)));
      boolean changed = false;
      for (int i = 0; i < lines.size(); i++) {
        String l = lines.get(i);
        if (!l.strip().equals("steps:") || i + 1 >= lines.size()) {
          continue;
        }
        String next = lines.get(i + 1);
        String stepIndent = next.substring(0, next.length() - next.stripLeading().length());
        if (!next.stripLeading().startsWith("- ")) {
          continue;
        }
        lines.add(i + 1, stepIndent + "- name: " + MARKER);
        lines.add(i + 2, stepIndent + "  run: " + RUN);
        changed = true;
        i += 2;
      }
      if (changed) {
        out.put(c.path(), String.join("\n", lines));
        break; // the failed run's workflow comes first; one file is enough
      }
    }
    return out;
  }

  @Override
  String summary(Diagnosis d) {
    return "Free disk space at the start of each job";
  }

  @Override
  String advice(Diagnosis d) {
    return "The runner ran out of disk; remove unused toolchains and Docker images at the start of"
        + " the job, or use a runner with a larger disk";
  }
}
