package dev.pitcrew.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.forge.http.ForgeApiException;
import dev.pitcrew.forge.http.ForgeApiException.Kind;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A client of GitHub's MCP server (github/github-mcp-server, remote or self-hosted, over streamable
 * HTTP) for the Actions reads Pitcrew needs. Two generations of the server's tools are understood
 * (ADR 0012): the consolidated {@code actions_list} / {@code actions_get} with a {@code method}
 * argument, and the older one-tool-per-call {@code get_workflow_run}, {@code list_workflow_runs},
 * {@code list_workflow_jobs}; both have {@code get_job_logs}. Which one is used is decided from
 * {@code tools/list} when the session opens. Answers are the server's JSON (GitHub REST shapes),
 * read from the structured content when there is one, else from the text content.
 *
 * <p>The token goes in the {@code Authorization} header of each HTTP request and nowhere else.
 */
public final class GitHubMcp implements AutoCloseable {
  /** The two tool layouts GitHub's MCP server has shipped. */
  enum Tools {
    CONSOLIDATED,
    SINGLE
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 100;
  private static final int MAX_PAGES = 10;

  private final URI url;
  private final String token;
  private final Duration timeout;
  private McpSyncClient client;
  private Tools tools;

  /**
   * @param url the server's streamable-HTTP endpoint, e.g. {@code
   *     https://api.githubcopilot.com/mcp/} or {@code http://127.0.0.1:8100/mcp}
   * @param token a GitHub token the server acts with (sent as a bearer token), or null when the
   *     server holds its own
   */
  public GitHubMcp(URI url, String token, Duration timeout) {
    if (url.getScheme() == null
        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
        || url.getHost() == null) {
      throw new IllegalArgumentException(
          "PITCREW_GITHUB_MCP_URL must be an http(s) URL of the MCP endpoint, such as"
              + " https://api.githubcopilot.com/mcp/ (got '"
              + url
              + "')");
    }
    this.url = url;
    this.token = token == null || token.isBlank() ? null : token.strip();
    this.timeout = timeout;
  }

  public URI url() {
    return url;
  }

  /** Opens the session and reads the tool list, once. */
  synchronized Tools tools() throws IOException {
    if (tools != null) {
      return tools;
    }
    String base = url.getScheme() + "://" + url.getRawAuthority();
    String endpoint =
        url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      endpoint += "?" + url.getRawQuery();
    }
    HttpClientStreamableHttpTransport.Builder transport =
        HttpClientStreamableHttpTransport.builder(base)
            .endpoint(endpoint)
            .connectTimeout(Duration.ofSeconds(10));
    if (token != null) {
      String bearer = "Bearer " + token;
      transport.httpRequestCustomizer(
          (request, method, uri, body, context) -> request.header("Authorization", bearer));
    }
    McpSyncClient c =
        McpClient.sync(transport.build())
            .requestTimeout(timeout)
            .initializationTimeout(timeout)
            .clientInfo(new McpSchema.Implementation("pitcrew", "1"))
            .build();
    Set<String> names = new TreeSet<>();
    try {
      c.initialize();
      String cursor = null;
      for (int i = 0; i < 20; i++) {
        McpSchema.ListToolsResult page = cursor == null ? c.listTools() : c.listTools(cursor);
        page.tools().forEach(t -> names.add(t.name()));
        cursor = page.nextCursor();
        if (cursor == null || cursor.isEmpty()) {
          break;
        }
      }
    } catch (RuntimeException e) {
      c.close();
      throw unreachable(e);
    }
    Tools t;
    if (names.contains("actions_list") && names.contains("actions_get")) {
      t = Tools.CONSOLIDATED;
    } else if (names.contains("get_workflow_run") && names.contains("list_workflow_jobs")) {
      t = Tools.SINGLE;
    } else {
      c.close();
      throw new ForgeApiException(
          Kind.INVALID,
          0,
          "GitHub's MCP server at "
              + url
              + " offers no Actions tools (it lists "
              + names.size()
              + "): enable its 'actions' toolset (--toolsets or GITHUB_TOOLSETS on a self-hosted"
              + " server, the X-MCP-Toolsets header or the /x/actions path on the remote one)");
    }
    if (!names.contains("get_job_logs")) {
      c.close();
      throw new ForgeApiException(
          Kind.INVALID,
          0,
          "GitHub's MCP server at " + url + " has no get_job_logs tool: Pitcrew needs job logs");
    }
    this.client = c;
    this.tools = t;
    return t;
  }

