package dev.pitcrew.web.dashboard;

import static dev.pitcrew.web.dashboard.Html.percent;
import static dev.pitcrew.web.dashboard.Html.text;

import dev.pitcrew.playbook.PlaybookCatalog;
import dev.pitcrew.web.dashboard.DashboardData.CategoryStats;
import dev.pitcrew.web.dashboard.DashboardData.DayCount;
import dev.pitcrew.web.dashboard.DashboardData.PlaybookStats;
import dev.pitcrew.web.dashboard.DashboardData.TimeSaved;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** {@code GET /}: is auto-remediation paying off, and is anything waiting for me? */
final class OverviewPage {
  static final int TREND_DAYS = 30;
  static final int RECENT = 10;
  static final int PENDING = 50;
  static final int TOP_PLAYBOOKS = 8;

  private OverviewPage() {}

  static String render(DashboardData data, Optional<PlaybookCatalog> catalog) {
    List<DayCount> trend = data.failureTrend(TREND_DAYS);
    List<CategoryStats> cats = data.categories();
    TimeSaved saved = data.timeSaved();
    var pending = data.pendingApprovals(PENDING);
    var recent = data.recentActions(1, RECENT);
    List<PlaybookStats> playbooks = data.playbooks();

    long total = 0;
    long succeeded = 0;
    long ended = 0;
    for (CategoryStats c : cats) {
      total += c.total();
      succeeded += c.succeeded();
      ended += c.succeeded() + c.failed() + c.manual();
    }
    Optional<Double> overall =
        ended == 0 ? Optional.empty() : Optional.of((double) succeeded / ended);

    StringBuilder b = new StringBuilder(16384);
    b.append("<section class=\"tiles\" aria-label=\"Summary\">")
        .append(tile("Actions", String.format("%,d", total), "recorded"))
        .append(tile("Auto-fix success", percent(overall), succeeded + " of " + ended + " ended"))
        .append(
            "<div class=\"tile\" id=\"time-saved\" data-minutes=\""
                + dev.pitcrew.metrics.TimeSaved.minutes(saved.saved())
                + "\"><div class=\"tile-label\">Time saved</div><div class=\"tile-value\">"
                + text(Html.duration(saved.saved()))
                + "</div><div class=\"tile-note\">"
                + text(
                    saved.fixes()
                        + " automatic fixes in the last "
                        + dev.pitcrew.metrics.TimeSaved.WINDOW.toDays()
                        + " days, net of their run time")
                + "</div></div>")
        .append(tile("Awaiting approval", String.valueOf(pending.size()), "high-risk plans"))
        .append("</section>");

    b.append("<section class=\"card wide\" id=\"trend\"><h2>Failures per day</h2>")
        .append("<p class=\"muted\">Last ")
        .append(TREND_DAYS)
        .append(" days (UTC): every failure Pitcrew received, and those it fixed itself.</p>")
        .append(
            "<div id=\"trend-chart\" class=\"chart\" role=\"img\" aria-label=\"Failures per day")
        .append(" chart\"></div><script type=\"application/json\" id=\"trend-data\">")
        .append(Html.jsonInScript(trendJson(trend)))
        .append("</script>")
        .append("<details><summary>As a table</summary><div class=\"table-wrap\"><table>")
        .append("<thead><tr><th>Day</th><th>Failures</th><th>Fixed automatically</th></tr>")
        .append("</thead><tbody>");
    for (DayCount d : trend) {
      b.append("<tr><td>")
          .append(d.day())
          .append("</td><td>")
          .append(d.failures())
          .append("</td><td>")
          .append(d.autoFixed())
          .append("</td></tr>");
    }
    b.append("</tbody></table></div></details></section>");

    b.append("<section class=\"card\" id=\"categories\"><h2>Top failure categories</h2>");
    if (cats.isEmpty()) {
      b.append("<p class=\"empty\">No failures recorded yet.</p>");
    } else {
      long max = cats.get(0).total();
      b.append("<ul class=\"bars\">");
      for (CategoryStats c : cats) {
        b.append("<li><span class=\"label\">")
            .append(text(c.category()))
            .append("</span><progress max=\"")
            .append(max)
            .append("\" value=\"")
            .append(c.total())
            .append("\"></progress><span class=\"num\">")
            .append(String.format("%,d", c.total()))
            .append("</span></li>");
      }
      b.append("</ul>");
    }
    b.append("</section>");

    b.append("<section class=\"card\" id=\"success\"><h2>Success rate by category</h2>");
    if (cats.isEmpty()) {
      b.append("<p class=\"empty\">No failures recorded yet.</p>");
    } else {
      b.append("<div class=\"table-wrap\"><table><thead><tr><th>Category</th><th>Fixed</th>")
          .append("<th>Needed a person</th><th>Rate</th></tr></thead><tbody>");
      for (CategoryStats c : cats) {
        b.append("<tr><td>")
            .append(text(c.category()))
            .append("</td><td>")
            .append(c.succeeded())
            .append("</td><td>")
            .append(c.failed() + c.manual())
            .append("</td><td><progress max=\"100\" value=\"")
            .append(c.successRate().map(r -> Math.round(r * 100)).orElse(0L))
            .append("\"></progress> ")
            .append(percent(c.successRate()))
            .append("</td></tr>");
      }
      b.append("</tbody></table></div>");
    }
    b.append("</section>");

    b.append("<section class=\"card wide\" id=\"approvals\"><h2>Pending approvals</h2>")
        .append(Layout.approvals(pending))
        .append("</section>");

    b.append("<section class=\"card wide\" id=\"recent\"><h2>Recent actions</h2>")
        .append(Layout.actionsTable(recent.rows(), "No actions yet."))
        .append("<p><a href=\"/actions\">All ")
        .append(String.format("%,d", recent.total()))
        .append(" actions</a></p></section>");

    b.append("<section class=\"card wide\" id=\"playbooks\"><h2>Playbooks</h2>")
        .append(
            PlaybooksPage.table(
                playbooks.stream().limit(TOP_PLAYBOOKS).toList(), List.of(), catalog))
        .append("<p><a href=\"/playbooks\">Every playbook</a></p></section>");

    return Layout.page("Dashboard", "/", "<div class=\"grid\">" + b + "</div>", true);
  }

  private static String tile(String label, String value, String note) {
    return "<div class=\"tile\"><div class=\"tile-label\">"
        + text(label)
        + "</div><div class=\"tile-value\">"
        + text(value)
        + "</div><div class=\"tile-note\">"
        + text(note)
        + "</div></div>";
  }

  /** Columns for uPlot: x in epoch seconds, then the two series. Numbers only. */
  static String trendJson(List<DayCount> trend) {
    StringBuilder x = new StringBuilder("[");
    StringBuilder f = new StringBuilder("[");
    StringBuilder a = new StringBuilder("[");
    for (int i = 0; i < trend.size(); i++) {
      DayCount d = trend.get(i);
      String sep = i == 0 ? "" : ",";
      x.append(sep).append(d.day().atStartOfDay().toEpochSecond(ZoneOffset.UTC));
      f.append(sep).append(d.failures());
      a.append(sep).append(d.autoFixed());
    }
    return "{\"x\":" + x + "],\"failures\":" + f + "],\"fixed\":" + a + "]}";
  }
}
