package dev.pitcrew.notify.email;

import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The e-mail rendering of a {@link Notification}: a one-line subject, a plain-text part and an HTML
 * part carrying the same facts as the Slack templates. Everything from a log is HTML-escaped in the
 * HTML part; links are only our own http(s) URLs, escaped as attribute values.
 */
public final class EmailTemplates {
  static final int EVIDENCE_MAX = 2000;
  static final int FIELD_MAX = 1000;

  private EmailTemplates() {}

  /** A labelled fact ("Root cause", "Missing dependency: requests"). */
  private record Row(String label, String value) {}

  private record Link(String label, String url) {}

  public static String subject(Notification n) {
    String what =
        switch (n.kind()) {
          case AUTO_FIXED -> "Pipeline auto-fixed";
          case MANUAL_REVIEW -> "Pipeline failure - manual review needed";
          case AWAITING_APPROVAL -> "Pipeline fix awaiting approval";
          case ESCALATED -> "Pipeline escalated - auto-fix failed";
        };
    return Text.clean(
        "[Pitcrew] "
            + what
            + ": "
            + Text.clean(n.repository(), 100, true)
            + " "
            + Text.clean(n.branch(), 80, true)
            + " #"
            + Text.clean(n.pipelineId(), 40, true),
        200,
        true);
  }

  public static String plain(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append(title(n)).append("\n\n");
    for (Row r : rows(n)) {
      b.append(r.label()).append(": ").append(r.value()).append('\n');
    }
    b.append("\nEvidence:\n    ")
        .append(Text.clean(n.evidenceLine(), EVIDENCE_MAX, true))
        .append('\n');
    List<String> list = listItems(n);
    if (!list.isEmpty()) {
      b.append('\n').append(listTitle(n)).append(":\n");
      for (int i = 0; i < list.size(); i++) {
        b.append("  ").append(i + 1).append(". ").append(list.get(i)).append('\n');
      }
    }
    b.append('\n');
    for (Link l : links(n)) {
      b.append(l.label()).append(": ").append(l.url()).append('\n');
    }
    b.append("\n-- \nPitcrew, action ").append(Text.clean(n.actionId(), 100, true)).append('\n');
    return b.toString();
  }

  public static String html(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
        .append(Html.escape(subject(n)))
        .append("</title></head><body style=\"font-family:sans-serif\">\n");
    b.append("<h2>").append(Html.escape(title(n))).append("</h2>\n<table>\n");
    for (Row r : rows(n)) {
      b.append("<tr><th align=\"left\">")
          .append(Html.escape(r.label()))
          .append("</th><td>")
          .append(Html.escape(r.value()))
          .append("</td></tr>\n");
    }
    b.append("</table>\n<h3>Evidence</h3>\n<pre>")
        .append(Html.escape(Text.clean(n.evidenceLine(), EVIDENCE_MAX, true)))
        .append("</pre>\n");
    List<String> list = listItems(n);
    if (!list.isEmpty()) {
      b.append("<h3>").append(Html.escape(listTitle(n))).append("</h3>\n<ol>\n");
      for (String item : list) {
        b.append("<li>").append(Html.escape(item)).append("</li>\n");
      }
      b.append("</ol>\n");
    }
    List<Link> links = links(n);
    if (!links.isEmpty()) {
      b.append("<p>");
      for (Link l : links) {
        b.append("<a href=\"")
            .append(Html.escape(l.url()))
            .append("\">")
            .append(Html.escape(l.label()))
            .append("</a> ");
      }
      b.append("</p>\n");
    }
    b.append("<p style=\"color:#666\">Pitcrew, action ")
        .append(Html.escape(Text.clean(n.actionId(), 100, true)))
        .append("</p>\n</body></html>\n");
    return b.toString();
  }

  static String title(Notification n) {
    return switch (n.kind()) {
      case AUTO_FIXED -> "Pipeline Auto-Fixed";
      case MANUAL_REVIEW -> "Pipeline Failure - Manual Review Needed";
      case AWAITING_APPROVAL -> "Pipeline Fix Awaiting Approval";
      case ESCALATED -> "Pipeline Escalated - Auto-Fix Failed";
    };
  }

  private static List<Row> rows(Notification n) {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("Repository", Text.clean(n.repository(), 200, true)));
    rows.add(new Row("Branch", Text.clean(n.branch(), 200, true)));
    rows.add(new Row("Pipeline", "#" + Text.clean(n.pipelineId(), 100, true)));
    rows.add(new Row("Category", Text.clean(n.category(), 50, true)));
    rows.add(new Row("Root cause", Text.clean(n.rootCause(), FIELD_MAX, true)));
    String did = Text.clean(n.actionTaken(), FIELD_MAX, true);
    switch (n.kind()) {
      case AUTO_FIXED -> {
        rows.add(new Row("Fix applied", did));
        rows.add(
            new Row(
                "New pipeline",
                n.newPipelineStatus()
                    .map(s -> Text.clean(Text.status(s), 40, true))
                    .orElse("started")));
        n.timeSavedMinutes().ifPresent(m -> rows.add(new Row("Time saved", Text.minutes(m))));
      }
      case MANUAL_REVIEW, ESCALATED -> {
        rows.add(new Row("Risk level", Text.clean(Text.capitalized(n.riskLevel()), 20, true)));
        rows.add(new Row("Confidence", Text.percent(n.confidence())));
        rows.add(new Row("What Pitcrew did", did));
      }
      case AWAITING_APPROVAL -> {
        rows.add(new Row("Proposed fix", did));
        rows.add(new Row("Risk level", Text.clean(Text.capitalized(n.riskLevel()), 20, true)));
        rows.add(new Row("Confidence", Text.percent(n.confidence())));
      }
    }
    return rows;
  }

  private static String listTitle(Notification n) {
    return n.kind() == Notification.Kind.ESCALATED && !n.attempts().isEmpty()
        ? "Attempts"
        : "Suggested actions";
  }

  private static List<String> listItems(Notification n) {
    List<String> source =
        n.kind() == Notification.Kind.ESCALATED && !n.attempts().isEmpty()
            ? n.attempts()
            : n.suggestions();
    return source.stream().limit(20).map(s -> Text.clean(s, 300, true)).toList();
  }

  private static List<Link> links(Notification n) {
    List<Link> links = new ArrayList<>();
    add(links, "Review and approve", n.approveUrl());
    add(links, "Incident", n.incidentUrl());
    add(links, "New pipeline", n.newPipelineUrl());
    add(links, "Changes", n.pullRequestUrl());
    add(links, "Failed pipeline", Optional.ofNullable(n.pipelineUrl()));
    add(links, "Logs", n.logsUrl());
    add(links, "Analysis", n.analysisUrl());
    return links;
  }

  private static void add(List<Link> links, String label, Optional<String> url) {
    url.flatMap(Text::safeUrl).ifPresent(u -> links.add(new Link(label, u)));
  }
}
