package dev.pitcrew.web.dashboard;

import static dev.pitcrew.web.dashboard.Html.text;

import dev.pitcrew.web.dashboard.DashboardData.ActionDetail;
import dev.pitcrew.web.dashboard.DashboardData.ActionRow;
import dev.pitcrew.web.dashboard.DashboardData.AuditEntry;
import dev.pitcrew.web.dashboard.DashboardData.EvidenceLine;
import dev.pitcrew.web.dashboard.DashboardData.StepResult;
import java.util.Locale;

/** {@code GET /actions/{id}}: what broke, the lines that show it, what was done, who decided. */
final class ActionPage {
  private ActionPage() {}

  static String render(ActionDetail d) {
    ActionRow r = d.row();
    StringBuilder b = new StringBuilder(8192);
    b.append("<section class=\"card wide\" id=\"action\"><h1>")
        .append(text(r.repository()))
        .append(" <span class=\"muted\">")
        .append(text(r.branch()))
        .append("</span></h1><p class=\"cause lead\">")
        .append(text(r.rootCause()))
        .append("</p><dl class=\"facts\">")
        .append(fact("Action", text(r.actionId())))
        .append(fact("Received", Html.when(r.createdAt())))
        .append(fact("Category", text(r.category())))
        .append(fact("Risk", text(r.riskLevel())))
        .append(
            fact(
                "Confidence",
                d.confidence().map(c -> String.format(Locale.ROOT, "%.2f", c)).orElse("—")))
        .append(fact("Playbook", r.playbook().isEmpty() ? "—" : text(r.playbook())))
        .append(fact("Status", text(r.status())))
        .append(fact("Outcome", text(r.outcome())))
        .append(fact("Attempt", String.valueOf(d.attempt())))
        .append(fact("Time to fix", Html.seconds(d.timeToFixSeconds())))
        .append(fact("Pipeline", Html.link(d.pipelineUrl(), "#" + r.pipelineId())))
        .append(fact("Commit", d.commitSha().map(Html::text).orElse("—")))
        .append(
            fact(
                "New pipeline",
                Html.link(d.newPipelineUrl(), d.newPipelineStatus().orElse("open"))))
        .append(fact("Pull request", Html.link(d.pullRequestUrl(), "open")))
        .append(fact("Incident", Html.link(d.incidentUrl(), "open")))
        .append(fact("Developer notified", d.userNotified() ? "yes" : "no"))
        .append("</dl>");
    if ("awaiting_approval".equals(r.status())) {
      b.append("<div class=\"decide-one\">")
          .append(Layout.approvals(java.util.List.of(r)))
          .append("</div>");
    }
    b.append("</section>");

    b.append("<section class=\"card wide\" id=\"evidence\"><h2>Evidence</h2>");
    if (d.evidence().isEmpty()) {
      b.append("<p class=\"empty\">No evidence lines were recorded.</p>");
    } else {
      b.append("<ol class=\"evidence\">");
      for (EvidenceLine e : d.evidence()) {
        b.append("<li><span class=\"ln\">")
            .append(e.line() > 0 ? "line " + e.line() : "")
            .append("</span><code>")
            .append(text(e.text()))
            .append("</code></li>");
      }
      b.append("</ol>");
    }
    b.append("</section>");

    b.append("<section class=\"card wide\" id=\"steps\"><h2>Remediation steps</h2>");
    if (d.steps().isEmpty()) {
      b.append("<p class=\"empty\">No step has run.</p>");
    } else {
      b.append("<div class=\"table-wrap\"><table><thead><tr><th>Step</th><th>Result</th>")
          .append("<th>Took</th><th>Detail</th></tr></thead><tbody>");
      for (StepResult s : d.steps()) {
        b.append("<tr><td>")
            .append(text(s.step()))
            .append("</td><td>")
            .append(text(s.result()))
            .append("</td><td class=\"nowrap\">")
            .append(Html.seconds(s.durationSeconds()))
            .append("</td><td class=\"cause\">")
            .append(text(s.detail()))
            .append("</td></tr>");
      }
      b.append("</tbody></table></div>");
    }
    b.append("</section>");

    b.append("<section class=\"card wide\" id=\"audit\"><h2>Audit trail</h2>");
    if (d.audit().isEmpty()) {
      b.append("<p class=\"empty\">No audit entries.</p>");
    } else {
      b.append("<div class=\"table-wrap\"><table><thead><tr><th>#</th><th>When</th>")
          .append("<th>Who</th><th>Event</th><th>Detail</th></tr></thead><tbody>");
      for (AuditEntry a : d.audit()) {
        b.append("<tr><td>")
            .append(a.seq())
            .append("</td><td class=\"nowrap\">")
            .append(Html.when(a.at()))
            .append("</td><td>")
            .append(text(a.actor()))
            .append("</td><td>")
            .append(text(a.event()))
            .append("</td><td class=\"cause\"><code>")
            .append(text(a.detail()))
            .append("</code></td></tr>");
      }
      b.append("</tbody></table></div>");
    }
    b.append("</section>");
    return Layout.page(
        "Action " + r.actionId(), "/actions", "<div class=\"grid\">" + b + "</div>", false);
  }

  private static String fact(String label, String htmlValue) {
    return "<div><dt>" + text(label) + "</dt><dd>" + htmlValue + "</dd></div>";
  }
}
