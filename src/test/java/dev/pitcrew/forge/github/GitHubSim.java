package dev.pitcrew.forge.github;

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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
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
 * A GitHub REST API on loopback, mounted at {@code /api/v3} like GitHub Enterprise Server. It
 * answers with the examples of GitHub's OpenAPI description (openapi-extract.json), patched with
 * the state a test sets up, keeps enough state for the acting calls (refs, commits, pulls,
 * variables, issues), records every request for the contract test, and injects faults on demand.
 * Job logs are served from a second server (another origin), as GitHub redirects them to blob
 * storage.
 */
final class GitHubSim implements AutoCloseable {
  static final String PREFIX = "/api/v3";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, JsonNode> EXAMPLES = loadExamples();

  record Recorded(
      String method, String path, String query, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A canned answer for the next request matching method and path pattern. */
  record Fault(
      String method,
      Pattern path,
      int status,
      Map<String, String> headers,
      String body,
      long delayMillis,
      boolean thenHandle) {}

  final HttpServer api;
  final HttpServer blobs;
  final List<Recorded> requests = new CopyOnWriteArrayList<>();
  final List<Recorded> blobRequests = new CopyOnWriteArrayList<>();
  final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();

  // state
  final Map<String, ObjectNode> runs = new HashMap<>();
  final Map<String, List<ObjectNode>> jobs = new HashMap<>();
  final Map<String, byte[]> logs = new HashMap<>();
  final Map<String, byte[]> runArchives = new HashMap<>();
  final Map<String, Integer> truncateLog = new HashMap<>();
  final Map<String, String> refs = new LinkedHashMap<>();
  final Map<String, Map<String, String>> commitFiles = new HashMap<>();
  final Map<String, String> commitTree = new HashMap<>();
  final Map<String, Map<String, String>> trees = new HashMap<>();
  final Map<String, String> blobsBySha = new HashMap<>();
  final List<ObjectNode> pulls = new ArrayList<>();
  final Map<String, List<String>> labels = new HashMap<>();
  final Map<String, List<String>> comments = new HashMap<>();
  final Map<String, String> variables = new LinkedHashMap<>();
  final List<ObjectNode> issues = new ArrayList<>();
  final Map<String, String> tokensIssued = new LinkedHashMap<>();
  final Map<String, ObjectNode> attempts = new HashMap<>();
  final Map<String, List<ObjectNode>> artifacts = new HashMap<>();
  final Map<String, byte[]> artifactZips = new HashMap<>();
  String installationId = "1";

  /** How many head_sha lookups answer "no run yet" before the runs show up. */
  int lateRunLookups;

  int tokenCounter;

  GitHubSim() throws IOException {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext("/", this::handleApi);
    api.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    api.start();
    blobs = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    blobs.createContext("/", this::handleBlob);
    blobs.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    blobs.start();
  }

  URI apiBase() {
    return URI.create("http://127.0.0.1:" + api.getAddress().getPort() + PREFIX);
  }

  String blobBase() {
    return "http://127.0.0.1:" + blobs.getAddress().getPort();
  }

  @Override
  public void close() {
    api.stop(0);
    blobs.stop(0);
  }

  static Map<String, JsonNode> loadExamples() {
    try (InputStream in = GitHubSim.class.getResourceAsStream("openapi-extract.json")) {
      JsonNode root = JSON.readTree(in);
      Map<String, JsonNode> out = new HashMap<>();
      for (JsonNode op : root.path("operations")) {
        JsonNode ex = op.path("examples");
        ex.fieldNames()
            .forEachRemaining(s -> out.putIfAbsent(op.path("operationId").asText(), ex.get(s)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode example(String operationId) {
    JsonNode n = EXAMPLES.get(operationId);
    if (n == null) {
      throw new IllegalStateException("no example for " + operationId);
    }
    return (ObjectNode) (n.isArray() ? n.get(0) : n).deepCopy();
  }

  // --- set-up helpers ---

  /**
   * A completed run of workflow 159038 on a branch, with jobs (name → conclusion) and their logs.
   */
  ObjectNode addRun(
      String id,
      int attempt,
      String branch,
      String conclusion,
      Map<String, String> jobLogs,
      Map<String, String> jobConclusions) {
    ObjectNode run = example("actions/get-workflow-run");
    run.put("id", Long.parseLong(id));
    run.put("run_attempt", attempt);
    run.put("head_branch", branch);
    run.put("status", "completed");
    run.put("conclusion", conclusion);
    run.put("html_url", "https://github.com/octocat/Hello-World/actions/runs/" + id);
    runs.put(id, run);
    List<ObjectNode> js = new ArrayList<>();
    int n = 0;
    for (var e : jobConclusions.entrySet()) {
      ObjectNode j = example("actions/get-job-for-workflow-run");
      String jobId = id + "0" + (++n);
      j.put("id", Long.parseLong(jobId));
      j.put("run_id", Long.parseLong(id));
      j.put("run_attempt", attempt);
      j.put("name", e.getKey());
      j.put("status", "completed");
      j.put("conclusion", e.getValue());
      j.put(
          "html_url",
          "https://github.com/octocat/Hello-World/actions/runs/" + id + "/job/" + jobId);
      js.add(j);
      String log = jobLogs.get(e.getKey());
      if (log != null) {
        logs.put(jobId, log.getBytes(StandardCharsets.UTF_8));
      }
    }
    jobs.put(id, js);
    return run;
  }

  /**
   * A new attempt of a run that started at {@code startedAt}: {@code attempts/N} answers it and the
   * run itself now shows it as the latest, as after a re-run.
   */
  ObjectNode addAttempt(String id, int attempt, String startedAt, String conclusion) {
    ObjectNode before = runs.get(id);
    attempts.putIfAbsent(id + "/" + before.path("run_attempt").asInt(), before);
    ObjectNode run = before.deepCopy();
    run.put("run_attempt", attempt);
    run.put("run_started_at", startedAt);
    run.put("status", "completed");
    run.put("conclusion", conclusion);
    attempts.put(id + "/" + attempt, run);
    runs.put(id, run);
    return run;
  }

  /**
   * An artifact of a run (GitHub's documented example, patched), uploaded a minute after the run's
   * latest attempt started; its zip is served from the blob server, as GitHub redirects there.
   */
  ObjectNode addArtifact(String runId, long id, String name, byte[] zip) {
    ObjectNode a =
        (ObjectNode) example("actions/list-workflow-run-artifacts").path("artifacts").get(0);
    a.put("id", id);
    a.put("name", name);
    a.put("size_in_bytes", zip.length);
    a.put("expired", false);
    a.put(
        "created_at",
        java.time.Instant.parse(runs.get(runId).path("run_started_at").asText())
            .plusSeconds(60)
            .toString());
    a.put(
        "archive_download_url",
        "https://api.github.com/repos/octocat/Hello-World/actions/artifacts/" + id + "/zip");
    ((ObjectNode) a.path("workflow_run")).put("id", Long.parseLong(runId));
    artifacts.computeIfAbsent(runId, k -> new ArrayList<>()).add(a);
    artifactZips.put(String.valueOf(id), zip);
    return a;
  }

  void addBranch(String branch, Map<String, String> files) {
    String sha = commit(null, files, "initial");
    refs.put(branch, sha);
  }

  String commit(String parent, Map<String, String> files, String message) {
    String sha = sha1("commit " + message + parent + files + commitFiles.size());
    commitFiles.put(sha, new LinkedHashMap<>(files));
    String tree = sha1("tree" + files);
    trees.put(tree, new LinkedHashMap<>(files));
    commitTree.put(sha, tree);
    return sha;
  }

  void fault(
      String method, String pathRegex, int status, Map<String, String> headers, String body) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), status, headers, body, 0, false));
  }

  /** Handles the request normally, then answers too late for the client's timeout. */
  void slow(String method, String pathRegex, long millis) {
    faults.add(new Fault(method, Pattern.compile(pathRegex), 0, Map.of(), "", millis, true));
  }

  List<Recorded> calls(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    return requests.stream()
        .filter(r -> r.method().equals(method) && p.matcher(r.path()).matches())
        .toList();
  }

  // --- serving ---

  private void handleBlob(HttpExchange ex) throws IOException {
    blobRequests.add(record(ex, ex.getRequestURI().getRawPath()));
    String path = ex.getRequestURI().getPath();
    Matcher m = Pattern.compile("/logs/(\\d+)").matcher(path);
    Matcher z = Pattern.compile("/archives/(\\d+)").matcher(path);
    byte[] body;
    if (m.matches() && logs.containsKey(m.group(1))) {
      body = logs.get(m.group(1));
      Integer cut = truncateLog.get(m.group(1));
      if (cut != null) {
        // promise the whole log, send part of it, hang up
        ex.getResponseHeaders().add("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, cut);
        out.flush();
        ex.getHttpContext().getServer();
        closeHard(ex);
        return;
      }
    } else if (z.matches() && runArchives.containsKey(z.group(1))) {
      body = runArchives.get(z.group(1));
    } else if ((z = Pattern.compile("/artifacts/(\\d+)").matcher(path)).matches()
        && artifactZips.containsKey(z.group(1))) {
      body = artifactZips.get(z.group(1));
    } else {
      send(ex, 404, "{\"message\":\"blob not found\"}");
      return;
    }
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void closeHard(HttpExchange ex) {
    try {
      // closing the exchange with bytes owing makes the server drop the connection
      ex.close();
    } catch (RuntimeException e) {
      // already closed
    }
  }

  private Recorded record(HttpExchange ex, String path) throws IOException {
    Map<String, String> h = new HashMap<>();
    ex.getRequestHeaders()
        .forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    byte[] body = ex.getRequestBody().readAllBytes();
    return new Recorded(
        ex.getRequestMethod(),
        path,
        ex.getRequestURI().getRawQuery(),
        Collections.unmodifiableMap(h),
        body);
  }

  private void handleApi(HttpExchange ex) throws IOException {
    try {
      String raw = ex.getRequestURI().getRawPath();
      if (!raw.startsWith(PREFIX)) {
        send(ex, 404, "{\"message\":\"Not Found\"}");
        return;
      }
      Recorded r = record(ex, raw.substring(PREFIX.length()));
      requests.add(r);
      Fault f = nextFault(r);
      if (f != null && !f.thenHandle()) {
        f.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        send(ex, f.status(), f.body());
        return;
      }
      Answer a;
      synchronized (this) {
        a = route(r);
      }
      if (f != null) {
        try {
          Thread.sleep(f.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      send(ex, a.status(), a.body());
    } catch (RuntimeException e) {
      send(ex, 500, "{\"message\":\"simulator: " + e + "\"}");
    }
  }

  private Fault nextFault(Recorded r) {
    for (Fault f : faults) {
      if (f.method().equals(r.method()) && f.path().matcher(r.path()).matches()) {
        if (faults.removeFirstOccurrence(f)) {
          return f;
        }
      }
    }
    return null;
  }

  record Answer(int status, String body, Map<String, String> headers) {
    static Answer json(int status, JsonNode n) {
      return new Answer(
          status, n == null ? "" : n.toString(), Map.of("Content-Type", "application/json"));
    }

    static Answer notFound() {
      return new Answer(
          404,
          "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}",
          Map.of());
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    if (status == 204 || status == 302) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static Map<String, String> query(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    if (q == null) {
      return out;
    }
    for (String kv : q.split("&")) {
      int i = kv.indexOf('=');
      out.put(dec(i < 0 ? kv : kv.substring(0, i)), i < 0 ? "" : dec(kv.substring(i + 1)));
    }
    return out;
  }

  private static String dec(String s) {
    return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private Answer route(Recorded r) {
    String p = r.path();
    String m = r.method();
    Map<String, String> q = query(r.query());
    Matcher x;
    String repo = "/repos/([^/]+)/([^/]+)";
    if (m.equals("POST") && (x = match("/app/installations/(\\d+)/access_tokens", p)) != null) {
      ObjectNode t = example("apps/create-installation-access-token");
      String token = "ghs_simulated" + (++tokenCounter);
      t.put("token", token);
      t.put("expires_at", java.time.Instant.now().plusSeconds(3600).toString());
      tokensIssued.put(token, x.group(1));
      return Answer.json(201, t);
    }
    if (m.equals("GET") && (x = match(repo + "/installation", p)) != null) {
      ObjectNode i = example("apps/get-repo-installation");
      i.put("id", Long.parseLong(installationId));
      return Answer.json(200, i);
    }
    if (m.equals("GET") && (x = match(repo, p)) != null) {
      ObjectNode n = example("repos/get");
      n.put("full_name", x.group(1) + "/" + x.group(2));
      n.put("default_branch", "main");
      return Answer.json(200, n);
    }
    if (m.equals("GET")
        && (x = match(repo + "/actions/runs/(\\d+)(?:/attempts/(\\d+))?", p)) != null) {
      ObjectNode attempt = attempts.get(x.group(3) + "/" + x.group(4));
      if (attempt != null) {
        return Answer.json(200, attempt);
      }
      ObjectNode run = runs.get(x.group(3));
      return run == null ? Answer.notFound() : Answer.json(200, run);
    }
    if (m.equals("GET")
        && (x = match(repo + "/actions/runs/(\\d+)(?:/attempts/(\\d+))?/jobs", p)) != null) {
      List<ObjectNode> js = jobs.get(x.group(3));
      if (js == null) {
        return Answer.notFound();
      }
      ObjectNode page = example("actions/list-jobs-for-workflow-run");
      page.put("total_count", js.size());
      page.putArray("jobs").addAll(js);
      return Answer.json(200, page);
    }
    if (m.equals("GET") && (x = match(repo + "/actions/jobs/(\\d+)", p)) != null) {
      for (List<ObjectNode> js : jobs.values()) {
        for (ObjectNode j : js) {
          if (j.path("id").asText().equals(x.group(3))) {
            return Answer.json(200, j);
          }
        }
      }
      return Answer.notFound();
    }
    if (m.equals("GET") && (x = match(repo + "/actions/jobs/(\\d+)/logs", p)) != null) {
      if (!logs.containsKey(x.group(3))) {
        return Answer.notFound();
      }
      return new Answer(
          302, "", Map.of("Location", blobBase() + "/logs/" + x.group(3) + "?sig=sim"));
    }
    if (m.equals("GET")
        && (x = match(repo + "/actions/runs/(\\d+)(?:/attempts/(\\d+))?/logs", p)) != null) {
      if (!runArchives.containsKey(x.group(3))) {
        return Answer.notFound();
      }
      return new Answer(302, "", Map.of("Location", blobBase() + "/archives/" + x.group(3)));
    }
    if (m.equals("GET") && (x = match(repo + "/actions/runs/(\\d+)/artifacts", p)) != null) {
      if (!runs.containsKey(x.group(3))) {
        return Answer.notFound();
      }
      List<ObjectNode> all = artifacts.getOrDefault(x.group(3), List.of());
      int perPage = Integer.parseInt(q.getOrDefault("per_page", "30"));
      int from = (Integer.parseInt(q.getOrDefault("page", "1")) - 1) * perPage;
      ObjectNode page = example("actions/list-workflow-run-artifacts");
      page.put("total_count", all.size());
      ArrayNode arr = page.putArray("artifacts");
      all.stream().skip(from).limit(perPage).forEach(arr::add);
      return Answer.json(200, page);
    }
    if (m.equals("GET") && (x = match(repo + "/actions/artifacts/(\\d+)/zip", p)) != null) {
      for (List<ObjectNode> list : artifacts.values()) {
        for (ObjectNode a : list) {
          if (a.path("id").asText().equals(x.group(3))) {
            if (a.path("expired").asBoolean()) {
              return new Answer(410, "{\"message\":\"Artifact has expired\"}", Map.of());
            }
            return new Answer(
                302,
                "",
                Map.of("Location", blobBase() + "/artifacts/" + x.group(3) + "?sig=signed"));
          }
        }
      }
      return Answer.notFound();
    }
    if (m.equals("GET") && q.containsKey("head_sha") && lateRunLookups > 0) {
      lateRunLookups--; // GitHub has not created the push's runs yet
      ObjectNode page = example("actions/list-workflow-runs-for-repo");
      page.putArray("workflow_runs");
      page.put("total_count", 0);
      return Answer.json(200, page);
    }
    if (m.equals("GET") && (x = match(repo + "/actions(?:/workflows/([^/]+))?/runs", p)) != null) {
      ObjectNode page =
          example(
              x.group(3) == null
                  ? "actions/list-workflow-runs-for-repo"
                  : "actions/list-workflow-runs");
      ArrayNode arr = page.putArray("workflow_runs");
      String workflow = x.group(3);
      runs.values().stream()
          .filter(run -> workflow == null || run.path("workflow_id").asText().equals(workflow))
          .filter(
              run ->
                  !q.containsKey("head_sha")
                      || run.path("head_sha").asText().equals(q.get("head_sha")))
          .filter(
              run ->
                  !q.containsKey("branch")
                      || run.path("head_branch").asText().equals(q.get("branch")))
          .filter(
              run ->
                  !q.containsKey("status")
                      || run.path("conclusion").asText().equals(q.get("status")))
          .sorted((a, b) -> Long.compare(b.path("id").asLong(), a.path("id").asLong()))
          .forEach(arr::add);
      page.put("total_count", arr.size());
      return Answer.json(200, page);
    }
    if (m.equals("POST")
        && (x = match(repo + "/actions/runs/(\\d+)/(rerun|rerun-failed-jobs)", p)) != null) {
      ObjectNode run = runs.get(x.group(3));
      if (run == null) {
        return Answer.notFound();
      }
      run.put("run_attempt", run.path("run_attempt").asInt() + 1);
      run.put("status", "queued");
      run.putNull("conclusion");
      return Answer.json(201, JSON.createObjectNode());
    }
    if (m.equals("GET") && (x = match(repo + "/contents/(.+)", p)) != null) {
      String ref = q.getOrDefault("ref", "main");
      String sha = refs.getOrDefault(ref, ref);
      Map<String, String> files = commitFiles.get(sha);
      String path = dec(x.group(3));
      if (files == null || !files.containsKey(path)) {
        return Answer.notFound();
      }
      ObjectNode c = example("repos/get-content");
      c.put("type", "file");
      c.put("encoding", "base64");
      c.put("path", path);
      c.put("name", path.substring(path.lastIndexOf('/') + 1));
      String b64 =
          Base64.getMimeEncoder().encodeToString(files.get(path).getBytes(StandardCharsets.UTF_8));
      c.put("content", b64 + "\n");
      return Answer.json(200, c);
    }
    if (m.equals("GET") && (x = match(repo + "/git/ref/heads/(.+)", p)) != null) {
      String sha = refs.get(dec(x.group(3)));
      if (sha == null) {
        return Answer.notFound();
      }
      return Answer.json(200, ref(dec(x.group(3)), sha));
    }
    if (m.equals("POST") && match(repo + "/git/refs", p) != null) {
      JsonNode b = r.json();
      String name = b.path("ref").asText().replaceFirst("^refs/heads/", "");
      if (refs.containsKey(name)) {
        return new Answer(422, "{\"message\":\"Reference already exists\"}", Map.of());
      }
      refs.put(name, b.path("sha").asText());
      return Answer.json(201, ref(name, b.path("sha").asText()));
    }
    if (m.equals("PATCH") && (x = match(repo + "/git/refs/heads/(.+)", p)) != null) {
      String name = dec(x.group(3));
      JsonNode b = r.json();
      String target = b.path("sha").asText();
      if (!refs.containsKey(name)) {
        return new Answer(422, "{\"message\":\"Reference does not exist\"}", Map.of());
      }
      refs.put(name, target);
      return Answer.json(200, ref(name, target));
    }
    if (m.equals("GET") && (x = match(repo + "/git/commits/([0-9a-f]+)", p)) != null) {
      if (!commitFiles.containsKey(x.group(3))) {
        return Answer.notFound();
      }
      ObjectNode c = example("git/get-commit");
      c.put("sha", x.group(3));
      ((ObjectNode) c.path("tree")).put("sha", commitTree.get(x.group(3)));
      return Answer.json(200, c);
    }
    if (m.equals("POST") && match(repo + "/git/blobs", p) != null) {
      String content = r.json().path("content").asText();
      String sha = sha1("blob " + content);
      blobsBySha.put(sha, content);
      ObjectNode b = example("git/create-blob");
      b.put("sha", sha);
      return Answer.json(201, b);
    }
    if (m.equals("POST") && match(repo + "/git/trees", p) != null) {
      JsonNode b = r.json();
      Map<String, String> files =
          new LinkedHashMap<>(trees.getOrDefault(b.path("base_tree").asText(), Map.of()));
      for (JsonNode e : b.path("tree")) {
        files.put(e.path("path").asText(), blobsBySha.get(e.path("sha").asText()));
      }
      String sha = sha1("tree" + files);
      trees.put(sha, files);
      ObjectNode t = example("git/create-tree");
      t.put("sha", sha);
      return Answer.json(201, t);
    }
    if (m.equals("POST") && match(repo + "/git/commits", p) != null) {
      JsonNode b = r.json();
      Map<String, String> files = trees.get(b.path("tree").asText());
      String sha = commit(b.path("parents").path(0).asText(), files, b.path("message").asText());
      ObjectNode c = example("git/create-commit");
      c.put("sha", sha);
      c.put("message", b.path("message").asText());
      return Answer.json(201, c);
    }
    if (m.equals("GET") && match(repo + "/pulls", p) != null) {
      ArrayNode arr = JSON.createArrayNode();
      String head = q.get("head");
      for (ObjectNode pr : pulls) {
        String owner = pr.path("head").path("user").path("login").asText("octocat");
        if ((head == null || head.equals(owner + ":" + pr.path("head").path("ref").asText()))
            && pr.path("state").asText().equals(q.getOrDefault("state", "open"))) {
          arr.add(pr);
        }
      }
      return Answer.json(200, arr);
    }
    if (m.equals("POST") && (x = match(repo + "/pulls", p)) != null) {
      JsonNode b = r.json();
      for (ObjectNode pr : pulls) {
        if (pr.path("head").path("ref").asText().equals(b.path("head").asText())
            && pr.path("state").asText().equals("open")) {
          return new Answer(
              422,
              "{\"message\":\"Validation Failed\",\"errors\":[{\"message\":\"A pull request already exists for octocat:"
                  + b.path("head").asText()
                  + ".\"}]}",
              Map.of());
        }
      }
      ObjectNode pr = example("pulls/create");
      int number = 1347 + pulls.size();
      pr.put("number", number);
      pr.put("state", "open");
      pr.put("title", b.path("title").asText());
      pr.put("html_url", "https://github.com/" + x.group(1) + "/" + x.group(2) + "/pull/" + number);
      ObjectNode head = (ObjectNode) pr.path("head");
      head.put("ref", b.path("head").asText());
      ((ObjectNode) head.path("user")).put("login", x.group(1));
      ((ObjectNode) pr.path("base")).put("ref", b.path("base").asText());
      pulls.add(pr);
      return Answer.json(201, pr);
    }
    if (m.equals("POST") && (x = match(repo + "/issues/(\\d+)/labels", p)) != null) {
      List<String> l = labels.computeIfAbsent(x.group(3), k -> new ArrayList<>());
      r.json()
          .path("labels")
          .forEach(
              n -> {
                if (!l.contains(n.asText())) {
                  l.add(n.asText());
                }
              });
      return Answer.json(200, JSON.createArrayNode());
    }
    if (m.equals("POST") && (x = match(repo + "/issues/(\\d+)/comments", p)) != null) {
      comments
          .computeIfAbsent(x.group(3), k -> new ArrayList<>())
          .add(r.json().path("body").asText());
      ObjectNode c = example("issues/create-comment");
      c.put("body", r.json().path("body").asText());
      return Answer.json(201, c);
    }
    if (m.equals("GET") && (x = match(repo + "/issues/(\\d+)/comments", p)) != null) {
      ArrayNode arr = JSON.createArrayNode();
      for (String body : comments.getOrDefault(x.group(3), List.of())) {
        ObjectNode c = example("issues/list-comments");
        c.put("body", body);
        arr.add(c);
      }
      return Answer.json(200, arr);
    }
    if (m.equals("GET") && (x = match(repo + "/actions/variables/([^/]+)", p)) != null) {
      String v = variables.get(x.group(3));
      if (v == null) {
        return Answer.notFound();
      }
      ObjectNode n = example("actions/get-repo-variable");
      n.put("name", x.group(3));
      n.put("value", v);
      return Answer.json(200, n);
    }
    if (m.equals("PATCH") && (x = match(repo + "/actions/variables/([^/]+)", p)) != null) {
      if (!variables.containsKey(x.group(3))) {
        return Answer.notFound();
      }
      variables.put(x.group(3), r.json().path("value").asText());
      return new Answer(204, "", Map.of());
    }
    if (m.equals("POST") && match(repo + "/actions/variables", p) != null) {
      String name = r.json().path("name").asText();
      if (variables.containsKey(name)) {
        return new Answer(409, "{\"message\":\"Already exists\"}", Map.of());
      }
      variables.put(name, r.json().path("value").asText());
      return Answer.json(201, JSON.createObjectNode());
    }
    if (m.equals("GET") && match(repo + "/issues", p) != null) {
      ArrayNode arr = JSON.createArrayNode();
      issues.stream()
          .filter(i -> i.path("state").asText().equals(q.getOrDefault("state", "open")))
          .forEach(arr::add);
      return Answer.json(200, arr);
    }
    if (m.equals("POST") && (x = match(repo + "/issues", p)) != null) {
      ObjectNode i = example("issues/create");
      int number = 42 + issues.size();
      i.put("number", number);
      i.put("state", "open");
      i.put("title", r.json().path("title").asText());
      i.remove("pull_request");
      i.put(
          "html_url", "https://github.com/" + x.group(1) + "/" + x.group(2) + "/issues/" + number);
      issues.add(i);
      return Answer.json(201, i);
    }
    return new Answer(
        404, "{\"message\":\"simulator has no route for " + m + " " + p + "\"}", Map.of());
  }

  private static ObjectNode ref(String branch, String sha) {
    ObjectNode n = example("git/get-ref");
    n.put("ref", "refs/heads/" + branch);
    ((ObjectNode) n.path("object")).put("sha", sha);
    return n;
  }

  private static Matcher match(String regex, String path) {
    Matcher m = Pattern.compile(regex).matcher(path);
    return m.matches() ? m : null;
  }

  static String sha1(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
