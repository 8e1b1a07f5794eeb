package dev.pitcrew.web.dashboard;

import static dev.pitcrew.web.dashboard.Html.text;

import dev.pitcrew.playbook.Playbook;
import dev.pitcrew.playbook.PlaybookCatalog;
import dev.pitcrew.web.dashboard.DashboardData.PlaybookStats;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code GET /playbooks}: which playbooks earn their keep, from live outcomes in the store. */
final class PlaybooksPage {
  private PlaybooksPage() {}

  static String render(DashboardData data, Optional<PlaybookCatalog> catalog) {
    List<PlaybookStats> used = data.playbooks();
    Set<String> seen = new HashSet<>();
    used.forEach(p -> seen.add(p.playbookId()));
    List<Playbook> unused =
        catalog
            .map(c -> c.all().stream().filter(p -> !seen.contains(p.id())).toList())
            .orElse(List.of());
    String body =
        "<section class=\"card wide\"><h1>Playbooks</h1><p class=\"muted\">Success rate: runs"
            + " that passed after the playbook's fix, among its actions that have ended.</p>"
            + table(used, unused, catalog)
            + "</section>";
    return Layout.page("Playbooks", "/playbooks", body, false);
  }

  static String table(
      List<PlaybookStats> used, List<Playbook> unused, Optional<PlaybookCatalog> catalog) {
    if (used.isEmpty() && unused.isEmpty()) {
      return "<p class=\"empty\">No playbook has been used yet.</p>";
    }
    StringBuilder b = new StringBuilder();
    b.append("<div class=\"table-wrap\"><table class=\"playbooks\"><thead><tr><th>Playbook</th>")
        .append("<th>Category</th><th>Used</th><th>Success rate</th></tr></thead><tbody>");
    for (PlaybookStats p : used) {
      Optional<Playbook> known = catalog.flatMap(c -> c.get(p.playbookId()));
      b.append("<tr><td><span class=\"pb-id\">")
          .append(text(p.playbookId()))
          .append("</span>")
          .append(
              known.map(k -> "<br><span class=\"muted\">" + text(k.title()) + "</span>").orElse(""))
          .append("</td><td>")
          .append(text(p.category()))
          .append("</td><td>")
          .append(String.format("%,d", p.used()))
          .append("</td><td><progress max=\"100\" value=\"")
          .append(p.successRate().map(r -> Math.round(r * 100)).orElse(0L))
          .append("\"></progress> ")
          .append(Html.percent(p.successRate()))
          .append("</td></tr>");
    }
    for (Playbook p : unused) {
      b.append("<tr class=\"unused\"><td><span class=\"pb-id\">")
          .append(text(p.id()))
          .append("</span><br><span class=\"muted\">")
          .append(text(p.title()))
          .append("</span></td><td>")
          .append(text(p.category().wire()))
          .append("</td><td>0</td><td>—</td></tr>");
    }
    return b.append("</tbody></table></div>").toString();
  }
}
