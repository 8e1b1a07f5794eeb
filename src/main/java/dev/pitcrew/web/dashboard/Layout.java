package dev.pitcrew.web.dashboard;

import static dev.pitcrew.web.dashboard.Html.attr;
import static dev.pitcrew.web.dashboard.Html.segment;
import static dev.pitcrew.web.dashboard.Html.text;

import dev.pitcrew.web.dashboard.DashboardData.ActionRow;
import java.util.List;

/** The page shell and the fragments that several pages share. */
final class Layout {
  static final String ASSETS = "/assets/dashboard/";

  private Layout() {}

  /** A whole page: the scripts are files of ours (the CSP forbids inline script). */
  static String page(String title, String current, String body, boolean charts) {
    StringBuilder b = new StringBuilder(8192);
    b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(text(title))
        .append(" · Pitcrew</title>")
        .append("<link rel=\"icon\" href=\"" + ASSETS + "favicon.svg\" type=\"image/svg+xml\">")
        .append("<link rel=\"stylesheet\" href=\"" + ASSETS + "dashboard.css\">");
    if (charts) {
      b.append("<link rel=\"stylesheet\" href=\"" + ASSETS + "uPlot.min.css\">")
          .append("<script src=\"" + ASSETS + "uPlot.iife.min.js\" defer></script>");
    }
    b.append("<script src=\"" + ASSETS + "dashboard.js\" defer></script>")
        .append("</head><body><header class=\"top\"><a class=\"brand\" href=\"/\">Pitcrew</a>")
        .append("<nav>")
        .append(nav("/", "Overview", current))
        .append(nav("/actions", "Actions", current))
        .append(nav("/playbooks", "Playbooks", current))
        .append("</nav></header><main>")
        .append(body)
        .append("</main></body></html>\n");
    return b.toString();
  }

  private static String nav(String href, String label, String current) {
    return "<a href=\""
        + href
        + "\""
        + (href.equals(current) ? " aria-current=\"page\"" : "")
        + ">"
        + label
        + "</a>";
  }

  /** A table of actions; each row links to its detail page. */
  static String actionsTable(List<ActionRow> rows, String empty) {
    if (rows.isEmpty()) {
      return "<p class=\"empty\">" + text(empty) + "</p>";
    }
    StringBuilder b = new StringBuilder();
    b.append("<div class=\"table-wrap\"><table class=\"actions\"><thead><tr>")
        .append("<th>When</th><th>Repository</th><th>Category</th><th>Root cause</th>")
        .append("<th>Status</th><th>Outcome</th></tr></thead><tbody>");
    for (ActionRow r : rows) {
      b.append("<tr><td class=\"nowrap\"><a href=\"/actions/")
          .append(segment(r.actionId()))
          .append("\">")
          .append(Html.when(r.createdAt()))
          .append("</a></td><td>")
          .append(text(r.repository()))
          .append(
              r.branch().isEmpty() ? "" : " <span class=\"muted\">" + text(r.branch()) + "</span>")
          .append("</td><td><span class=\"cat cat-")
          .append(attr(cssToken(r.category())))
          .append("\">")
          .append(text(r.category()))
          .append("</span></td><td class=\"cause\">")
          .append(text(r.rootCause()));
      r.firstEvidence()
          .ifPresent(
              e -> b.append("<code class=\"evidence-line\">").append(text(e)).append("</code>"));
      b.append("</td><td>")
          .append(text(r.status()))
          .append("</td><td><span class=\"outcome outcome-")
          .append(attr(cssToken(r.outcome())))
          .append("\">")
          .append(text(r.outcome()))
          .append("</span></td></tr>");
    }
    return b.append("</tbody></table></div>").toString();
  }

  /** Pending approvals with their buttons, and the field that holds the API token in this tab. */
  static String approvals(List<ActionRow> rows) {
    StringBuilder b = new StringBuilder();
    b.append("<form class=\"token\" id=\"token-form\" autocomplete=\"off\">")
        .append("<label for=\"api-token\">API token</label>")
        .append("<input type=\"password\" id=\"api-token\" name=\"api-token\"")
        .append(" placeholder=\"PITCREW_API_TOKEN\" spellcheck=\"false\">")
        .append("<button type=\"submit\">Use for this tab</button>")
        .append("<button type=\"button\" id=\"forget-token\">Forget</button></form>")
        .append(
            "<p id=\"approval-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>");
    b.append("<p class=\"empty\" id=\"no-approvals\"")
        .append(rows.isEmpty() ? "" : " hidden")
        .append(">Nothing is waiting for approval.</p>");
    if (rows.isEmpty()) {
      return b.toString();
    }
    b.append("<div class=\"table-wrap\"><table class=\"approvals\"><thead><tr>")
        .append("<th>Since</th><th>Repository</th><th>Risk</th><th>Root cause</th>")
        .append("<th>Decide</th></tr></thead><tbody>");
    for (ActionRow r : rows) {
      b.append("<tr data-action-id=\"")
          .append(attr(r.actionId()))
          .append("\"><td class=\"nowrap\"><a href=\"/actions/")
          .append(segment(r.actionId()))
          .append("\">")
          .append(Html.when(r.createdAt()))
          .append("</a></td><td>")
          .append(text(r.repository()))
          .append("</td><td><span class=\"risk risk-")
          .append(attr(cssToken(r.riskLevel())))
          .append("\">")
          .append(text(r.riskLevel()))
          .append("</span></td><td class=\"cause\">")
          .append(text(r.rootCause()))
          .append("</td><td class=\"decide\">")
          .append(decisionButtons(r.actionId()))
          .append("</td></tr>");
    }
    return b.append("</tbody></table></div>").toString();
  }

  static String decisionButtons(String actionId) {
    return "<button type=\"button\" class=\"approve\" data-decision=\"approve\" data-action-id=\""
        + attr(actionId)
        + "\">Approve</button> <button type=\"button\" class=\"reject\" data-decision=\"reject\""
        + " data-action-id=\""
        + attr(actionId)
        + "\">Reject</button>";
  }

  /** A class-name-safe token: values from the store never shape the CSS beyond [a-z0-9-]. */
  static String cssToken(String s) {
    String t = s == null ? "" : s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "");
    return t.isEmpty() ? "none" : t;
  }
}
