package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.web.dashboard.TestStore.Action;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pages over HTTP from a real server, with log text written by an attacker in the store. */
class DashboardPagesIT {
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  static final String HOSTILE_REPO = "<script>alert('repo')</script>";
  static final String HOSTILE_CAUSE = "\"><img src=x onerror=alert(1)>";
  static final String HOSTILE_EVIDENCE =
      "[{\"line\": 7, \"text\": \"</script><script>alert(2)</script>\"},"
          + " {\"line\": 8, \"text\": \"<a href=javascript:alert(3)>click</a> &amp; \\u001b[31m\"}]";

  static Javalin app;
  static String base;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    TestStore store = TestStore.h2();
    store.insert(
        Action.of(
                "ra-evil",
                NOW.minus(Duration.ofMinutes(5)),
                "dependency",
                "awaiting_approval",
                "pending")
            .withText(HOSTILE_REPO, HOSTILE_CAUSE, HOSTILE_EVIDENCE, "h\"><b>"),
        Action.of("ra-ok", NOW.minus(Duration.ofHours(3)), "test", "succeeded", "success"));
    store.audit(1, "ra-evil", NOW, "<svg onload=alert(4)>", "diagnosed", "<iframe src=//x>");
    store.seedMany(60, NOW.minus(Duration.ofDays(1)), 7);
    Dashboard d =
        new Dashboard(
            new SqlDashboardData(store.db, Clock.fixed(NOW, ZoneOffset.UTC), TestStore.EFFORT),
            Optional.empty());
    app = Javalin.create(cfg -> d.routes().accept(cfg)).start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port();
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void overviewShowsEverySectionWithStrictHeaders() throws Exception {
    var r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> v.startsWith("text/html"));
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            v -> assertThat(v).contains("script-src 'self'").doesNotContain("unsafe"));
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.body())
        .contains("<meta name=\"viewport\"")
        .contains("id=\"trend-chart\"", "id=\"categories\"", "id=\"success\"", "id=\"approvals\"")
        .contains("id=\"recent\"", "id=\"playbooks\"", "Time saved")
        .contains("All 62 actions");
  }

  @Test
  void hostileLogTextIsShownAsTextNeverAsMarkup() throws Exception {
    for (String path : new String[] {"/", "/actions", "/actions/ra-evil"}) {
      String body = get(path).body();
      assertThat(body)
          .as(path)
          .doesNotContain(
              "<script>alert", "<img src=x", "<svg", "<iframe", "<b>", "<a href=javascript")
          .contains("&lt;script&gt;alert(&#39;repo&#39;)&lt;/script&gt;");
      // only our own three kinds of script element: uPlot, dashboard.js, the JSON data block
      Matcher m = Pattern.compile("<script").matcher(body);
      int scripts = 0;
      while (m.find()) {
        scripts++;
      }
      assertThat(scripts).as(path).isLessThanOrEqualTo(3);
    }
    String detail = get("/actions/ra-evil").body();
    assertThat(detail)
        .contains("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;")
        .contains("&lt;a href=javascript:alert(3)&gt;click&lt;/a&gt; &amp;amp; \uFFFD[31m")
        .contains("&lt;svg onload=alert(4)&gt;", "&lt;iframe src=//x&gt;")
        .contains("class=\"risk risk-hb\"");
  }

  @Test
  void pendingApprovalHasButtonsForItsAction() throws Exception {
    String body = get("/").body();
    assertThat(body)
        .contains("<tr data-action-id=\"ra-evil\">")
        .contains("data-decision=\"approve\" data-action-id=\"ra-evil\"")
        .contains("data-decision=\"reject\" data-action-id=\"ra-evil\"");
    assertThat(get("/actions/ra-evil").body()).contains("data-decision=\"approve\"");
    assertThat(get("/actions/ra-ok").body()).doesNotContain("data-decision=\"approve\"");
  }

  @Test
  void pagesThroughActions() throws Exception {
    String first = get("/actions").body();
    assertThat(first).contains("62 actions · page 1 of 3").contains("href=\"/actions?page=2\"");
    String last = get("/actions?page=3").body();
    assertThat(last)
        .contains("page 3 of 3")
        .contains("href=\"/actions?page=2\"")
        .doesNotContain("page=4");
  }

  @Test
  void badPageNumberAndUnknownActionGetClearAnswers() throws Exception {
    var bad = get("/actions?page=abc");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("page must be a whole number from 1, not &#39;abc&#39;");
    var missing = get("/actions/%3Cb%3Enope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("There is no action &#39;&lt;b&gt;nope&#39;");
  }

  @Test
  void servesItsAssetsFromTheJar() throws Exception {
    var js = get("/assets/dashboard/uPlot.iife.min.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    assertThat(js.body()).contains("uPlot");
    assertThat(get("/assets/dashboard/dashboard.css").body()).contains("@media (max-width: 700px)");
    assertThat(get("/assets/dashboard/..%2F..%2Fpom.xml").statusCode()).isEqualTo(404);
  }
}
