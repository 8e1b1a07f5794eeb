package dev.pitcrew.notify.comment;

import dev.pitcrew.notify.Markdown;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Text;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The pull/merge-request comment: the same facts as the Slack message, in escaped Markdown. */
public final class CommentTemplates {
  private CommentTemplates() {}

  public static String body(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append("### ").append(title(n.kind())).append("\n\n");
    b.append("**Root cause:** ").append(Markdown.inline(n.rootCause(), 1000)).append("\n\n");
    b.append("**Evidence** (failed job log):\n\n")
        .append(Markdown.codeBlock(n.evidenceLine(), 2000))
        .append("\n\n");
    String did = Markdown.inline(n.actionTaken(), 1000);
    switch (n.kind()) {
      case AUTO_FIXED -> {
        b.append("**Fix applied:** ").append(did).append("\n\n");
        b.append("**New pipeline:** ")
            .append(
                n.newPipelineStatus()
                    .map(s -> Markdown.inline(Text.status(s), 40))
                    .orElse("started"));
        n.timeSavedMinutes().ifPresent(m -> b.append(" · time saved ").append(Text.minutes(m)));
        b.append("\n\n");
      }
      case AWAITING_APPROVAL -> b.append("**Proposed fix:** ").append(did).append("\n\n");
      case MANUAL_REVIEW, ESCALATED ->
          b.append("**What Pitcrew did:** ").append(did).append("\n\n");
    }
    b.append("**Risk:** ")
        .append(Markdown.inline(Text.capitalized(n.riskLevel()), 20))
        .append(" · **Confidence:** ")
        .append(Text.percent(n.confidence()))
        .append("\n\n");
    List<String> list =
        n.kind() == Notification.Kind.ESCALATED && !n.attempts().isEmpty()
            ? n.attempts()
            : n.suggestions();
    if (!list.isEmpty()) {
      b.append(
          n.kind() == Notification.Kind.ESCALATED && !n.attempts().isEmpty()
              ? "**Attempts:**\n"
              : "**Suggested actions:**\n");
      int i = 1;
      for (String s : list.stream().limit(20).toList()) {
        b.append(i++).append(". ").append(Markdown.inline(s, 300)).append('\n');
      }
      b.append('\n');
    }
    String links =
        Stream.of(
                Markdown.link("Approve or reject", n.approveUrl()),
                Markdown.link("Incident", n.incidentUrl()),
                Markdown.link("New pipeline", n.newPipelineUrl()),
                Markdown.link("Changes", n.pullRequestUrl()),
                Markdown.link("Failed pipeline", Optional.ofNullable(n.pipelineUrl())),
                Markdown.link("Logs", n.logsUrl()),
                Markdown.link("Analysis", n.analysisUrl()))
            .filter(s -> !s.isEmpty())
            .collect(Collectors.joining(" · "));
    if (!links.isEmpty()) {
      b.append(links).append("\n\n");
    }
    b.append("<sub>Pitcrew · action ")
        .append(Markdown.inline(n.actionId(), 100))
        .append("</sub>\n");
    return b.toString();
  }

  static String title(Notification.Kind kind) {
    return switch (kind) {
      case AUTO_FIXED -> "🔧 Pipeline Auto-Fixed";
      case MANUAL_REVIEW -> "⚠️ Pipeline Failure - Manual Review Needed";
      case AWAITING_APPROVAL -> "✋ Pipeline Fix Awaiting Approval";
      case ESCALATED -> "🚨 Pipeline Escalated - Auto-Fix Failed";
    };
  }
}
