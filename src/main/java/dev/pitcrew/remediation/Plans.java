package dev.pitcrew.remediation;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Helpers that actions share to build plans and outcomes. */
public final class Plans {
  /** Plan parameter: a person must approve this plan; the value says why. */
  public static final String NEEDS_APPROVAL = "needs_approval";

  /** Plan parameter: the pull/merge request title for file changes. */
  public static final String PR_TITLE = "pr_title";

  /** Plan parameter: the pull/merge request body for file changes. */
  public static final String PR_BODY = "pr_body";

  /** The action name of a plan that only tells a person what to do. */
  public static final String SUGGESTION = "notify_developer";

  private Plans() {}

  /** A file change with its unified diff. */
  public static Plan.FileChange change(String path, String before, String after) {
    return new Plan.FileChange(path, before, after, UnifiedDiff.of(path, before, after));
  }

  /** A plan that changes nothing and tells a person what to do. */
  public static Plan suggestion(Diagnosis d, String advice, Map<String, String> params) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put("advice", advice);
    return new Plan(SUGGESTION, RiskLevel.LOW, advice, List.of(), List.of(), p);
  }

  public static Outcome applied(String detail) {
    return new Outcome(Outcome.Status.APPLIED, detail, Optional.empty(), Optional.empty());
  }

  public static Outcome nothing(String detail) {
    return new Outcome(Outcome.Status.NOTHING_TO_DO, detail, Optional.empty(), Optional.empty());
  }

  public static Outcome failed(String detail) {
    return new Outcome(Outcome.Status.FAILED, detail, Optional.empty(), Optional.empty());
  }

  /**
   * Adds the pull request title and body for a file-changing plan: the failure, the fix, the
   * evidence lines and how the fix will be verified.
   */
  public static Map<String, String> withPullRequestText(
      Map<String, String> params, Diagnosis d, String title, String fix, String runUrl) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put(PR_TITLE, "pitcrew: " + title);
    StringBuilder b = new StringBuilder();
    b.append("## What failed\n\n").append(d.rootCause()).append(".\n\n");
    if (runUrl != null && !runUrl.isBlank()) {
      b.append("Failed pipeline: ").append(runUrl).append("\n\n");
    }
    b.append("## Evidence\n\n");
    if (d.evidence().isEmpty()) {
      b.append("(no log line was recorded)\n");
    }
    for (Evidence e : d.evidence()) {
      b.append("- line ").append(e.line()).append(": `").append(fence(e.text())).append("`\n");
    }
    b.append("\n## The fix\n\n").append(fix).append("\n\n");
    b.append("## Why\n\n").append(d.explanation()).append("\n\n");
    b.append("## Verification\n\n")
        .append("Pitcrew re-runs the pipeline on this branch and records the result here; merge")
        .append(" only when it passes.\n\n");
    b.append("Diagnosed by ")
        .append(d.analyzer())
        .append(d.playbookId().map(id -> " with playbook `" + id + "`").orElse(""))
        .append(String.format(" (confidence %.2f).%n", d.confidence()));
    p.put(PR_BODY, b.toString());
    return p;
  }

  /** Log text inside inline code: no backticks or line breaks can break out of it. */
  static String fence(String text) {
    String t = text.replace('`', '\'').replace('\r', ' ').replace('\n', ' ').strip();
    return t.length() > 300 ? t.substring(0, 300) + "…" : t;
  }
}
