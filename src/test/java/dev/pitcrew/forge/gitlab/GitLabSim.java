package dev.pitcrew.forge.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GitLab REST API v4 on loopback answering with GitLab's documented payloads (the JSON files
 * beside this test's resources), with enough state for the acting calls and fault injection.
 */
final class GitLabSim implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The documented endpoints the adapter may call (docs.gitlab.com/api). */
  static final List<String> DOCUMENTED =
      List.of(
          "GET /projects/:id",
          "GET /projects/:id/pipelines",
          "GET /projects/:id/pipelines/:pipeline_id",
          "GET /projects/:id/pipelines/:pipeline_id/jobs",
          "POST /projects/:id/pipelines/:pipeline_id/retry",
          "GET /projects/:id/pipelines/:pipeline_id/test_report",
          "GET /projects/:id/jobs/:job_id",
          "GET /projects/:id/jobs/:job_id/trace",
          "POST /projects/:id/jobs/:job_id/retry",
          "GET /projects/:id/repository/files/:file_path/raw",
          "GET /projects/:id/repository/branches/:branch",
          "POST /projects/:id/repository/branches",
          "POST /projects/:id/repository/commits",
          "GET /projects/:id/merge_requests",
          "POST /projects/:id/merge_requests",
          "GET /projects/:id/merge_requests/:merge_request_iid",
          "GET /projects/:id/merge_requests/:merge_request_iid/notes",
          "POST /projects/:id/merge_requests/:merge_request_iid/notes",
          "GET /projects/:id/variables/:key",
          "PUT /projects/:id/variables/:key",
          "POST /projects/:id/variables",
          "GET /projects/:id/issues",
          "POST /projects/:id/issues");

  record Recorded(
      String method,
      String path,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body) {
    String header(String n) {
      return headers.get(n.toLowerCase(Locale.ROOT));
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  record Fault(
      String method,
      Pattern path,
      int status,
      Map<String, String> headers,
      String body,
      long delay) {}

  final HttpServer server;
  final List<Recorded> requests = new CopyOnWriteArrayList<>();
  final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
  final Map<String, ObjectNode> pipelines = new LinkedHashMap<>();
  final Map<String, List<ObjectNode>> jobs = new HashMap<>();
  final Map<String, String> traces = new HashMap<>();
  final Map<String, String> branches = new LinkedHashMap<>();
  final Map<String, Map<String, String>> commits = new HashMap<>();
  final List<ObjectNode> mergeRequests = new ArrayList<>();
  final Map<String, List<String>> notes = new HashMap<>();
  final Map<String, String> variables = new LinkedHashMap<>();
  final List<ObjectNode> issues = new ArrayList<>();
  final Map<String, ObjectNode> testReports = new HashMap<>();
  int retries;

  /** How many sha lookups answer "no pipeline yet" before the pipelines show up. */
  int latePipelineLookups;

  int jobCounter = 900;

  GitLabSim() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  URI apiBase() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v4");
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static ObjectNode payload(String name) {
    try (InputStream in = GitLabSim.class.getResourceAsStream(name + ".json")) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ObjectNode addPipeline(
      String id,
      String ref,
      String status,
      Map<String, String> jobStatus,
      Map<String, String> logs) {
    ObjectNode p = payload("pipeline");
    p.put("id", Long.parseLong(id));
    p.put("ref", ref);
    p.put("status", status);
    p.put("web_url", "https://gitlab.example.com/group/sub/project/-/pipelines/" + id);
    pipelines.put(id, p);
    List<ObjectNode> js = new ArrayList<>();
    int n = 0;
    for (var e : jobStatus.entrySet()) {
      ObjectNode j = payload("job");
      String jid = id + "0" + (++n);
      j.put("id", Long.parseLong(jid));
      j.put("name", e.getKey());
      j.put("status", e.getValue());
      j.put("web_url", "https://gitlab.example.com/group/sub/project/-/jobs/" + jid);
      ((ObjectNode) j.path("pipeline")).put("id", Long.parseLong(id));
      js.add(j);
      if (logs.containsKey(e.getKey())) {
        traces.put(jid, logs.get(e.getKey()));
      }
    }
    jobs.put(id, js);
    return p;
  }

  /**
   * An open merge request as GitLab's documented example, from {@code source} into {@code target}
   * with {@code sha} at its head.
   */
  ObjectNode addMergeRequest(int iid, String source, String target, String sha) {
    ObjectNode mr = payload("merge_request");
    mr.put("iid", iid);
    mr.put("state", "opened");
    mr.put("source_branch", source);
    mr.put("target_branch", target);
    mr.put("sha", sha);
    mr.put("web_url", "https://gitlab.example.com/group/sub/project/-/merge_requests/" + iid);
    mergeRequests.add(mr);
    return mr;
  }

  /**
   * The pipeline's test report as GitLab answers it after parsing the jobs' JUnit XML (the
   * documented example, patched): one suite of test cases given as classname, name, status triples.
   * A second call replaces the report, as a retry's jobs replace the report GitLab shows.
   */
  ObjectNode addTestReport(String pipelineId, String suite, String... classNameStatus) {
    ObjectNode report = payload("test_report");
    ObjectNode s = (ObjectNode) report.path("test_suites").get(0);
    ObjectNode example = (ObjectNode) s.path("test_cases").get(0);
    ArrayNode cases = s.putArray("test_cases");
    for (int i = 0; i < classNameStatus.length; i += 3) {
      ObjectNode c = example.deepCopy();
      c.put("classname", classNameStatus[i]);
      c.put("name", classNameStatus[i + 1]);
      c.put("status", classNameStatus[i + 2]);
      cases.add(c);
    }
    s.put("name", suite);
    s.put("total_count", cases.size());
    report.put("total_count", cases.size());
    testReports.put(pipelineId, report);
    return report;
  }

  void addBranch(String name, Map<String, String> files) {
    String sha = "c" + Integer.toHexString((name + files).hashCode()) + commits.size();
    commits.put(sha, new LinkedHashMap<>(files));
    branches.put(name, sha);
  }

  void fault(
      String method, String pathRegex, int status, Map<String, String> headers, String body) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), status, headers, body, 0));
  }

  void slow(String method, String pathRegex, long millis) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), 0, Map.of(), "", millis));
  }

  List<Recorded> calls(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    return requests.stream()
        .filter(r -> r.method().equals(method) && p.matcher(r.path()).matches())
        .toList();
  }

  /** Requests that match no documented endpoint, or carry an unencoded project path. */
  List<String> undocumented() {
    List<String> out = new ArrayList<>();
    for (Recorded r : requests) {
      boolean ok = false;
      for (String d : DOCUMENTED) {
        String[] mp = d.split(" ");
        String regex = mp[1].replaceAll(":[a-z_]+", "[^/]+");
        if (mp[0].equals(r.method()) && r.path().matches(regex)) {
          ok = true;
        }
      }
      if (!ok) {
        out.add(r.method() + " " + r.path());
      }
    }
    return out;
  }

  private void handle(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath();
    Map<String, String> h = new HashMap<>();
    ex.getRequestHeaders()
        .forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    Recorded r =
        new Recorded(
            ex.getRequestMethod(),
            raw.replaceFirst("^/api/v4", ""),
            query(ex.getRequestURI().getRawQuery()),
            h,
            ex.getRequestBody().readAllBytes());
    requests.add(r);
    Fault f = null;
    for (Fault x : faults) {
      if (x.method().equals(r.method())
          && x.path().matcher(r.path()).matches()
          && faults.removeFirstOccurrence(x)) {
        f = x;
        break;
      }
    }
    if (f != null && f.delay() == 0) {
      f.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      send(ex, f.status(), f.body(), "application/json");
      return;
    }
    Object[] a;
    try {
      synchronized (this) {
        a = route(r);
      }
    } catch (RuntimeException e) {
      a = new Object[] {500, "{\"message\":\"simulator: " + e + "\"}"};
    }
    if (f != null) {
      try {
        Thread.sleep(f.delay());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    send(ex, (Integer) a[0], (String) a[1], a.length > 2 ? (String) a[2] : "application/json");
  }

  private static Map<String, String> query(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    if (q != null) {
      for (String kv : q.split("&")) {
        int i = kv.indexOf('=');
        out.put(dec(i < 0 ? kv : kv.substring(0, i)), i < 0 ? "" : dec(kv.substring(i + 1)));
      }
    }
    return out;
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange ex, int status, String body, String type)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static Matcher match(String regex, String path) {
    Matcher m = Pattern.compile(regex).matcher(path);
    return m.matches() ? m : null;
  }

  private static final Object[] NOT_FOUND = {404, "{\"message\":\"404 Not Found\"}"};

  private Object[] route(Recorded r) {
    String m = r.method();
    String p = r.path();
    Map<String, String> q = r.query();
    String proj = "/projects/(group%2Fsub%2Fproject)";
    Matcher x;
    if (m.equals("GET") && match(proj, p) != null) {
      return ok(payload("project"));
    }
    if (m.equals("GET") && (x = match(proj + "/pipelines/(\\d+)", p)) != null) {
      ObjectNode pl = pipelines.get(x.group(2));
      return pl == null ? NOT_FOUND : ok(pl);
    }
    if (m.equals("GET") && (x = match(proj + "/pipelines/(\\d+)/test_report", p)) != null) {
      if (!pipelines.containsKey(x.group(2))) {
        return NOT_FOUND;
      }
      ObjectNode report = testReports.get(x.group(2));
      if (report == null) {
        // a pipeline whose jobs declared no junit report: GitLab answers an empty report
        report = payload("test_report");
        report.putArray("test_suites");
        report.put("total_count", 0).put("success_count", 0).put("total_time", 0);
      }
      return ok(report);
    }
    if (m.equals("GET") && (x = match(proj + "/pipelines/(\\d+)/jobs", p)) != null) {
      ArrayNode arr = JSON.createArrayNode();
      jobs.getOrDefault(x.group(2), List.of()).forEach(arr::add);
      return ok(arr);
    }
    if (m.equals("GET") && q.containsKey("sha") && latePipelineLookups > 0) {
      latePipelineLookups--; // GitLab has not created the push's pipeline yet
      return ok(JSON.createArrayNode());
    }
    if (m.equals("GET") && match(proj + "/pipelines", p) != null) {
      ArrayNode arr = JSON.createArrayNode();
      pipelines.values().stream()
          .filter(pl -> !q.containsKey("sha") || pl.path("sha").asText().equals(q.get("sha")))
          .filter(pl -> !q.containsKey("ref") || pl.path("ref").asText().equals(q.get("ref")))
          .filter(
              pl -> !q.containsKey("status") || pl.path("status").asText().equals(q.get("status")))
          .filter(
              pl -> !q.containsKey("source") || pl.path("source").asText().equals(q.get("source")))
          .sorted((a, b) -> Long.compare(b.path("id").asLong(), a.path("id").asLong()))
          .forEach(arr::add);
      return ok(arr);
    }
    if (m.equals("POST") && (x = match(proj + "/pipelines/(\\d+)/retry", p)) != null) {
      ObjectNode pl = pipelines.get(x.group(2));
      if (pl == null) {
        return NOT_FOUND;
      }
      retries++;
      pl.put("status", "running");
      return new Object[] {201, pl.toString()};
    }
    if (m.equals("GET") && (x = match(proj + "/jobs/(\\d+)", p)) != null) {
      for (List<ObjectNode> js : jobs.values()) {
        for (ObjectNode j : js) {
          if (j.path("id").asText().equals(x.group(2))) {
            return ok(j);
          }
        }
      }
      return NOT_FOUND;
    }
    if (m.equals("GET") && (x = match(proj + "/jobs/(\\d+)/trace", p)) != null) {
      String t = traces.get(x.group(2));
      return t == null ? NOT_FOUND : new Object[] {200, t, "text/plain"};
    }
    if (m.equals("POST") && (x = match(proj + "/jobs/(\\d+)/retry", p)) != null) {
      ObjectNode j = payload("job");
      j.put("id", ++jobCounter);
      j.put("status", "pending");
      return new Object[] {201, j.toString()};
    }
    if (m.equals("GET") && (x = match(proj + "/repository/files/([^/]+)/raw", p)) != null) {
      String ref = q.getOrDefault("ref", "main");
      Map<String, String> files = commits.get(branches.getOrDefault(ref, ref));
      String path = dec(x.group(2));
      if (files == null || !files.containsKey(path)) {
        return NOT_FOUND;
      }
      return new Object[] {200, files.get(path), "text/plain"};
    }
    if (m.equals("GET") && (x = match(proj + "/repository/branches/([^/]+)", p)) != null) {
      String sha = branches.get(dec(x.group(2)));
      if (sha == null) {
        return NOT_FOUND;
      }
      ObjectNode b = payload("branch");
      b.put("name", dec(x.group(2)));
      ((ObjectNode) b.path("commit")).put("id", sha);
      return ok(b);
    }
    if (m.equals("POST") && match(proj + "/repository/branches", p) != null) {
      JsonNode b = r.json();
      String name = b.path("branch").asText();
      if (branches.containsKey(name)) {
        return new Object[] {400, "{\"message\":\"Branch already exists\"}"};
      }
      branches.put(name, b.path("ref").asText());
      ObjectNode out = payload("branch");
      out.put("name", name);
      return new Object[] {201, out.toString()};
    }
    if (m.equals("POST") && match(proj + "/repository/commits", p) != null) {
      JsonNode b = r.json();
      String branch = b.path("branch").asText();
      Map<String, String> files = new LinkedHashMap<>(commits.get(branches.get(branch)));
      for (JsonNode a : b.path("actions")) {
        boolean exists = files.containsKey(a.path("file_path").asText());
        String action = a.path("action").asText();
        if (action.equals("create") && exists || action.equals("update") && !exists) {
          return new Object[] {
            400,
            "{\"message\":\"A file with this name "
                + (exists ? "already exists" : "doesn't exist")
                + "\"}"
          };
        }
        files.put(a.path("file_path").asText(), a.path("content").asText());
      }
      String sha = "d" + Integer.toHexString(files.hashCode()) + commits.size();
      commits.put(sha, files);
      branches.put(branch, sha);
      ObjectNode c = payload("commit");
      c.put("id", sha);
      c.put("message", b.path("commit_message").asText());
      return new Object[] {201, c.toString()};
    }
    if (m.equals("GET") && (x = match(proj + "/merge_requests/(\\d+)", p)) != null) {
      String iid = x.group(2);
      return mergeRequests.stream()
          .filter(mr -> mr.path("iid").asText().equals(iid))
          .findFirst()
          .map(GitLabSim::ok)
          .orElse(NOT_FOUND);
    }
    if (m.equals("GET") && match(proj + "/merge_requests", p) != null) {
      ArrayNode arr = JSON.createArrayNode();
      mergeRequests.stream()
          .filter(mr -> mr.path("state").asText().equals(q.getOrDefault("state", "opened")))
          .filter(
              mr ->
                  !q.containsKey("source_branch")
                      || mr.path("source_branch").asText().equals(q.get("source_branch")))
          .forEach(arr::add);
      return ok(arr);
    }
    if (m.equals("POST") && match(proj + "/merge_requests", p) != null) {
      JsonNode b = r.json();
      for (ObjectNode mr : mergeRequests) {
        if (mr.path("source_branch").asText().equals(b.path("source_branch").asText())) {
          return new Object[] {
            409,
            "{\"message\":[\"Another open merge request already exists for this source branch: !"
                + mr.path("iid").asText()
                + "\"]}"
          };
        }
      }
      ObjectNode mr = payload("merge_request");
      int iid = mergeRequests.size() + 1;
      mr.put("iid", iid);
      mr.put("title", b.path("title").asText());
      mr.put("source_branch", b.path("source_branch").asText());
      mr.put("target_branch", b.path("target_branch").asText());
      mr.put("web_url", "https://gitlab.example.com/group/sub/project/-/merge_requests/" + iid);
      ArrayNode labels = mr.putArray("labels");
      for (String l : b.path("labels").asText("").split(",")) {
        if (!l.isBlank()) {
          labels.add(l);
        }
      }
      mergeRequests.add(mr);
      return new Object[] {201, mr.toString()};
    }
    if ((x = match(proj + "/merge_requests/(\\d+)/notes", p)) != null) {
      List<String> ns = notes.computeIfAbsent(x.group(2), k -> new ArrayList<>());
      if (m.equals("POST")) {
        ns.add(r.json().path("body").asText());
        ObjectNode n = payload("note");
        n.put("body", r.json().path("body").asText());
        return new Object[] {201, n.toString()};
      }
      ArrayNode arr = JSON.createArrayNode();
      for (String body : ns) {
        arr.add(payload("note").put("body", body));
      }
      return ok(arr);
    }
    if ((x = match(proj + "/variables/([^/]+)", p)) != null) {
      String key = x.group(2);
      if (!variables.containsKey(key)) {
        return NOT_FOUND;
      }
      if (m.equals("PUT")) {
        variables.put(key, r.json().path("value").asText());
      }
      return ok(payload("variable").put("key", key).put("value", variables.get(key)));
    }
    if (m.equals("POST") && match(proj + "/variables", p) != null) {
      String key = r.json().path("key").asText();
      if (variables.containsKey(key)) {
        return new Object[] {
          400, "{\"message\":{\"key\":[\"(" + key + ") has already been taken\"]}}"
        };
      }
      variables.put(key, r.json().path("value").asText());
      return new Object[] {
        201, payload("variable").put("key", key).put("value", variables.get(key)).toString()
      };
    }
    if (m.equals("GET") && match(proj + "/issues", p) != null) {
      ArrayNode arr = JSON.createArrayNode();
      issues.stream()
          .filter(i -> i.path("title").asText().contains(q.getOrDefault("search", "")))
          .forEach(arr::add);
      return ok(arr);
    }
    if (m.equals("POST") && match(proj + "/issues", p) != null) {
      ObjectNode i = payload("issue");
      int iid = 14 + issues.size();
      i.put("iid", iid);
      i.put("title", r.json().path("title").asText());
      i.put("web_url", "https://gitlab.example.com/group/sub/project/-/issues/" + iid);
      issues.add(i);
      return new Object[] {201, i.toString()};
    }
    return new Object[] {404, "{\"message\":\"simulator has no route for " + m + " " + p + "\"}"};
  }

  private static Object[] ok(JsonNode n) {
    return new Object[] {200, n.toString()};
  }
}
