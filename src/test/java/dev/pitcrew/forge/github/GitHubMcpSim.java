package dev.pitcrew.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * GitHub's MCP server (github/github-mcp-server) as far as Pitcrew uses it, on loopback: a real MCP
 * server built with the same Java SDK, over streamable HTTP, exposing the Actions tools with their
 * documented names and input schemas (pkg/github/__toolsnaps__ in that repository; ADR 0012) in
 * either layout the server has shipped, and answering from a {@link GitHubSim}'s state with the
 * JSON the real server returns (go-github's marshalling of GitHub's REST shapes). Arguments that
 * the documented schema does not allow are refused and recorded, so a test can assert none were
 * sent.
 */
final class GitHubMcpSim implements AutoCloseable {
  record Call(String tool, Map<String, Object> args) {}

  final GitHubSim gh;
  final GitHubMcp.Tools layout;
  final Server jetty;
  final McpSyncServer mcp;
  final HttpServletStreamableServerTransportProvider transport;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final List<String> violations = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  GitHubMcpSim(GitHubSim gh, GitHubMcp.Tools layout) throws Exception {
    this(gh, layout, false);
  }

  /** With {@code noActions}, the server lists only a non-Actions tool (toolset not enabled). */
  GitHubMcpSim(GitHubSim gh, GitHubMcp.Tools layout, boolean noActions) throws Exception {
    this.gh = gh;
    this.layout = layout;
    transport = HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
    List<SyncToolSpecification> tools =
        noActions
            ? List.of(
                tool("get_me", schema(Map.of(), List.of()), a -> GitHubSim.JSON.createObjectNode()))
            : layout == GitHubMcp.Tools.CONSOLIDATED ? consolidated() : single();
    mcp =
        McpServer.sync(transport)
            .serverInfo("github-mcp-server", "test")
            .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
            .tools(tools)
            .build();
    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    Filter recordAuth =
        (req, res, chain) -> {
          String a = ((HttpServletRequest) req).getHeader("Authorization");
          authorizations.add(a == null ? "" : a);
          chain.doFilter(req, res);
        };
    ctx.addFilter(new FilterHolder(recordAuth), "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder h = new ServletHolder(transport);
    h.setAsyncSupported(true);
    ctx.addServlet(h, "/*");
    jetty.setHandler(ctx);
    jetty.start();
  }

  URI url() {
    return URI.create(
        "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/mcp");
  }

  /** Forgets every session, as a restarted server would. */
  void forgetSessions() throws ReflectiveOperationException {
    var f = HttpServletStreamableServerTransportProvider.class.getDeclaredField("sessions");
    f.setAccessible(true);
    ((Map<?, ?>) f.get(transport)).clear();
  }

  List<Call> calls(String tool) {
    return calls.stream().filter(c -> c.tool().equals(tool)).toList();
  }

  @Override
  public void close() throws Exception {
    mcp.closeGracefully();
    jetty.stop();
  }

  // --- the documented tools ---

  private static final Map<String, Object> OWNER = Map.of("type", "string");
  private static final Map<String, Object> NUMBER = Map.of("type", "number");
  private static final Map<String, Object> STRING = Map.of("type", "string");
  private static final Map<String, Object> BOOLEAN = Map.of("type", "boolean");
  private static final Map<String, Object> OBJECT = Map.of("type", "object");

  private static Map<String, Object> schema(Map<String, Object> props, List<String> required) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("type", "object");
    s.put("properties", props);
    s.put("required", required);
    return s;
  }

