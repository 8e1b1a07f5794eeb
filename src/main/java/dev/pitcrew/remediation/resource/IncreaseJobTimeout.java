package dev.pitcrew.remediation.resource;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code increase_job_timeout}: raises {@code timeout-minutes:} in GitHub workflows and {@code
 * timeout:} in .gitlab-ci.yml (any GitLab duration: {@code 4s}, {@code 30 seconds}, {@code 1h 30m})
 * by the playbook's factor (1.5 by default), capped at GitHub's 360 minutes for hosted runners; a
 * GitLab timeout is raised to at least ten minutes, GitLab's own smallest project timeout.
 */
public final class IncreaseJobTimeout extends CiEdit {
  public static final String NAME = "increase_job_timeout";
  private static final Pattern GH =
      Pattern.compile("(?m)^[ \\t]+timeout-minutes:[ \\t]*(\\d+)[ \\t]*(?:#.*)?$");
  private static final String UNIT = "(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)";
  private static final Pattern GL =
      Pattern.compile(
          "(?m)^[ \\t]*timeout:[ \\t]*[\"']?(\\d+ ?"
              + UNIT
              + "\\b(?: \\d+ ?"
              + UNIT
              + "\\b)*)[\"']?[ \\t]*(?:#.*)?$");
  private static final Pattern PART = Pattern.compile("(\\d+)\\s*" + UNIT + "\\b");

  /** GitLab's smallest project timeout; a raised job timeout is at least this, in seconds. */
  static final long GITLAB_FLOOR_SECONDS = 600;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  Map<String, String> edits(
      Diagnosis d, RemediationContext ctx, RepoFiles files, List<String> notes) throws IOException {
    double f = Sizes.factor(d.remediationParams().get("factor"));
    Map<String, String> out = new LinkedHashMap<>();
    for (CiConfig.File file : CiConfig.files(ctx, files)) {
      String after =
          file.gitlab()
              ? CiConfig.replaceGroup(file.text(), GL, v -> duration(scaleSeconds(v, f)))
              : CiConfig.replaceGroup(
                  file.text(),
                  GH,
                  v -> {
                    long now = Long.parseLong(v);
                    long next = Math.min(360, (long) Math.ceil(now * f));
                    if (next <= now) {
                      notes.add(file.path() + " is already at GitHub's 360-minute limit");
                      return null;
                    }
                    return String.valueOf(next);
                  });
      if (!after.equals(file.text())) {
        out.put(file.path(), after);
      }
    }
    return out;
  }

  /** A GitLab duration ({@code 4s}, {@code 1h 30m}, {@code 10 minutes}) × f, at least the floor. */
  static long scaleSeconds(String v, double f) {
    long total = 0;
    Matcher m = PART.matcher(v);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total +=
          switch (m.group(2).charAt(0)) {
            case 'd' -> n * 86_400;
            case 'h' -> n * 3600;
            case 'm' -> n * 60;
            default -> n;
          };
    }
    return Math.max((long) Math.ceil(total * f), GITLAB_FLOOR_SECONDS);
  }

  /** Seconds as a GitLab duration: {@code 1h 30m}, {@code 10m}, {@code 2m 5s}. */
  static String duration(long seconds) {
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    StringBuilder b = new StringBuilder();
    if (h > 0) {
      b.append(h).append('h');
    }
    if (m > 0) {
      b.append(b.isEmpty() ? "" : " ").append(m).append('m');
    }
    if (s > 0 || b.isEmpty()) {
      b.append(b.isEmpty() ? "" : " ").append(s).append('s');
    }
    return b.toString();
  }

  @Override
  String summary(Diagnosis d) {
    return "Raise the job timeout by " + Sizes.factor(d.remediationParams().get("factor")) + "×";
  }

  @Override
  String advice(Diagnosis d) {
    return "The job hit its time limit and the pipeline configuration sets no timeout Pitcrew"
        + " can raise; set timeout-minutes (GitHub) or timeout (GitLab) for the job, or split or"
        + " cache the work";
  }
}