  /** A workflow run as GitHub's REST API shapes it. */
  JsonNode workflowRun(String owner, String repo, String runId) throws IOException {
    JsonNode n =
        tools() == Tools.CONSOLIDATED
            ? call(
                "actions_get",
                args(owner, repo, "method", "get_workflow_run", "resource_id", runId))
            : call("get_workflow_run", args(owner, repo, "run_id", number(runId)));
    return n.has("workflow_run") && n.get("workflow_run").isObject() ? n.get("workflow_run") : n;
  }

  /** The jobs of a run: its latest attempt's, or every attempt's with {@code allAttempts}. */
  List<JsonNode> workflowJobs(String owner, String repo, String runId, boolean allAttempts)
      throws IOException {
    List<JsonNode> out = new ArrayList<>();
    String filter = allAttempts ? "all" : "latest";
    for (int page = 1; page <= MAX_PAGES; page++) {
      JsonNode n;
      if (tools() == Tools.CONSOLIDATED) {
        Map<String, Object> a =
            args(owner, repo, "method", "list_workflow_jobs", "resource_id", runId);
        a.put("workflow_jobs_filter", Map.of("filter", filter));
        a.put("page", page);
        a.put("perPage", PAGE);
        n = call("actions_list", a);
      } else {
        Map<String, Object> a = args(owner, repo, "run_id", number(runId), "filter", filter);
        a.put("page", page);
        a.put("perPage", PAGE);
        n = call("list_workflow_jobs", a);
      }
      JsonNode jobs = list(n, "workflow_jobs", "jobs");
      jobs.forEach(out::add);
      int total = total(n, "workflow_jobs", "jobs");
      if (jobs.size() < PAGE || (total > 0 && out.size() >= total)) {
        break;
      }
    }
    return out;
  }

  /** Completed runs of a workflow on a branch, newest first. */
  List<JsonNode> workflowRuns(String owner, String repo, String workflow, String branch)
      throws IOException {
    JsonNode n;
    if (tools() == Tools.CONSOLIDATED) {
      Map<String, Object> a =
          args(owner, repo, "method", "list_workflow_runs", "resource_id", workflow);
      a.put("workflow_runs_filter", Map.of("branch", branch, "status", "completed"));
      a.put("perPage", 20);
      n = call("actions_list", a);
    } else {
      Map<String, Object> a =
          args(owner, repo, "workflow_id", workflow, "branch", branch, "status", "completed");
      a.put("perPage", 20);
      n = call("list_workflow_runs", a);
    }
    List<JsonNode> out = new ArrayList<>();
    list(n, "workflow_runs", "workflow_runs").forEach(out::add);
    return out;
  }

  /** One job, when the server has a tool for it (the consolidated {@code actions_get}). */
  Optional<JsonNode> workflowJob(String owner, String repo, String jobId) throws IOException {
    if (tools() != Tools.CONSOLIDATED) {
      return Optional.empty();
    }
    JsonNode n =
        call("actions_get", args(owner, repo, "method", "get_workflow_job", "resource_id", jobId));
    return Optional.of(
        n.has("workflow_job") && n.get("workflow_job").isObject() ? n.get("workflow_job") : n);
  }

  /** The last {@code tailLines} lines of one job's log. */
  String jobLog(String owner, String repo, String jobId, int tailLines) throws IOException {
    tools();
    Map<String, Object> a = args(owner, repo, "job_id", number(jobId));
    a.put("return_content", true);
    a.put("tail_lines", tailLines);
    JsonNode n = call("get_job_logs", a);
    if (!n.has("logs_content")) {
      throw new ForgeApiException(
          Kind.INVALID,
          0,
          "GitHub's MCP server returned no log content for job " + jobId + ": " + message(n));
    }
    return n.get("logs_content").asText();
  }

