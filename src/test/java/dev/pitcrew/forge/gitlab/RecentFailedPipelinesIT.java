package dev.pitcrew.forge.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import dev.pitcrew.forge.http.Sleeper;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GitLabForge#recentFailedRuns} against a loopback GitLab API answering in the shapes of
 * GitLab's REST documentation (projects, "List project pipelines", "Get a single pipeline").
 */
class RecentFailedPipelinesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  HttpServer server;
  final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getRawPath();
          String query = ex.getRequestURI().getRawQuery();
          requests.add(path + (query == null ? "" : "?" + query));
          Object body;
          if (path.equals("/api/v4/projects/gitlab-org%2Fgitlab-test")) {
            ObjectNode p = JSON.createObjectNode();
            p.put("id", 1);
            p.put("path_with_namespace", "gitlab-org/gitlab-test");
            p.put("web_url", "http://192.168.64.1:3005/gitlab-org/gitlab-test");
            p.put("default_branch", "master");
            body = p;
          } else if (path.equals("/api/v4/projects/1/pipelines")) {
            ArrayNode a = JSON.createArrayNode();
            a.add(listed(31, "failed"));
            a.add(listed(30, "failed"));
            body = a;
          } else if (path.equals("/api/v4/projects/1/pipelines/31")) {
            body = single(31, "failed");
          } else if (path.equals("/api/v4/projects/1/pipelines/30")) {
            body = single(30, "running"); // retried since it was listed
          } else {
            body = JSON.createObjectNode().put("message", "404 Not Found");
          }
          byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(body.toString().contains("404 Not Found") ? 404 : 200, b.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static ObjectNode listed(long id, String status) {
    ObjectNode p = JSON.createObjectNode();
    p.put("id", id);
    p.put("iid", id);
    p.put("project_id", 1);
    p.put("sha", "bcbb5ec396a2c0f828686f14fac9b80b780504f2");
    p.put("ref", "master");
    p.put("status", status);
    p.put("source", "push");
    p.put("created_at", "2026-11-29T09:00:00.000Z");
    p.put("updated_at", "2026-11-29T09:10:00.000Z");
    p.put("web_url", "http://192.168.64.1:3005/gitlab-org/gitlab-test/-/pipelines/" + id);
    return p;
  }

  static ObjectNode single(long id, String status) {
    ObjectNode p = listed(id, status);
    p.put("finished_at", "2026-11-29T09:10:00.000Z");
    ObjectNode user = p.putObject("user");
    user.put("id", 1);
    user.put("username", "root");
    user.put("name", "Administrator");
    return p;
  }

  GitLabForge forge() {
    URI api = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v4");
    return new GitLabForge(
        api,
        "192.168.64.1:3005",
        "glpat-test-token",
        new ForgeHttp(
            "gitlab",
            ForgeHttp.defaultClient(),
            HttpPolicy.defaults(),
            Clock.systemUTC(),
            Sleeper.REAL),
        1 << 20);
  }

  @Test
  void listsFailedPipelinesWithTheKeyAndActorOfTheirPipelineHook() throws Exception {
    RepoRef repo = new RepoRef(Provider.GITLAB, "192.168.64.1:3005", "gitlab-org/gitlab-test");

    List<CiEvent.RunFailed> runs =
        forge().recentFailedRuns(repo, Instant.parse("2026-11-29T08:00:00Z"));

    assertThat(runs)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.run().runId()).isEqualTo("31");
              assertThat(f.actor()).isEqualTo("root");
              assertThat(f.branch()).isEqualTo("master");
            });
    assertThat(requests.get(1))
        .startsWith("/api/v4/projects/1/pipelines?")
        .contains("status=failed")
        .contains("updated_after=2026-11-29T08%3A00%3A00Z");
    CiEvent hook = GitLabEvents.normalise(Payloads.pipeline("failed"));
    assertThat(hook.run().key()).isEqualTo(runs.get(0).run().key());
  }
}