  private static Map<String, Object> props(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("owner", OWNER);
    m.put("repo", OWNER);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> enumOf(String... values) {
    return Map.of("type", "string", "enum", List.of(values));
  }

  private Map<String, Object> jobLogsSchema() {
    return schema(
        props(
            "job_id",
            NUMBER,
            "run_id",
            NUMBER,
            "failed_only",
            BOOLEAN,
            "return_content",
            BOOLEAN,
            "tail_lines",
            NUMBER),
        List.of("owner", "repo"));
  }

  // pkg/github/__toolsnaps__/actions_list.snap, actions_get.snap, get_job_logs.snap
  private List<SyncToolSpecification> consolidated() {
    Map<String, Object> list =
        schema(
            props(
                "method",
                enumOf(
                    "list_workflows",
                    "list_workflow_runs",
                    "list_workflow_jobs",
                    "list_workflow_run_artifacts",
                    "list_check_runs",
                    "list_check_run_annotations"),
                "resource_id",
                STRING,
                "ref",
                STRING,
                "page",
                NUMBER,
                "perPage",
                NUMBER,
                "workflow_runs_filter",
                OBJECT,
                "workflow_jobs_filter",
                OBJECT,
                "check_runs_filter",
                OBJECT),
            List.of("method", "owner", "repo"));
    Map<String, Object> get =
        schema(
            props(
                "method",
                enumOf(
                    "get_workflow",
                    "get_workflow_run",
                    "get_workflow_job",
                    "download_workflow_run_artifact",
                    "get_workflow_run_usage",
                    "get_workflow_run_logs_url",
                    "get_check_run"),
                "resource_id",
                STRING),
            List.of("method", "owner", "repo", "resource_id"));
    return List.of(
        tool(
            "actions_list",
            list,
            a ->
                switch ((String) a.get("method")) {
                  case "list_workflow_runs" -> {
                    ObjectNode n = GitHubSim.JSON.createObjectNode();
                    n.put("method", "list_workflow_runs");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> f =
                        (Map<String, Object>) a.getOrDefault("workflow_runs_filter", Map.of());
                    n.set(
                        "workflow_runs",
                        runs((String) a.get("resource_id"), (String) f.get("branch"), f));
                    yield n;
                  }
                  case "list_workflow_jobs" -> {
                    ObjectNode n = GitHubSim.JSON.createObjectNode();
                    n.put("method", "list_workflow_jobs");
                    n.set("workflow_jobs", jobs((String) a.get("resource_id")));
                    yield n;
                  }
                  default -> throw new IllegalArgumentException("not simulated: " + a);
                }),
        tool(
            "actions_get",
            get,
            a ->
                switch ((String) a.get("method")) {
                  case "get_workflow_run" -> {
                    ObjectNode n = GitHubSim.JSON.createObjectNode();
                    n.put("method", "get_workflow_run");
                    n.set("workflow_run", run((String) a.get("resource_id")));
                    yield n;
                  }
                  case "get_workflow_job" -> {
                    ObjectNode n = GitHubSim.JSON.createObjectNode();
                    n.put("method", "get_workflow_job");
                    n.set("workflow_job", job((String) a.get("resource_id")));
                    yield n;
                  }
                  default -> throw new IllegalArgumentException("not simulated: " + a);
                }),
        tool("get_job_logs", jobLogsSchema(), this::jobLogs));
  }

  // pkg/github/actions.go before the consolidation: one tool per call
  private List<SyncToolSpecification> single() {
    return List.of(
        tool(
            "get_workflow_run",
            schema(props("run_id", NUMBER), List.of("owner", "repo", "run_id")),
            a -> run(id(a.get("run_id")))),
        tool(
            "list_workflow_jobs",
            schema(
                props(
                    "run_id",
                    NUMBER,
                    "filter",
                    enumOf("latest", "all"),
                    "page",
                    NUMBER,
                    "perPage",
                    NUMBER),
                List.of("owner", "repo", "run_id")),
            a -> {
              ObjectNode n = GitHubSim.JSON.createObjectNode();
              n.set("jobs", jobs(id(a.get("run_id"))));
              n.put("optimization_tip", "For debugging failed jobs, consider using get_job_logs");
              return n;
            }),
        tool(
            "list_workflow_runs",
            schema(
                props(
                    "workflow_id",
                    STRING,
                    "actor",
                    STRING,
                    "branch",
                    STRING,
                    "event",
                    STRING,
                    "status",
                    enumOf("queued", "in_progress", "completed", "requested", "waiting"),
                    "page",
                    NUMBER,
                    "perPage",
                    NUMBER),
                List.of("owner", "repo", "workflow_id")),
            a -> runs((String) a.get("workflow_id"), (String) a.get("branch"), a)),
        tool("get_job_logs", jobLogsSchema(), this::jobLogs));
  }

  // --- answers from the GitHub simulator's state ---

  private JsonNode run(String id) {
    ObjectNode r = gh.runs.get(id);
    if (r == null) {
      throw new NotFound(
          "failed to get workflow run: GET https://api.github.com/repos/o/r/actions/runs/"
              + id
              + ": 404 Not Found []");
    }
    return r;
  }

  private JsonNode job(String id) {
    for (List<ObjectNode> js : gh.jobs.values()) {
      for (ObjectNode j : js) {
        if (j.path("id").asText().equals(id)) {
          return j;
        }
      }
    }
    throw new NotFound("failed to get workflow job: 404 Not Found []");
  }

  private JsonNode jobs(String runId) {
    run(runId);
    ObjectNode page = GitHubSim.JSON.createObjectNode();
    ArrayNode arr = page.putArray("jobs");
    gh.jobs.getOrDefault(runId, List.of()).forEach(arr::add);
    page.put("total_count", arr.size());
    return page;
  }

  private JsonNode runs(String workflow, String branch, Map<String, Object> filter) {
    ObjectNode page = GitHubSim.JSON.createObjectNode();
    ArrayNode arr = page.putArray("workflow_runs");
    gh.runs.values().stream()
        .filter(r -> r.path("workflow_id").asText().equals(workflow))
        .filter(r -> branch == null || r.path("head_branch").asText().equals(branch))
        .filter(
            r ->
                filter.get("status") == null
                    || r.path("status").asText().equals(filter.get("status")))
        .sorted((a, b) -> Long.compare(b.path("id").asLong(), a.path("id").asLong()))
        .forEach(arr::add);
    page.put("total_count", arr.size());
    return page;
  }

  private JsonNode jobLogs(Map<String, Object> a) {
    int tail = a.get("tail_lines") == null ? 500 : ((Number) a.get("tail_lines")).intValue();
    boolean content = Boolean.TRUE.equals(a.get("return_content"));
    if (!content) {
      throw new IllegalArgumentException("this simulator only answers return_content=true");
    }
    if (Boolean.TRUE.equals(a.get("failed_only"))) {
      String runId = id(a.get("run_id"));
      run(runId);
      List<ObjectNode> all = gh.jobs.getOrDefault(runId, List.of());
      ArrayNode logs = GitHubSim.JSON.createArrayNode();
      for (ObjectNode j : all) {
        if ("failure".equals(j.path("conclusion").asText())) {
          ObjectNode l = logOf(j.path("id").asText(), tail);
          l.put("job_name", j.path("name").asText());
          logs.add(l);
        }
      }
      ObjectNode n = GitHubSim.JSON.createObjectNode();
      n.put("message", "Retrieved logs for " + logs.size() + " failed jobs");
      n.put("run_id", Long.parseLong(runId));
      n.put("total_jobs", all.size());
      n.put("failed_jobs", logs.size());
      n.set("logs", logs);
      n.putObject("return_format").put("content", true).put("urls", false);
      return n;
    }
    return logOf(id(a.get("job_id")), tail);
  }

  private ObjectNode logOf(String jobId, int tail) {
    byte[] raw = gh.logs.get(jobId);
    if (raw == null) {
      throw new NotFound("failed to get job logs for job " + jobId + ": 404 Not Found []");
    }
    List<String> lines = Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\n", -1));
    List<String> kept =
        lines.size() > tail ? lines.subList(lines.size() - tail, lines.size()) : lines;
    ObjectNode n = GitHubSim.JSON.createObjectNode();
    n.put("job_id", Long.parseLong(jobId));
    n.put("logs_content", String.join("\n", kept));
    n.put("message", "Job logs content retrieved successfully");
    n.put("original_length", lines.size());
    return n;
  }

  private static String id(Object n) {
    return String.valueOf(((Number) n).longValue());
  }

  private static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String m) {
      super(m);
    }
  }

  /** A tool that checks its arguments against its documented schema, then answers. */
  private SyncToolSpecification tool(
      String name, Map<String, Object> schema, Function<Map<String, Object>, JsonNode> answer) {
    return SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name(name).inputSchema(schema).build())
        .callHandler(
            (exchange, req) -> {
              Map<String, Object> args = req.arguments() == null ? Map.of() : req.arguments();
              calls.add(new Call(name, args));
              List<String> bad = check(name, schema, args);
              if (!bad.isEmpty()) {
                violations.addAll(bad);
                return McpSchema.CallToolResult.builder()
                    .isError(true)
                    .addTextContent(String.join("; ", bad))
                    .build();
              }
              try {
                JsonNode n = answer.apply(args);
                McpSchema.CallToolResult.Builder b =
                    McpSchema.CallToolResult.builder().addTextContent(n.toString());
                if (layout == GitHubMcp.Tools.CONSOLIDATED && name.startsWith("actions_")) {
                  b.structuredContent(GitHubSim.JSON.convertValue(n, Map.class));
                }
                return b.build();
              } catch (NotFound e) {
                return McpSchema.CallToolResult.builder()
                    .isError(true)
                    .addTextContent(e.getMessage())
                    .build();
              }
            })
        .build();
  }

  @SuppressWarnings("unchecked")
  private static List<String> check(
      String tool, Map<String, Object> schema, Map<String, Object> args) {
    List<String> out = new ArrayList<>();
    Map<String, Object> props = (Map<String, Object>) schema.get("properties");
    for (Object r : (List<Object>) schema.get("required")) {
      if (!args.containsKey(r)) {
        out.add(tool + ": required argument '" + r + "' is missing");
      }
    }
    for (var e : args.entrySet()) {
      Map<String, Object> p = (Map<String, Object>) props.get(e.getKey());
      if (p == null) {
        out.add(tool + ": argument '" + e.getKey() + "' is not documented");
        continue;
      }
      Object v = e.getValue();
      boolean ok =
          switch ((String) p.get("type")) {
            case "string" -> v instanceof String;
            case "number" -> v instanceof Number;
            case "boolean" -> v instanceof Boolean;
            case "object" -> v instanceof Map;
            default -> true;
          };
      if (!ok) {
        out.add(tool + ": argument '" + e.getKey() + "' must be a " + p.get("type"));
      } else if (p.containsKey("enum") && !((List<Object>) p.get("enum")).contains(v)) {
        out.add(
            tool + ": argument '" + e.getKey() + "' = " + v + " is not one of " + p.get("enum"));
      }
    }
    return out;
  }
}