  /**
   * The logs of a run's failed jobs in one call ({@code failed_only}): job id → the last lines.
   * Jobs the server could not read are left out.
   */
  Map<String, String> failedJobLogs(String owner, String repo, String runId, int tailLines)
      throws IOException {
    tools();
    Map<String, Object> a = args(owner, repo, "run_id", number(runId));
    a.put("failed_only", true);
    a.put("return_content", true);
    a.put("tail_lines", tailLines);
    JsonNode n = call("get_job_logs", a);
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode l : n.path("logs")) {
      if (l.has("logs_content")) {
        out.put(l.path("job_id").asText(), l.get("logs_content").asText());
      }
    }
    return out;
  }

  private JsonNode call(String tool, Map<String, Object> args) throws IOException {
    McpSchema.CallToolResult r;
    try {
      r = session().callTool(new McpSchema.CallToolRequest(tool, args));
    } catch (RuntimeException first) {
      // the server may have dropped the session (restart, expiry): open a new one, once
      reset();
      tools();
      try {
        r = session().callTool(new McpSchema.CallToolRequest(tool, args));
      } catch (RuntimeException e) {
        throw unreachable(e);
      }
    }
    String text = null;
    for (McpSchema.Content c : r.content() == null ? List.<McpSchema.Content>of() : r.content()) {
      if (c instanceof McpSchema.TextContent t) {
        text = t.text();
        break;
      }
    }
    if (Boolean.TRUE.equals(r.isError())) {
      String why = text == null ? "no detail" : text.strip();
      if (why.length() > 300) {
        why = why.substring(0, 300) + "…";
      }
      String lower = why.toLowerCase(Locale.ROOT);
      Kind kind =
          lower.contains("404") || lower.contains("not found")
              ? Kind.NOT_FOUND
              : lower.contains("401") || lower.contains("bad credentials")
                  ? Kind.UNAUTHORIZED
                  : lower.contains("403") ? Kind.FORBIDDEN : Kind.INVALID;
      throw new ForgeApiException(
          kind,
          0,
          "GitHub's MCP server answered "
              + tool
              + " with an error: "
              + why
              + (kind == Kind.NOT_FOUND || kind == Kind.FORBIDDEN
                  ? " (the token needs Actions: read on the repository)"
                  : ""));
    }
    try {
      if (r.structuredContent() != null) {
        return JSON.valueToTree(r.structuredContent());
      }
      if (text != null) {
        return JSON.readTree(text);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ForgeApiException(
          Kind.INVALID, 0, "GitHub's MCP server answered " + tool + " with text that is not JSON");
    }
    throw new ForgeApiException(
        Kind.INVALID, 0, "GitHub's MCP server answered " + tool + " with no content");
  }

  private synchronized McpSyncClient session() {
    return client;
  }

  private synchronized void reset() {
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // already broken: nothing to close cleanly
      }
    }
    client = null;
    tools = null;
  }

  private ForgeApiException unreachable(RuntimeException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (token != null) {
      why = why.replace(token, "***");
    }
    if (why.length() > 300) {
      why = why.substring(0, 300) + "…";
    }
    return new ForgeApiException(
        Kind.UNAVAILABLE, 0, "GitHub's MCP server at " + url + " failed: " + why, null, null);
  }

  /** The array at {@code outer.inner}, {@code inner.inner} or {@code inner}, whichever exists. */
  private static JsonNode list(JsonNode n, String outer, String inner) {
    for (JsonNode candidate :
        List.of(n.path(outer).path(inner), n.path(inner).path(inner), n.path(inner))) {
      if (candidate.isArray()) {
        return candidate;
      }
    }
    return JSON.createArrayNode();
  }

  private static int total(JsonNode n, String outer, String inner) {
    for (JsonNode c : List.of(n.path(outer), n.path(inner), n)) {
      if (c.has("total_count")) {
        return c.get("total_count").asInt();
      }
    }
    return 0;
  }

  private static String message(JsonNode n) {
    return n.path("message").asText(n.toString().length() > 200 ? "no message" : n.toString());
  }

  private static Map<String, Object> args(String owner, String repo, Object... kv) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("owner", owner);
    a.put("repo", repo);
    for (int i = 0; i < kv.length; i += 2) {
      a.put((String) kv[i], kv[i + 1]);
    }
    return a;
  }

  /** Ids the single tools declare as numbers. */
  private static Object number(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a GitHub run or job id: '" + id + "'");
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.closeGracefully();
      client = null;
      tools = null;
    }
  }

  @Override
  public String toString() {
    return "GitHubMcp[" + url + "]";
  }
}
