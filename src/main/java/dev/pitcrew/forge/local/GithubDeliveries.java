package dev.pitcrew.forge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds and sends the GitHub-format {@code workflow_run} and {@code workflow_job} deliveries of
 * the local forge. The payloads start from real deliveries (see SOURCE.md beside the templates)
 * with this forge's run, job, repository and URLs filled in, and are signed with {@code
 * X-Hub-Signature-256} exactly as GitHub signs them, so the receiver runs its production path.
 */
final class GithubDeliveries {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] TEMPLATE_REPOS = {
    "octo-org/octo-repo", "Codertocat/Hello-World", "octo-org/example-workflow"
  };

  private final JsonNode runTemplate = load("workflow_run.completed.json");
  private final JsonNode jobTemplate = load("workflow_job.completed.json");
  private final String webBase;
  private final String apiBase;
  private final Optional<URI> target;
  private final Optional<byte[]> secret;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What the receiver answered: its HTTP status, or 0 with the error when it was not reached. */
  record Sent(String deliveryId, int status, String error) {}

  GithubDeliveries(String webBase, String apiBase, Optional<URI> target, Optional<String> secret) {
    this.webBase = webBase;
    this.apiBase = apiBase;
    this.target = target;
    this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
  }

  boolean enabled() {
    return target.isPresent();
  }

  String runUrl(String repo, long runId) {
    return webBase + "/" + repo + "/actions/runs/" + runId;
  }

  String jobUrl(String repo, long runId, long jobId) {
    return runUrl(repo, runId) + "/job/" + jobId;
  }

  String pullUrl(String repo, int number) {
    return webBase + "/" + repo + "/pull/" + number;
  }

  String issueUrl(String repo, int number) {
    return webBase + "/" + repo + "/issues/" + number;
  }

  byte[] workflowRun(LocalStore.RunRow run, String defaultBranch, String commitMessage) {
    ObjectNode root = retarget(runTemplate, run.repo(), defaultBranch, actor(run));
    root.put("action", "completed");
    ObjectNode w = (ObjectNode) root.get("workflow_run");
    String api = apiBase + "/repos/" + run.repo() + "/actions/runs/" + run.id();
    w.put("id", run.id());
    w.put("name", run.pipelineName());
    w.put("display_title", commitMessage);
    w.put("path", run.pipelinePath());
    w.put("head_branch", run.branch());
    w.put("head_sha", run.sha());
    w.put("event", run.event());
    w.put("status", run.status());
    w.put("conclusion", run.conclusion());
    w.put("run_number", run.runNumber());
    w.put("run_attempt", 1);
    w.put("workflow_id", workflowId(run.repo(), run.pipelinePath()));
    w.put(
        "workflow_url",
        apiBase
            + "/repos/"
            + run.repo()
            + "/actions/workflows/"
            + workflowId(run.repo(), run.pipelinePath()));
    w.put("html_url", runUrl(run.repo(), run.id()));
    w.put("url", api);
    w.put("jobs_url", api + "/jobs");
    w.put("logs_url", api + "/logs");
    w.put("rerun_url", api + "/rerun");
    w.put("cancel_url", api + "/cancel");
    w.put("artifacts_url", api + "/artifacts");
    w.put("created_at", iso(run.createdAt()));
    w.put("run_started_at", iso(run.createdAt()));
    w.put("updated_at", iso(run.updatedAt()));
    w.putNull("previous_attempt_url");
    ObjectNode commit = (ObjectNode) w.get("head_commit");
    if (commit != null) {
      commit.put("id", run.sha());
      commit.put("message", commitMessage);
      commit.put("timestamp", iso(run.createdAt()));
    }
    ObjectNode wf = (ObjectNode) root.get("workflow");
    if (wf != null) {
      wf.put("id", workflowId(run.repo(), run.pipelinePath()));
      wf.put("name", run.pipelineName());
      wf.put("path", run.pipelinePath());
      wf.put(
          "html_url",
          webBase + "/" + run.repo() + "/blob/" + defaultBranch + "/" + run.pipelinePath());
    }
    return bytes(root);
  }

  byte[] workflowJob(LocalStore.RunRow run, LocalStore.JobRow job, String defaultBranch) {
    ObjectNode root = retarget(jobTemplate, run.repo(), defaultBranch, actor(run));
    root.put("action", "completed");
    ObjectNode j = (ObjectNode) root.get("workflow_job");
    j.put("id", job.id());
    j.put("run_id", run.id());
    j.put("run_url", apiBase + "/repos/" + run.repo() + "/actions/runs/" + run.id());
    j.put("run_attempt", 1);
    j.put("head_sha", run.sha());
    j.put("head_branch", run.branch());
    j.put("url", apiBase + "/repos/" + run.repo() + "/actions/jobs/" + job.id());
    j.put("html_url", jobUrl(run.repo(), run.id(), job.id()));
    j.put("check_run_url", apiBase + "/repos/" + run.repo() + "/check-runs/" + job.id());
    j.put("status", job.status());
    j.put("conclusion", job.conclusion());
    j.put("name", job.name());
    j.put("workflow_name", run.pipelineName());
    j.put("created_at", iso(run.createdAt()));
    j.put("started_at", iso(job.startedAt()));
    j.put("completed_at", iso(job.completedAt()));
    j.put("runner_name", "pitcrew-local");
    ArrayNode labels = j.putArray("labels");
    labels.add("self-hosted");
    labels.add("pitcrew-local");
    ArrayNode steps = j.putArray("steps");
    for (JobRunner.StepResult s : job.steps()) {
      ObjectNode n = steps.addObject();
      n.put("name", s.name());
      n.put("status", "completed");
      n.put("conclusion", s.conclusion());
      n.put("number", s.number());
      n.put("started_at", iso(s.startedAt()));
      n.put("completed_at", iso(s.completedAt()));
    }
    return bytes(root);
  }

  /** Posts one delivery; never throws: an unreachable receiver is recorded, as GitHub does. */
  Sent send(String event, byte[] body) {
    String id = UUID.randomUUID().toString();
    if (target.isEmpty()) {
      return new Sent(id, 0, "no webhook URL configured");
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(target.get())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "GitHub-Hookshot/pitcrew-local")
            .header("X-GitHub-Event", event)
            .header("X-GitHub-Delivery", id)
            .header("X-GitHub-Hook-ID", "1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    secret.ifPresent(s -> req.header("X-Hub-Signature-256", sign(s, body)));
    try {
      HttpResponse<Void> res = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
      return new Sent(id, res.statusCode(), null);
    } catch (IOException e) {
      return new Sent(id, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sent(id, 0, "interrupted");
    }
  }

  /** GitHub's signature: {@code sha256=} and the hex HMAC-SHA256 of the raw body. */
  static String sign(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  private static String actor(LocalStore.RunRow run) {
    return run.actor() == null ? LocalForge.DEVELOPER : run.actor();
  }

  private ObjectNode retarget(JsonNode template, String repo, String defaultBranch, String actor) {
    String owner = repo.substring(0, repo.indexOf('/'));
    String name = repo.substring(repo.indexOf('/') + 1);
    ObjectNode root = (ObjectNode) rewrite(template.deepCopy(), repo);
    root.remove("organization");
    for (String key : new String[] {"repository"}) {
      fixRepo(root.get(key), repo, owner, name, defaultBranch);
    }
    JsonNode inner = root.get("workflow_run");
    if (inner != null) {
      fixRepo(inner.get("repository"), repo, owner, name, defaultBranch);
      fixRepo(inner.get("head_repository"), repo, owner, name, defaultBranch);
      if (inner.get("actor") instanceof ObjectNode a) {
        a.put("login", actor);
      }
      if (inner.get("triggering_actor") instanceof ObjectNode a) {
        a.put("login", actor);
      }
    }
    if (root.get("sender") instanceof ObjectNode s) {
      s.put("login", actor);
      s.put("type", "User");
    }
    return root;
  }

  private void fixRepo(JsonNode n, String repo, String owner, String name, String defaultBranch) {
    if (!(n instanceof ObjectNode r)) {
      return;
    }
    r.put("id", Math.abs((long) repo.hashCode()));
    r.put("full_name", repo);
    r.put("name", name);
    r.put("private", true);
    r.put("fork", false);
    r.put("html_url", webBase + "/" + repo);
    r.put("url", apiBase + "/repos/" + repo);
    if (r.has("default_branch")) {
      r.put("default_branch", defaultBranch);
    }
    if (r.get("owner") instanceof ObjectNode o) {
      o.put("login", owner);
      o.put("html_url", webBase + "/" + owner);
      o.put("url", apiBase + "/users/" + owner);
    }
  }

  /** Replaces the template's repository names and GitHub hosts in every string. */
  private JsonNode rewrite(JsonNode n, String repo) {
    if (n instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        e.setValue(rewrite(e.getValue(), repo));
      }
      return o;
    }
    if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, rewrite(a.get(i), repo));
      }
      return a;
    }
    if (n.isTextual()) {
      String s = n.asText();
      for (String t : TEMPLATE_REPOS) {
        s = s.replace(t, repo);
      }
      s = s.replace("https://api.github.com", apiBase).replace("https://github.com", webBase);
      return TextNode.valueOf(s);
    }
    return n;
  }

  private static long workflowId(String repo, String path) {
    return Math.abs((long) (repo + ":" + path).hashCode());
  }

  private static String iso(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode load(String name) {
    try (InputStream in = GithubDeliveries.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
