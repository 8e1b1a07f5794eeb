package dev.pitcrew.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import dev.pitcrew.forge.http.Sleeper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A loopback GitHub API that knows one repository's workflow runs, answering {@code GET
 * /repos/{owner}/{repo}/actions/runs} (with {@code status}, {@code created}, {@code page}) from the
 * documented example of {@code actions/list-workflow-runs-for-repo}, and single runs and their
 * (empty) job lists for the incident workflow that follows. Every request is recorded, so a test
 * can check it against the OpenAPI description.
 */
public final class RunsListServer implements AutoCloseable {
  /** A recorded request: path below the API base and decoded query. */
  public record Call(String method, String path, Map<String, String> query) {}

  private final HttpServer server;
  private final String owner;
  private final String repo;
  private final List<ObjectNode> runs = new CopyOnWriteArrayList<>();
  public final List<Call> calls = new CopyOnWriteArrayList<>();

  public RunsListServer(String owner, String repo) throws IOException {
    this.owner = owner;
    this.repo = repo;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  public URI apiBase() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + GitHubSim.PREFIX);
  }

  /** A GitHubForge for github.com whose API is this server. */
  public GitHubForge forge() {
    return new GitHubForge(
        apiBase(),
        "github.com",
        GitHubAuth.token("ghp_test_token_for_loopback"),
        new ForgeHttp(
            "github",
            ForgeHttp.defaultClient(),
            HttpPolicy.defaults(),
            Clock.systemUTC(),
            Sleeper.REAL),
        1 << 20);
  }

  /** Adds a completed run from the documented list example, created at {@code createdAt}. */
  public ObjectNode addRun(long id, int attempt, String conclusion, String createdAt) {
    ObjectNode run =
        (ObjectNode)
            GitHubSim.example("actions/list-workflow-runs-for-repo")
                .path("workflow_runs")
                .get(0)
                .deepCopy();
    run.put("id", id);
    run.put("run_attempt", attempt);
    run.put("status", "completed");
    run.put("conclusion", conclusion);
    run.put("created_at", createdAt);
    run.put("updated_at", createdAt);
    run.put("html_url", "https://github.com/" + owner + "/" + repo + "/actions/runs/" + id);
    ObjectNode r = (ObjectNode) run.get("repository");
    r.put("full_name", owner + "/" + repo);
    r.put("name", repo);
    r.put("html_url", "https://github.com/" + owner + "/" + repo);
    ObjectNode head = (ObjectNode) run.get("head_repository");
    head.put("full_name", owner + "/" + repo);
    runs.add(run);
    return run;
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath().substring(GitHubSim.PREFIX.length());
    Map<String, String> q = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        q.put(
            URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    calls.add(new Call(ex.getRequestMethod(), path, q));
    String base = "/repos/" + owner + "/" + repo + "/actions/runs";
    if (path.equals(base)) {
      send(ex, 200, list(q));
      return;
    }
    if (path.matches(base + "/\\d+(/attempts/\\d+)?")) {
      String id = path.substring(base.length() + 1).split("/")[0];
      for (ObjectNode r : runs) {
        if (r.path("id").asText().equals(id)) {
          send(ex, 200, r);
          return;
        }
      }
    }
    if (path.matches(base + "/\\d+(/attempts/\\d+)?/jobs")) {
      ObjectNode empty = GitHubSim.JSON.createObjectNode();
      empty.put("total_count", 0);
      empty.putArray("jobs");
      send(ex, 200, empty);
      return;
    }
    byte[] b = "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(404, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  private JsonNode list(Map<String, String> q) {
    String status = q.get("status");
    String created = q.getOrDefault("created", "");
    int perPage = Integer.parseInt(q.getOrDefault("per_page", "30"));
    int page = Integer.parseInt(q.getOrDefault("page", "1"));
    List<ObjectNode> match = new ArrayList<>();
    for (ObjectNode r : runs.reversed()) {
      if (status != null && !status.equals(r.path("conclusion").asText())) {
        continue;
      }
      if (created.startsWith(">=")
          && r.path("created_at").asText().compareTo(created.substring(2)) < 0) {
        continue;
      }
      match.add(r);
    }
    ObjectNode out = GitHubSim.JSON.createObjectNode();
    out.put("total_count", match.size());
    ArrayNode arr = out.putArray("workflow_runs");
    for (int i = (page - 1) * perPage; i < Math.min(match.size(), page * perPage); i++) {
      arr.add(match.get(i));
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
