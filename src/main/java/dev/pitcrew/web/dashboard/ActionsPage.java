package dev.pitcrew.web.dashboard;

import dev.pitcrew.web.dashboard.DashboardData.ActionRow;
import dev.pitcrew.web.dashboard.DashboardData.Page;

/** {@code GET /actions?page=N}: every action, newest first, a page at a time. */
final class ActionsPage {
  static final int SIZE = 25;

  private ActionsPage() {}

  static String render(DashboardData data, int page) {
    Page<ActionRow> p = data.recentActions(page, SIZE);
    StringBuilder b = new StringBuilder();
    b.append("<section class=\"card wide\"><h1>Actions</h1><p class=\"muted\">")
        .append(String.format("%,d", p.total()))
        .append(" actions · page ")
        .append(p.page())
        .append(" of ")
        .append(p.pages())
        .append("</p>")
        .append(Layout.actionsTable(p.rows(), page == 1 ? "No actions yet." : "No actions here."))
        .append("<nav class=\"pager\" aria-label=\"Pages\">");
    if (page > 1) {
      b.append("<a rel=\"prev\" href=\"/actions?page=").append(page - 1).append("\">Newer</a>");
    }
    if (page < p.pages()) {
      b.append("<a rel=\"next\" href=\"/actions?page=").append(page + 1).append("\">Older</a>");
    }
    b.append("</nav></section>");
    return Layout.page("Actions", "/actions", b.toString(), false);
  }
}
