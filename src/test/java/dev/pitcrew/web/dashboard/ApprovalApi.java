package dev.pitcrew.web.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The two write endpoints of docs/contracts.md that the dashboard's buttons call, {@code POST
 * /api/actions/{id}/approve|reject} behind {@code Authorization: Bearer}, over the same real
 * database. The service's JSON API is built on another branch; the browser test exercises the
 * page's side of that contract against this.
 */
final class ApprovalApi {
  private ApprovalApi() {}

  static Consumer<JavalinConfig> routes(DataSource db, String token) {
    return cfg -> {
      cfg.routes.post("/api/actions/{id}/approve", ctx -> decide(ctx, db, token, "remediating"));
      cfg.routes.post("/api/actions/{id}/reject", ctx -> decide(ctx, db, token, "skipped"));
    };
  }

  private static void decide(Context ctx, DataSource db, String token, String next)
      throws Exception {
    if (!("Bearer " + token).equals(ctx.header("Authorization"))) {
      ctx.status(401).json(Map.of("status", "refused", "reason", "wrong API token"));
      return;
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE actions SET status = ? WHERE action_id = ? AND status = 'awaiting_approval'")) {
      ps.setString(1, next);
      ps.setString(2, ctx.pathParam("id"));
      if (ps.executeUpdate() == 0) {
        ctx.status(409).json(Map.of("status", "conflict", "reason", "not awaiting approval"));
        return;
      }
    }
    ctx.json(Map.of("status", next));
  }
}
