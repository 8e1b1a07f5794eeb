package dev.pitcrew.notify.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Text;
import java.util.List;
import java.util.Optional;

/**
 * Renders a {@link Notification} as an incoming-webhook Block Kit payload, following the two
 * templates of the user story ("Pipeline Auto-Fixed", "Manual Review Needed") plus awaiting
 * approval and escalation. Every value from a log, branch or commit goes through {@link SlackText};
 * links only ever appear as button URLs, which Slack does not parse as markup. Sizes respect
 * Slack's documented limits (header 150, section text 3000, button text 75, URL 3000, 50 blocks).
 */
public final class SlackMessages {
  static final int SECTION_MAX = 3000;
  static final int EVIDENCE_MAX = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private SlackMessages() {}

  /** The JSON body to POST to the webhook. */
  public static String render(Notification n) {
    return payload(n).toString();
  }

  static ObjectNode payload(Notification n) {
    ObjectNode root = JSON.createObjectNode();
    root.put("text", fallback(n));
    // untrusted text must not ping anyone even if escaping were bypassed
    root.put("unfurl_links", false);
    root.put("unfurl_media", false);
    ArrayNode blocks = root.putArray("blocks");
    header(blocks, title(n.kind()));
    fields(
        blocks,
        List.of(
            "*Repository*\n" + SlackText.inline(n.repository(), 200),
            "*Branch*\n" + SlackText.inline(n.branch(), 200),
            "*Pipeline*\n#" + SlackText.inline(n.pipelineId(), 100),
            "*Category*\n" + SlackText.inline(n.category(), 50)));
    switch (n.kind()) {
      case AUTO_FIXED -> autoFixed(blocks, n);
      case MANUAL_REVIEW -> manualReview(blocks, n);
      case AWAITING_APPROVAL -> awaitingApproval(blocks, n);
      case ESCALATED -> escalated(blocks, n);
    }
    return root;
  }

  static String title(Notification.Kind kind) {
    return switch (kind) {
      case AUTO_FIXED -> "🔧 Pipeline Auto-Fixed";
      case MANUAL_REVIEW -> "⚠️ Pipeline Failure - Manual Review Needed";
      case AWAITING_APPROVAL -> "✋ Pipeline Fix Awaiting Approval";
      case ESCALATED -> "🚨 Pipeline Escalated - Auto-Fix Failed";
    };
  }

  private static void autoFixed(ArrayNode blocks, Notification n) {
    section(
        blocks,
        "*Root Cause*: "
            + SlackText.inline(n.rootCause(), 1000)
            + "\n*Fix Applied*: "
            + SlackText.inline(n.actionTaken(), 1000));
    evidence(blocks, n);
    String newRun =
        n.newPipelineStatus().map(s -> SlackText.inline(Text.status(s), 40)).orElse("started");
    section(blocks, "*New Pipeline*: " + newRun);
    n.timeSavedMinutes().ifPresent(m -> context(blocks, "Time saved: " + Text.minutes(m)));
    buttons(
        blocks,
        n,
        List.of(
            button("View Pipeline", n.newPipelineUrl().orElse(n.pipelineUrl()), null),
            button("View Changes", n.pullRequestUrl().orElse(null), null),
            button(
                "View Failed Run",
                n.newPipelineUrl().map(x -> n.pipelineUrl()).orElse(null),
                null)));
  }

  private static void manualReview(ArrayNode blocks, Notification n) {
    section(
        blocks,
        "*Root Cause*: "
            + SlackText.inline(n.rootCause(), 1000)
            + "\n*Risk Level*: "
            + SlackText.inline(Text.capitalized(n.riskLevel()), 20)
            + "\n*Confidence*: "
            + Text.percent(n.confidence()));
    evidence(blocks, n);
    whatWasDone(blocks, n);
    suggestions(blocks, n);
    buttons(
        blocks,
        n,
        List.of(
            button("View Pipeline", n.pipelineUrl(), null),
            button("View New Run", n.newPipelineUrl().orElse(null), null),
            button("View Changes", n.pullRequestUrl().orElse(null), null),
            button("View Logs", n.logsUrl().orElse(null), null),
            button("View Analysis", n.analysisUrl().orElse(null), null)));
  }

  private static void awaitingApproval(ArrayNode blocks, Notification n) {
    section(
        blocks,
        "*Root Cause*: "
            + SlackText.inline(n.rootCause(), 1000)
            + "\n*Proposed Fix*: "
            + SlackText.inline(n.actionTaken(), 1000)
            + "\n*Risk Level*: "
            + SlackText.inline(Text.capitalized(n.riskLevel()), 20)
            + "\n*Confidence*: "
            + Text.percent(n.confidence()));
    evidence(blocks, n);
    context(
        blocks, "Nothing changes until a person approves. Approving needs the Pitcrew API token.");
    buttons(
        blocks,
        n,
        List.of(
            button("Review and Approve", n.approveUrl().orElse(null), "primary"),
            button("View Pipeline", n.pipelineUrl(), null),
            button("View Changes", n.pullRequestUrl().orElse(null), null),
            button("View Analysis", n.analysisUrl().orElse(null), null)));
  }

