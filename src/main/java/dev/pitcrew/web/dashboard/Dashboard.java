package dev.pitcrew.web.dashboard;

import dev.pitcrew.playbook.PlaybookCatalog;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's routes: {@code GET /}, {@code /actions}, {@code /actions/{id}}, {@code
 * /playbooks} and the assets under {@code /assets/dashboard/}. The pages are read-only; the approve
 * and reject buttons call the JSON API from the browser with the API token the user pastes into the
 * page (ADR 0011), so the pages never hold or set a credential themselves.
 */
public final class Dashboard {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

  /** Scripts and styles only from this server; no inline script, no framing, no form posts. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String RES = "/dev/pitcrew/web/dashboard/";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Map<String, Asset> ASSETS =
      Map.of(
          "dashboard.css", new Asset(RES + "dashboard.css", "text/css; charset=utf-8"),
          "dashboard.js", new Asset(RES + "dashboard.js", "text/javascript; charset=utf-8"),
          "favicon.svg", new Asset(RES + "favicon.svg", "image/svg+xml"),
          "uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"),
          "uPlot.iife.min.js",
              new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));

  private final DashboardData data;
  private final Optional<PlaybookCatalog> catalog;
  private final Map<String, byte[]> assetBytes;

  public Dashboard(DashboardData data, Optional<PlaybookCatalog> catalog) {
    this.data = data;
    this.catalog = catalog;
    // read once at start-up: a missing asset is a packaging error, and should fail here
    this.assetBytes =
        ASSETS.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, e -> read(e.getValue().resource())));
  }

  /** The dashboard over the service's database, with the service's minutes-saved figures. */
  public static Dashboard over(
      javax.sql.DataSource db,
      java.time.Clock clock,
      Map<String, Double> minutesSaved,
      PlaybookCatalog playbooks) {
    return new Dashboard(
        new SqlDashboardData(db, clock, dev.pitcrew.metrics.TimeSaved.fromMinutes(minutesSaved)),
        Optional.of(playbooks));
  }

  /** One registration call for the service's Javalin app. */
  public Consumer<JavalinConfig> routes() {
    return cfg -> {
      cfg.routes.get("/", ctx -> page(ctx, () -> OverviewPage.render(data, catalog)));
      cfg.routes.get("/actions", ctx -> page(ctx, () -> ActionsPage.render(data, pageParam(ctx))));
      cfg.routes.get(
          "/actions/{id}",
          ctx ->
              page(
                  ctx,
                  () ->
                      data.action(ctx.pathParam("id"))
                          .map(ActionPage::render)
                          .orElseThrow(
                              () ->
                                  new NotFound(
                                      "There is no action '"
                                          + ctx.pathParam("id")
                                          + "'. It may have been removed; see the list of"
                                          + " actions."))));
      cfg.routes.get("/playbooks", ctx -> page(ctx, () -> PlaybooksPage.render(data, catalog)));
      cfg.routes.get("/assets/dashboard/{file}", this::asset);
    };
  }

  /** Renders {@code /} as the server would, for the benchmark. */
  public String renderOverview() {
    return OverviewPage.render(data, catalog);
  }

  private static int pageParam(Context ctx) {
    String p = ctx.queryParam("page");
    if (p == null || p.isBlank()) {
      return 1;
    }
    try {
      int n = Integer.parseInt(p.strip());
      if (n >= 1 && n <= 1_000_000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new BadRequest("page must be a whole number from 1, not '" + p + "'");
  }

  private static void page(Context ctx, Supplier<String> render) {
    headers(ctx);
    ctx.header("Cache-Control", "no-store");
    try {
      ctx.html(render.get());
    } catch (BadRequest e) {
      ctx.status(400).html(problem("Bad request", e.getMessage()));
    } catch (NotFound e) {
      ctx.status(404).html(problem("Not found", e.getMessage()));
    } catch (SqlDashboardData.DashboardUnavailable e) {
      LOG.warn("dashboard: {}", e.getMessage());
      ctx.status(503)
          .header("Retry-After", "5")
          .html(problem("Unavailable", "The database cannot answer right now; retry shortly."));
    }
  }

  private void asset(Context ctx) {
    String name = ctx.pathParam("file");
    byte[] body = assetBytes.get(name);
    headers(ctx);
    if (body == null) {
      ctx.status(404).contentType("text/plain; charset=utf-8").result("no such asset");
      return;
    }
    ctx.header("Cache-Control", "public, max-age=3600")
        .contentType(ASSETS.get(name).contentType())
        .result(body);
  }

  private static void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Frame-Options", "DENY");
  }

  private static String problem(String title, String message) {
    return Layout.page(
        title,
        "",
        "<section class=\"card wide\"><h1>"
            + Html.text(title)
            + "</h1><p>"
            + Html.text(message)
            + "</p><p><a href=\"/\">Back to the overview</a></p></section>",
        false);
  }

  private static byte[] read(String resource) {
    try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "dashboard asset " + resource + " is missing from the classpath; rebuild the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Asset(String resource, String contentType) {}

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String m) {
      super(m);
    }
  }

  private static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String m) {
      super(m);
    }
  }
}
