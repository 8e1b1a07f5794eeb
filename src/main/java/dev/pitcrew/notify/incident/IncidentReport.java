package dev.pitcrew.notify.incident;

import dev.pitcrew.notify.Markdown;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The full diagnostics of an escalation, in the shapes the trackers need: a stable title (the forge
 * de-duplicates issues on it), a Markdown body, a short summary and a flat detail map.
 */
public final class IncidentReport {
  private IncidentReport() {}

  /** Stable per action, so a retried escalation finds the issue it already opened. */
  public static String title(Notification n) {
    return Text.clean(
        "Pitcrew incident "
            + Text.clean(n.actionId(), 60, true)
            + ": pipeline #"
            + Text.clean(n.pipelineId(), 40, true)
            + " of "
            + Text.clean(n.repository(), 100, true)
            + " still fails after "
            + n.attempts().size()
            + " fix attempts",
        250,
        true);
  }

  /** One line for pagers (PagerDuty allows 1024 characters, Opsgenie 130). */
  public static String summary(Notification n, int max) {
    return Text.clean(
        "Auto-fix failed for "
            + Text.clean(n.repository(), 100, true)
            + " on "
            + Text.clean(n.branch(), 60, true)
            + " after "
            + n.attempts().size()
            + " attempts: "
            + Text.clean(n.rootCause(), 600, true),
        max,
        true);
  }

  public static String markdown(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append("## Pipeline escalated: auto-fix failed\n\n");
    b.append("| | |\n|---|---|\n");
    row(b, "Repository", Markdown.inline(n.repository(), 200));
    row(b, "Branch", Markdown.inline(n.branch(), 200));
    row(b, "Pipeline", "\\#" + Markdown.inline(n.pipelineId(), 100));
    row(b, "Category", Markdown.inline(n.category(), 50));
    row(b, "Risk", Markdown.inline(Text.capitalized(n.riskLevel()), 20));
    row(b, "Confidence", Text.percent(n.confidence()));
    row(b, "Action", Markdown.inline(n.actionId(), 100));
    b.append("\n### Root cause\n\n").append(Markdown.inline(n.rootCause(), 2000)).append("\n\n");
    b.append("### Evidence\n\n").append(Markdown.codeBlock(n.evidenceLine(), 4000)).append("\n\n");
    b.append("### What Pitcrew did\n\n")
        .append(Markdown.inline(n.actionTaken(), 2000))
        .append("\n\n");
    b.append("### Attempts and results\n\n");
    if (n.attempts().isEmpty()) {
      b.append("None recorded.\n");
    }
    int i = 1;
    for (String a : n.attempts()) {
      b.append(i++).append(". ").append(Markdown.inline(a, 500)).append('\n');
    }
    if (!n.suggestions().isEmpty()) {
      b.append("\n### Suggested next steps\n\n");
      i = 1;
      for (String s : n.suggestions()) {
        b.append(i++).append(". ").append(Markdown.inline(s, 300)).append('\n');
      }
    }
    b.append("\n### Links\n\n");
    for (Map.Entry<String, String> l : links(n).entrySet()) {
      b.append("- ").append(Markdown.link(l.getKey(), Optional.of(l.getValue()))).append('\n');
    }
    b.append("\n<sub>Opened by Pitcrew after the last automatic attempt failed.</sub>\n");
    return b.toString();
  }

  /** Our own links, labelled, in reading order; unsafe URLs are dropped. */
  public static Map<String, String> links(Notification n) {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "Incident", n.incidentUrl());
    put(out, "Failed pipeline", Optional.ofNullable(n.pipelineUrl()));
    put(out, "Last pipeline", n.newPipelineUrl());
    put(out, "Pull request", n.pullRequestUrl());
    put(out, "Logs", n.logsUrl());
    put(out, "Analysis", n.analysisUrl());
    return out;
  }

  /** Flat details for pager payloads: plain strings, each cut, no markup. */
  public static Map<String, Object> details(Notification n) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("action_id", Text.clean(n.actionId(), 100, true));
    d.put("repository", Text.clean(n.repository(), 200, true));
    d.put("branch", Text.clean(n.branch(), 200, true));
    d.put("pipeline_id", Text.clean(n.pipelineId(), 100, true));
    d.put("failure_category", Text.clean(n.category(), 50, true));
    d.put("root_cause", Text.clean(n.rootCause(), 1000, true));
    d.put("evidence", Text.clean(n.evidenceLine(), 1000, true));
    d.put("risk_level", Text.clean(n.riskLevel(), 20, true));
    d.put("confidence", n.confidence());
    d.put("action_taken", Text.clean(n.actionTaken(), 1000, true));
    List<String> attempts = n.attempts().stream().map(a -> Text.clean(a, 300, true)).toList();
    d.put("attempts", attempts);
    return d;
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("| ").append(k).append(" | ").append(v).append(" |\n");
  }

  private static void put(Map<String, String> out, String label, Optional<String> url) {
    url.flatMap(Text::safeUrl).ifPresent(u -> out.put(label, u));
  }
}