  private static void escalated(ArrayNode blocks, Notification n) {
    section(
        blocks,
        "*Root Cause*: "
            + SlackText.inline(n.rootCause(), 1000)
            + "\n*Risk Level*: "
            + SlackText.inline(Text.capitalized(n.riskLevel()), 20)
            + "\n*Confidence*: "
            + Text.percent(n.confidence()));
    evidence(blocks, n);
    StringBuilder a = new StringBuilder("*Attempts* (" + n.attempts().size() + "):");
    int i = 1;
    for (String attempt : n.attempts()) {
      a.append('\n').append(i++).append(". ").append(SlackText.inline(attempt, 300));
    }
    section(blocks, a.toString());
    whatWasDone(blocks, n);
    suggestions(blocks, n);
    buttons(
        blocks,
        n,
        List.of(
            button("View Incident", n.incidentUrl().orElse(null), "danger"),
            button("View Pipeline", n.pipelineUrl(), null),
            button("View Last Run", n.newPipelineUrl().orElse(null), null),
            button("View Changes", n.pullRequestUrl().orElse(null), null),
            button("View Logs", n.logsUrl().orElse(null), null)));
  }

  private static void whatWasDone(ArrayNode blocks, Notification n) {
    if (n.actionTaken() != null && !n.actionTaken().isBlank()) {
      section(blocks, "*What Pitcrew did*: " + SlackText.inline(n.actionTaken(), 1000));
    }
  }

  private static void suggestions(ArrayNode blocks, Notification n) {
    if (n.suggestions().isEmpty()) {
      return;
    }
    StringBuilder s = new StringBuilder("*Suggested Actions*:");
    int i = 1;
    for (String line : n.suggestions().subList(0, Math.min(10, n.suggestions().size()))) {
      s.append('\n').append(i++).append(". ").append(SlackText.inline(line, 250));
    }
    section(blocks, s.toString());
  }

  private static void evidence(ArrayNode blocks, Notification n) {
    if (n.evidenceLine() != null && !n.evidenceLine().isBlank()) {
      section(blocks, "*Evidence*\n```" + SlackText.code(n.evidenceLine(), EVIDENCE_MAX) + "```");
    }
  }

  private static String fallback(Notification n) {
    String base =
        title(n.kind())
            + ": "
            + SlackText.inline(n.repository(), 200)
            + " "
            + SlackText.inline(n.branch(), 200)
            + " — "
            + SlackText.inline(n.rootCause(), 500);
    return base.length() > SECTION_MAX ? base.substring(0, SECTION_MAX - 1) + "…" : base;
  }

  private static void header(ArrayNode blocks, String text) {
    ObjectNode h = blocks.addObject();
    h.put("type", "header");
    ObjectNode t = h.putObject("text");
    t.put("type", "plain_text");
    t.put("text", text);
    t.put("emoji", true);
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    ObjectNode s = blocks.addObject();
    s.put("type", "section");
    ObjectNode t = s.putObject("text");
    t.put("type", "mrkdwn");
    t.put("text", cut(mrkdwn, SECTION_MAX));
  }

  private static void fields(ArrayNode blocks, List<String> mrkdwn) {
    ObjectNode s = blocks.addObject();
    s.put("type", "section");
    ArrayNode f = s.putArray("fields");
    for (String m : mrkdwn) {
      ObjectNode t = f.addObject();
      t.put("type", "mrkdwn");
      t.put("text", cut(m, 2000));
    }
  }

  private static void context(ArrayNode blocks, String mrkdwn) {
    ObjectNode c = blocks.addObject();
    c.put("type", "context");
    ObjectNode t = c.putArray("elements").addObject();
    t.put("type", "mrkdwn");
    t.put("text", cut(mrkdwn, SECTION_MAX));
  }

  private record Button(String label, Optional<String> url, String style) {}

  private static Button button(String label, String url, String style) {
    return new Button(label, Text.safeUrl(url), style);
  }

  private static void buttons(ArrayNode blocks, Notification n, List<Button> buttons) {
    List<Button> usable = buttons.stream().filter(b -> b.url().isPresent()).toList();
    if (usable.isEmpty()) {
      return;
    }
    ObjectNode a = blocks.addObject();
    a.put("type", "actions");
    // block ids are unique per message; the action id ties clicks to the remediation action
    a.put("block_id", "pitcrew-links");
    ArrayNode elements = a.putArray("elements");
    int i = 0;
    for (Button b : usable) {
      ObjectNode e = elements.addObject();
      e.put("type", "button");
      ObjectNode t = e.putObject("text");
      t.put("type", "plain_text");
      t.put("text", b.label());
      t.put("emoji", true);
      e.put("url", b.url().get());
      e.put("action_id", cut("pitcrew-" + i++ + "-" + Text.clean(n.actionId(), 200, true), 255));
      if (b.style() != null) {
        e.put("style", b.style());
      }
    }
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
