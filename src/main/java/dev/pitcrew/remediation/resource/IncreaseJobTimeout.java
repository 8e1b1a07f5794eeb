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
 * timeout:} in .gitlab-ci.yml by the playbook's factor (1.5 by default), capped at GitHub's 360
 * minutes for hosted runners.
 */
public final class IncreaseJobTimeout extends CiEdit {
  public static final String NAME = "increase_job_timeout";
  private static final Pattern GH =
      Pattern.compile("(?m)^[ \\t]+timeout-minutes:[ \\t]*(\\d+)[ \\t]*(?:#.*)?$");
  private static final Pattern GL =
      Pattern.compile(
          "(?m)^[ \\t]*timeout:[ \\t]*[\"']?((?:\\d+ ?(?:hours?|h|minutes?|min|m)\\b ?)+?)[\"']?[ \\t]*(?:#.*)?$");
  private static final Pattern PART = Pattern.compile("(\\d+)\\s*(h|hours?|m|min|minutes?)");

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
              ? CiConfig.replaceGroup(file.text(), GL, v -> minutes(scaleMinutes(v, f)))
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

  private static long scaleMinutes(String v, double f) {
    long total = 0;
    Matcher m = PART.matcher(v);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total += m.group(2).startsWith("h") ? n * 60 : n;
    }
    return (long) Math.ceil(total * f);
  }

  private static String minutes(long m) {
    return m % 60 == 0 ? (m / 60) + "h" : m >= 60 ? (m / 60) + "h " + (m % 60) + "m" : m + "m";
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
