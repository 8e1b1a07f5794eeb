package dev.pitcrew.remediation.resource;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code free_disk}: adds a cleanup step at the start of every job's {@code steps:} in the failed
 * GitHub workflow.
 *
 * <p>When the log line that reports the full disk names the path whose write failed ({@code cp:
 * error writing '/opt/hostedtoolcache/build-cache/objects.pack': No space left on device}), the
 * cleanup removes exactly the cache folder that path lives in, written through the runner variable
 * that names its root ({@code rm -rf "$RUNNER_TOOL_CACHE/build-cache"}); the roots are the forge's
 * {@link dev.pitcrew.forge.Forge#runnerPaths runner places} (tool cache, temp, workspace), so the
 * step never removes {@code /}, a home folder, a root itself, or anything outside those places, and
 * inside the workspace never a path the repository tracks. Without such a path it removes the
 * preinstalled toolchains the build does not use and prunes Docker images. GitLab runners differ
 * too much to guess; there it is advice. Whether a workflow edit may be applied without asking is
 * the repository's {@code .pitcrew.yml} decision, which the risk policy enforces.
 */
public final class FreeDisk extends CiEdit {
  public static final String NAME = "free_disk";
  static final String MARKER = "(pitcrew)";
  private static final String GENERIC_NAME = "Free disk space (pitcrew)";
  private static final String GENERIC_RUN =
      "sudo rm -rf /usr/share/dotnet /usr/local/lib/android /opt/ghc /opt/hostedtoolcache/CodeQL"
          + " && docker system prune -af || true";

  /** An absolute path in a log line, quoted or bare. */
  private static final Pattern PATH = Pattern.compile("['\"`‘]?(/[A-Za-z0-9._@+~%=,/-]+)['\"`’]?");

  private static final Pattern FULL =
      Pattern.compile(
          "(?i)no space left on device|ENOSPC|disk quota exceeded|not enough (?:disk )?space");

  /** Folders of the workspace that are caches by convention, whether or not they are ignored. */
  private static final Set<String> SAFE_ROOTS = Set.of("RUNNER_TOOL_CACHE", "RUNNER_TEMP");

  /** The cache folder a full-disk write failed in, as the workflow names it. */
  record Target(String variable, String relative, String logPath) {
    String shell() {
      return "\"$" + variable + "/" + relative + "\"";
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  Map<String, String> edits(
      Diagnosis d, RemediationContext ctx, RepoFiles files, List<String> notes) throws IOException {
    Optional<Target> target = target(d, ctx.forge().runnerPaths(ctx.repo()), files, notes);
    String stepName =
        target
            .map(t -> "Clear the full cache $" + t.variable() + "/" + t.relative() + " " + MARKER)
            .orElse(GENERIC_NAME);
    String run = target.map(t -> "rm -rf " + t.shell()).orElse(GENERIC_RUN);
    target.ifPresent(
        t ->
            notes.add(
                "The write that failed was "
                    + t.logPath()
                    + ", in $"
                    + t.variable()
                    + "/"
                    + t.relative()
                    + ", which the new step clears before the build"));
    Map<String, String> out = new LinkedHashMap<>();
    for (CiConfig.File c : CiConfig.files(ctx, files)) {
      if (c.gitlab() || c.text().contains(GENERIC_NAME) || c.text().contains(run)) {
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
        lines.add(i + 1, stepIndent + "- name: " + stepName);
        lines.add(i + 2, stepIndent + "  run: " + run);
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

  /**
   * The cache folder named by the evidence: the first folder below a runner place, when a path in a
   * full-disk line lies inside one. Paths elsewhere (home, {@code /tmp}, system folders) are noted
   * and never targeted.
   */
  static Optional<Target> target(
      Diagnosis d, Map<String, String> roots, RepoFiles files, List<String> notes)
      throws IOException {
    for (Evidence e : d.evidence()) {
      if (!FULL.matcher(e.text()).find()) {
        continue;
      }
      Matcher m = PATH.matcher(e.text());
      while (m.find()) {
        String path = m.group(1).replaceAll("[.,:;]+$", "");
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
          continue;
        }
        Optional<Target> t = inside(path, roots, files);
        if (t.isPresent()) {
          return t;
        }
        if (path.length() > 1 && path.indexOf('/', 1) > 0) {
          notes.add(
              path
                  + " is outside the runner's workspace and cache folders, so Pitcrew does not"
                  + " remove it");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Target> inside(String path, Map<String, String> roots, RepoFiles files)
      throws IOException {
    for (var r : roots.entrySet()) {
      String root = r.getValue();
      boolean perJob = root.endsWith("/*");
      String prefix = (perJob ? root.substring(0, root.length() - 2) : root).replaceAll("/+$", "");
      if (prefix.isEmpty() || !path.startsWith(prefix + "/")) {
        continue;
      }
      String rest = path.substring(prefix.length() + 1);
      if (perJob) {
        int slash = rest.indexOf('/');
        if (slash < 0) {
          continue;
        }
        rest = rest.substring(slash + 1);
      }
      String[] segs = rest.split("/");
      if (segs.length < 2 || segs[0].isBlank()) {
        // a file directly in the root: removing the root's contents is too broad
        continue;
      }
      String first = segs[0];
      if (!first.matches("[A-Za-z0-9._@+-]+") || first.equals(".git")) {
        continue;
      }
      if (!SAFE_ROOTS.contains(r.getKey())) {
        // inside the checkout only a folder the repository does not track is a cache
        if (!files.tree(first).isEmpty() || files.read(first).isPresent()) {
          continue;
        }
        String lower = first.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith(".") || lower.contains("cache") || lower.equals("tmp"))) {
          continue;
        }
      }
      return Optional.of(new Target(r.getKey(), first, path));
    }
    return Optional.empty();
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
