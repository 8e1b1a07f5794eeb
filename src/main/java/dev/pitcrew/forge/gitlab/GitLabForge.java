package dev.pitcrew.forge.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.JobRef;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.TestResult;
import dev.pitcrew.forge.http.ForgeApiException;
import dev.pitcrew.forge.http.ForgeApiException.Kind;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.ForgeHttp.Request;
import dev.pitcrew.forge.http.ForgeHttp.Response;
import dev.pitcrew.forge.http.RemoteLogSource;
import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitLab CI through GitLab's REST API v4 (gitlab.com or self-managed), authenticated with a
 * personal, project or group access token in the {@code PRIVATE-TOKEN} header. Pipelines are our
 * runs; GitLab keeps the pipeline id across retries, so a run's attempt is always 1.
 */
public final class GitLabForge implements Forge {
  private static final int PAGE = 100;
  private static final int MAX_PAGES = 10;
  private static final Logger LOG = LoggerFactory.getLogger(GitLabForge.class);

  private final URI api;
  private final String webHost;
  private final String token;
  private final ForgeHttp http;
  private final long logCap;

  /**
   * @param api the REST base, {@code https://HOST/api/v4}
   * @param token an access token with the {@code api} scope (or {@code read_api} for reading), or
   *     null for public projects
   */
  public GitLabForge(URI api, String webHost, String token, ForgeHttp http, long logCap) {
    this.api = api;
    this.webHost = webHost;
    this.token = token == null || token.isBlank() ? null : token.strip();
    this.http = http;
    this.logCap = logCap;
  }

  /** {@code https://HOST/api/v4}, or {@code PITCREW_GITLAB_API_URL} when set. */
  public static URI apiBase(String webHost, Map<String, String> env) {
    String override = env.get("PITCREW_GITLAB_API_URL");
    if (override != null && !override.isBlank()) {
      String s = override.strip();
      return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }
    return URI.create("https://" + webHost + "/api/v4");
  }

  @Override
  public Provider provider() {
    return Provider.GITLAB;
  }

  // --- reading ---

  /**
   * GitLab runs the project's {@code .gitlab-ci.yml} (a project may name another file in its CI/CD
   * settings; then the prompt simply goes without it).
   */
  @Override
  public Optional<String> pipelineFilePath(Run run) {
    return Optional.of(".gitlab-ci.yml");
  }

  @Override
  public Run run(RunRef ref) throws IOException {
    RunRef actual = new RunRef(ref.repo(), ref.runId(), 1);
    return toRun(actual, pipeline(ref), jobs(actual));
  }

  /** {@code GET /projects/:id/pipelines/:pipeline_id}; a missing pipeline is a not-found error. */
  private JsonNode pipeline(RunRef ref) throws IOException {
    Request r = get(project(ref.repo(), "pipelines", ref.runId()), "read_api");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      throw http.notFound(r, resp, "pipeline " + ref.runId() + " of " + ref.repo().fullName());
    }
    expect(r, resp, 200);
    return http.json(r, resp);
  }

  private List<JsonNode> jobs(RunRef ref) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      URI u =
          query(
              project(ref.repo(), "pipelines", ref.runId(), "jobs"),
              Map.of("per_page", String.valueOf(PAGE), "page", String.valueOf(page)));
      Request r = get(u, "read_api");
      Response resp = http.send(r);
      expect(r, resp, 200);
      JsonNode arr = http.json(r, resp);
      arr.forEach(out::add);
      if (arr.size() < PAGE) {
        break;
      }
    }
    return out;
  }

  @Override
  public Run runOfJob(RepoRef repo, String jobId) throws IOException {
    Request r = get(project(repo, "jobs", jobId), "read_api");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      throw http.notFound(r, resp, "job " + jobId + " of " + repo.fullName());
    }
    expect(r, resp, 200);
    return run(new RunRef(repo, http.json(r, resp).path("pipeline").path("id").asText(), 1));
  }

  @Override
  public List<JobLog> failedJobLogs(RunRef ref) throws IOException {
    Run run = run(ref);
    List<JobLog> out = new ArrayList<>();
    for (Run.Job j : run.jobs()) {
      if ("failed".equals(j.outcome())) {
        out.add(new JobLog(j, log(j.ref(), j.url())));
      }
    }
    return out;
  }

  @Override
  public LogSource jobLog(JobRef job) {
    return log(job, null);
  }

  private LogSource log(JobRef job, String url) {
    String name =
        url != null
            ? url
            : "https://" + webHost + "/" + job.run().repo().fullName() + "/-/jobs/" + job.jobId();
    return new RemoteLogSource(
        name,
        http,
        get(project(job.run().repo(), "jobs", job.jobId(), "trace"), "read_api"),
        logCap);
  }

  @Override
  public Optional<Run> lastSuccessfulRun(Run failed) throws IOException {
    if (failed.branch() == null) {
      return Optional.empty();
    }
    RepoRef repo = failed.ref().repo();
    Map<String, String> q = new LinkedHashMap<>();
    q.put("ref", failed.branch());
    q.put("status", "success");
    q.put("order_by", "id");
    q.put("sort", "desc");
    q.put("per_page", "5");
    if (failed.workflow() != null) {
      q.put("source", failed.workflow());
    }
    Request r = get(query(project(repo, "pipelines"), q), "read_api");
    Response resp = http.send(r);
    expect(r, resp, 200);
    for (JsonNode p : http.json(r, resp)) {
      if (p.path("id").asText().equals(failed.ref().runId())) {
        continue;
      }
      RunRef ok = new RunRef(repo, p.path("id").asText(), 1);
      return Optional.of(toRun(ok, p, jobs(ok)));
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> fileContent(RepoRef repo, String path, String ref) throws IOException {
    Request r =
        get(
            query(project(repo, "repository", "files", path, "raw"), Map.of("ref", ref)),
            "read_api (or read_repository)");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      return Optional.empty();
    }
    expect(r, resp, 200);
    return Optional.of(resp.text());
  }

  /** The repository tree API, recursively, paged; blobs only. */
  @Override
  public List<String> listFiles(RepoRef repo, String folder, String ref) throws IOException {
    String f = folder == null ? "" : folder.replaceAll("^/+|/+$", "");
    List<String> out = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      Map<String, String> q = new java.util.LinkedHashMap<>();
      q.put("ref", ref);
      q.put("recursive", "true");
      q.put("per_page", String.valueOf(PAGE));
      q.put("page", String.valueOf(page));
      if (!f.isEmpty()) {
        q.put("path", f);
      }
      Request r =
          get(query(project(repo, "repository", "tree"), q), "read_api (or read_repository)");
      Response resp = http.send(r);
      if (resp.status() == 404) {
        return List.of();
      }
      expect(r, resp, 200);
      JsonNode arr = http.json(r, resp);
      for (JsonNode e : arr) {
        if ("blob".equals(e.path("type").asText())) {
          out.add(e.path("path").asText());
        }
      }
      if (arr.size() < PAGE) {
        break;
      }
    }
    return out.stream().sorted().toList();
  }

  @Override
  public String defaultBranch(RepoRef repo) throws IOException {
    Request r = get(project(repo), "read_api");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      throw http.notFound(r, resp, "project " + repo.fullName());
    }
    expect(r, resp, 200);
    return http.json(r, resp).path("default_branch").asText();
  }

  /**
   * {@code GET /projects/:id/pipelines?status=failed&updated_after=SINCE}, newest first, at most
   * three pages of 100. The list leaves out the project's path and the pipeline's user, so the
   * project is read once and each failed pipeline once: the same run key and actor as a Pipeline
   * Hook of it. A fork's merge-request pipeline runs in the fork, not in this project's list.
   */
  @Override
  public List<dev.pitcrew.forge.CiEvent.RunFailed> recentFailedRuns(RepoRef repo, Instant since)
      throws IOException {
    Request pr = get(project(repo), "read_api");
    Response presp = http.send(pr);
    if (presp.status() == 404) {
      throw http.notFound(pr, presp, "project " + repo.fullName());
    }
    expect(pr, presp, 200);
    JsonNode proj = http.json(pr, presp);
    String web = proj.path("web_url").asText("https://" + webHost + "/" + repo.fullName());
    URI webUri = URI.create(web);
    String host =
        webUri.getPort() > 0 ? webUri.getHost() + ":" + webUri.getPort() : webUri.getHost();
    RepoRef named =
        new RepoRef(
            Provider.GITLAB,
            host,
            proj.path("path_with_namespace").asText(repo.fullName()),
            proj.path("id").asText(repo.projectId()));
    List<dev.pitcrew.forge.CiEvent.RunFailed> out = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("status", "failed");
      q.put("updated_after", since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      q.put("order_by", "id");
      q.put("sort", "desc");
      q.put("per_page", String.valueOf(PAGE));
      q.put("page", String.valueOf(page));
      Request r = get(query(project(named, "pipelines"), q), "read_api");
      Response resp = http.send(r);
      expect(r, resp, 200);
      JsonNode list = http.json(r, resp);
      for (JsonNode item : list) {
        String id = item.path("id").asText();
        Request dr = get(project(named, "pipelines", id), "read_api");
        Response dresp = http.send(dr);
        if (dresp.status() == 404) {
          continue; // deleted since it was listed
        }
        expect(dr, dresp, 200);
        JsonNode p = http.json(dr, dresp);
        if (!"failed".equals(p.path("status").asText())) {
          continue; // retried since it was listed: its new result will come by itself
        }
        Instant at = null;
        try {
          at = Instant.parse(p.path("finished_at").asText(p.path("updated_at").asText()));
        } catch (RuntimeException e) {
          // no usable time: the event still counts
        }
        out.add(
            new dev.pitcrew.forge.CiEvent.RunFailed(
                new RunRef(named, id, 1),
                p.path("ref").asText(),
                p.path("sha").asText(),
                p.path("source").asText(null),
                p.path("web_url").asText(web + "/-/pipelines/" + id),
                p.path("user").path("username").asText(""),
                false,
                null,
                at));
      }
      if (list.size() < PAGE) {
        break;
      }
    }
    return out;
  }

  /**
   * {@code GET /projects/:id/pipelines/:pipeline_id/test_report}: GitLab parses the JUnit reports
   * the jobs declared ({@code artifacts:reports:junit}) and answers their test cases as JSON, with
   * the {@code classname} and {@code name} of the XML; its statuses success, failed, error and
   * skipped are ours. The report covers the pipeline's latest jobs, so after a retry it is the
   * retry's. Any failure gives no results, with a warning: the log then names the failed tests.
   */
  @Override
  public List<TestResult> testResults(RunRef ref) {
    try {
      Request r = get(project(ref.repo(), "pipelines", ref.runId(), "test_report"), "read_api");
      Response resp = http.send(r);
      expect(r, resp, 200);
      List<TestResult> out = new ArrayList<>();
      for (JsonNode suite : http.json(r, resp).path("test_suites")) {
        for (JsonNode c : suite.path("test_cases")) {
          Optional<TestResult.Status> status = status(c.path("status").asText());
          if (status.isPresent()) {
            out.add(
                new TestResult(
                    c.path("classname").asText(""), c.path("name").asText(""), status.get()));
          }
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      // reports only enrich the flakiness history: whatever went wrong, the log still serves
      LOG.warn(
          "GitLab test report of pipeline {} of {} not read, the log names the failed tests"
              + " instead: {}",
          ref.runId(),
          ref.repo().fullName(),
          e.getMessage());
      return List.of();
    }
  }

  /** GitLab's test case status in our words; one it may add later is left out, not guessed. */
  private static Optional<TestResult.Status> status(String gitlab) {
    return switch (gitlab) {
      case "success" -> Optional.of(TestResult.Status.PASSED);
      case "failed", "error" -> Optional.of(TestResult.Status.FAILED);
      case "skipped" -> Optional.of(TestResult.Status.SKIPPED);
      default -> Optional.empty();
    };
  }

  @Override
  public Optional<String> problem() {
    return http.breaker().state() == dev.pitcrew.forge.http.CircuitBreaker.State.OPEN
        ? Optional.of("GitLab failed repeatedly; calls paused until " + http.breaker().retryAt())
        : Optional.empty();
  }

  // --- acting ---

  /** Retries the pipeline's failed jobs; GitLab keeps the pipeline id. */
  @Override
  public RunRef rerunFailedJobs(RunRef ref) throws IOException {
    String before = status(ref);
    if (isActive(before)) {
      return new RunRef(ref.repo(), ref.runId(), 1); // already retried and running
    }
    Request r = write("POST", project(ref.repo(), "pipelines", ref.runId(), "retry"), null, false);
    try {
      expect(r, http.send(r), 201);
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      if (!isActive(status(ref))) {
        expect(r, http.send(r), 201);
      }
    }
    return new RunRef(ref.repo(), ref.runId(), 1);
  }

  private String status(RunRef ref) throws IOException {
    Request r = get(project(ref.repo(), "pipelines", ref.runId()), "read_api");
    Response resp = http.send(r);
    expect(r, resp, 200);
    return http.json(r, resp).path("status").asText();
  }

  private static boolean isActive(String status) {
    return switch (status) {
      case "created", "waiting_for_resource", "preparing", "pending", "running", "scheduled" ->
          true;
      default -> false;
    };
  }

  @Override
  public JobRef retryJob(JobRef job) throws IOException {
    Request r = write("POST", project(job.run().repo(), "jobs", job.jobId(), "retry"), null, false);
    Response resp = http.send(r);
    expect(r, resp, 201);
    JsonNode n = http.json(r, resp);
    return new JobRef(job.run(), n.path("id").asText(), n.path("name").asText(job.name()));
  }

  @Override
  public void ensureBranch(RepoRef repo, String branch, String fromSha) throws IOException {
    if (headOf(repo, branch).isPresent()) {
      return;
    }
    ObjectNode b = http.mapper().createObjectNode();
    b.put("branch", branch);
    b.put("ref", fromSha);
    Request r = write("POST", project(repo, "repository", "branches"), b, false);
    try {
      Response resp = http.send(r);
      if (resp.status() == 400 && headOf(repo, branch).isPresent()) {
        return;
      }
      expect(r, resp, 201);
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      if (headOf(repo, branch).isEmpty()) {
        expect(r, http.send(r), 201);
      }
    }
  }

  /** The commit a branch points at, or empty when it does not exist. */
  public Optional<String> headOf(RepoRef repo, String branch) throws IOException {
    Request r = get(project(repo, "repository", "branches", branch), "read_api");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      return Optional.empty();
    }
    expect(r, resp, 200);
    return Optional.of(http.json(r, resp).path("commit").path("id").asText());
  }

  @Override
  public String commitFiles(RepoRef repo, String branch, String message, Map<String, String> files)
      throws IOException {
    String head =
        headOf(repo, branch)
            .orElseThrow(
                () ->
                    new ForgeApiException(
                        Kind.NOT_FOUND,
                        404,
                        "branch "
                            + branch
                            + " does not exist in "
                            + repo.fullName()
                            + ": create it (ensureBranch) before committing"));
    ObjectNode b = http.mapper().createObjectNode();
    b.put("branch", branch);
    b.put("commit_message", message);
    ArrayNode actions = b.putArray("actions");
    boolean changes = false;
    for (var f : files.entrySet()) {
      Optional<String> now = fileContent(repo, f.getKey(), head);
      if (now.isPresent() && now.get().equals(f.getValue())) {
        continue;
      }
      changes = true;
      ObjectNode a = actions.addObject();
      a.put("action", now.isPresent() ? "update" : "create");
      a.put("file_path", f.getKey());
      a.put("content", f.getValue());
    }
    if (!changes) {
      return head; // a retried step: the commit landed before
    }
    Request r = write("POST", project(repo, "repository", "commits"), b, false);
    try {
      Response resp = http.send(r);
      expect(r, resp, 201);
      return http.json(r, resp).path("id").asText();
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      String now = headOf(repo, branch).orElse(head);
      if (!now.equals(head)) {
        return now; // the branch moved: our commit landed
      }
      Response again = http.send(r);
      expect(r, again, 201);
      return http.json(r, again).path("id").asText();
    }
  }

  @Override
  public PullRequest ensurePullRequest(
      RepoRef repo, String head, String base, String title, String body, List<String> labels)
      throws IOException {
    Optional<PullRequest> open = openMergeRequest(repo, head, base);
    if (open.isPresent()) {
      return open.get();
    }
    ObjectNode b = http.mapper().createObjectNode();
    b.put("source_branch", head);
    b.put("target_branch", base);
    b.put("title", title);
    b.put("description", body);
    if (labels != null && !labels.isEmpty()) {
      b.put("labels", String.join(",", labels));
    }
    Request r = write("POST", project(repo, "merge_requests"), b, false);
    try {
      Response resp = http.send(r);
      if (resp.status() == 409) {
        Optional<PullRequest> found = openMergeRequest(repo, head, base);
        if (found.isPresent()) {
          return found.get();
        }
      }
      expect(r, resp, 201);
      return toMr(repo, http.json(r, resp));
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      Optional<PullRequest> found = openMergeRequest(repo, head, base);
      if (found.isPresent()) {
        return found.get();
      }
      Response again = http.send(r);
      expect(r, again, 201);
      return toMr(repo, http.json(r, again));
    }
  }

  /** A merge-request pipeline's ref: {@code refs/merge-requests/<iid>/head} (or merge, train). */
  private static final java.util.regex.Pattern MR_REF =
      java.util.regex.Pattern.compile("refs/merge-requests/(\\d+)/(?:head|merge|train)");

  /**
   * The merge request of the pipeline: by its iid for a merge-request pipeline, otherwise the open
   * merge request whose source branch is the pipeline's branch (the one at the pipeline's commit
   * when there are several). A tag pipeline belongs to none.
   */
  @Override
  public Optional<PullRequest> pullRequestOf(RunRef ref) throws IOException {
    JsonNode p = pipeline(ref);
    String gitRef = p.path("ref").asText("");
    java.util.regex.Matcher m = MR_REF.matcher(gitRef);
    if (m.matches()) {
      Request mr = get(project(ref.repo(), "merge_requests", m.group(1)), "read_api");
      Response mresp = http.send(mr);
      if (mresp.status() == 404) {
        return Optional.empty();
      }
      expect(mr, mresp, 200);
      return Optional.of(toMr(ref.repo(), http.json(mr, mresp)));
    }
    if (gitRef.isEmpty() || p.path("tag").asBoolean(false)) {
      return Optional.empty();
    }
    List<JsonNode> open = openMergeRequests(ref.repo(), gitRef, null);
    for (JsonNode mr : open) {
      if (mr.path("sha").asText("").equals(p.path("sha").asText())) {
        return Optional.of(toMr(ref.repo(), mr));
      }
    }
    return open.stream().findFirst().map(mr -> toMr(ref.repo(), mr));
  }

  private Optional<PullRequest> openMergeRequest(RepoRef repo, String head, String base)
      throws IOException {
    return openMergeRequests(repo, head, base).stream().findFirst().map(mr -> toMr(repo, mr));
  }

  /**
   * The open merge requests from branch {@code source} (into {@code target}, when not null), in
   * GitLab's order; entries for another source branch are dropped whatever the server answered.
   */
  private List<JsonNode> openMergeRequests(RepoRef repo, String source, String target)
      throws IOException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("state", "opened");
    q.put("source_branch", source);
    if (target != null) {
      q.put("target_branch", target);
    }
    Request r = get(query(project(repo, "merge_requests"), q), "read_api");
    Response resp = http.send(r);
    expect(r, resp, 200);
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode mr : http.json(r, resp)) {
      if (source.equals(mr.path("source_branch").asText())) {
        out.add(mr);
      }
    }
    return out;
  }

  private static PullRequest toMr(RepoRef repo, JsonNode mr) {
    return new PullRequest(
        repo,
        mr.path("iid").asText(),
        mr.path("web_url").asText(),
        mr.path("source_branch").asText(),
        mr.path("target_branch").asText(),
        "opened".equals(mr.path("state").asText()) ? "open" : mr.path("state").asText());
  }

  @Override
  public void comment(PullRequest pr, String body) throws IOException {
    ObjectNode b = http.mapper().createObjectNode();
    b.put("body", body);
    Request r = write("POST", project(pr.repo(), "merge_requests", pr.number(), "notes"), b, false);
    try {
      expect(r, http.send(r), 201);
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      if (!hasNote(pr, body)) {
        expect(r, http.send(r), 201);
      }
    }
  }

  @Override
  public List<String> comments(PullRequest pr) throws IOException {
    List<String> out = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("sort", "asc");
      q.put("order_by", "created_at");
      q.put("per_page", String.valueOf(PAGE));
      q.put("page", String.valueOf(page));
      Request r =
          get(query(project(pr.repo(), "merge_requests", pr.number(), "notes"), q), "read_api");
      Response resp = http.send(r);
      expect(r, resp, 200);
      JsonNode all = http.json(r, resp);
      for (JsonNode n : all) {
        out.add(n.path("body").asText());
      }
      if (all.size() < PAGE) {
        break;
      }
    }
    return out;
  }

  private boolean hasNote(PullRequest pr, String body) throws IOException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("sort", "desc");
    q.put("order_by", "created_at");
    q.put("per_page", String.valueOf(PAGE));
    Request r =
        get(query(project(pr.repo(), "merge_requests", pr.number(), "notes"), q), "read_api");
    Response resp = http.send(r);
    expect(r, resp, 200);
    for (JsonNode n : http.json(r, resp)) {
      if (body.equals(n.path("body").asText())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Optional<String> variable(RepoRef repo, String name) throws IOException {
    Request r = get(project(repo, "variables", name), "api (Maintainer role)");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      return Optional.empty();
    }
    expect(r, resp, 200);
    return Optional.of(http.json(r, resp).path("value").asText());
  }

  @Override
  public Optional<String> setVariable(RepoRef repo, String name, String value) throws IOException {
    Optional<String> previous = variable(repo, name);
    if (previous.isPresent() && previous.get().equals(value)) {
      return previous;
    }
    ObjectNode update = http.mapper().createObjectNode();
    update.put("value", value);
    Request put = write("PUT", project(repo, "variables", name), update, true);
    if (previous.isPresent()) {
      expect(put, http.send(put), 200);
      return previous;
    }
    ObjectNode create = http.mapper().createObjectNode();
    create.put("key", name);
    create.put("value", value);
    Request post = write("POST", project(repo, "variables"), create, false);
    try {
      Response resp = http.send(post);
      if (resp.status() == 400 && variable(repo, name).isPresent()) {
        expect(put, http.send(put), 200); // created in between: overwrite
      } else {
        expect(post, resp, 201);
      }
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      if (variable(repo, name).isPresent()) {
        expect(put, http.send(put), 200);
      } else {
        expect(post, http.send(post), 201);
      }
    }
    return Optional.empty();
  }

  @Override
  public String ensureIssue(RepoRef repo, String title, String body, List<String> labels)
      throws IOException {
    Optional<String> open = openIssue(repo, title);
    if (open.isPresent()) {
      return open.get();
    }
    ObjectNode b = http.mapper().createObjectNode();
    b.put("title", title);
    b.put("description", body);
    if (labels != null && !labels.isEmpty()) {
      b.put("labels", String.join(",", labels));
    }
    Request r = write("POST", project(repo, "issues"), b, false);
    try {
      Response resp = http.send(r);
      expect(r, resp, 201);
      return http.json(r, resp).path("web_url").asText();
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      Optional<String> found = openIssue(repo, title);
      if (found.isPresent()) {
        return found.get();
      }
      Response again = http.send(r);
      expect(r, again, 201);
      return http.json(r, again).path("web_url").asText();
    }
  }

  private Optional<String> openIssue(RepoRef repo, String title) throws IOException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("state", "opened");
    q.put("search", title);
    q.put("in", "title");
    q.put("per_page", String.valueOf(PAGE));
    Request r = get(query(project(repo, "issues"), q), "read_api");
    Response resp = http.send(r);
    expect(r, resp, 200);
    for (JsonNode i : http.json(r, resp)) {
      if (title.equals(i.path("title").asText())) {
        return Optional.of(i.path("web_url").asText());
      }
    }
    return Optional.empty();
  }

  // --- verification: the pipeline a pushed commit started ---

  /** How long {@link #runForCommit} keeps looking (GitLab creates pipelines asynchronously). */
  static final List<java.time.Duration> COMMIT_RUN_POLLS =
      List.of(
          java.time.Duration.ZERO,
          java.time.Duration.ofSeconds(2),
          java.time.Duration.ofSeconds(4),
          java.time.Duration.ofSeconds(8),
          java.time.Duration.ofSeconds(16));

  /**
   * The newest pipeline for {@code sha} ({@code GET /projects/:id/pipelines?sha=}), polled for
   * about 30 s. A push and the merge request it belongs to may each start one; the newest wins.
   */
  @Override
  public Optional<RunRef> runForCommit(RepoRef repo, String sha) throws IOException {
    if (sha == null || !sha.matches("[0-9a-fA-F]{7,64}")) {
      throw new IllegalArgumentException("not a commit sha: '" + sha + "'");
    }
    Map<String, String> q = new LinkedHashMap<>();
    q.put("sha", sha);
    q.put("order_by", "id");
    q.put("sort", "desc");
    q.put("per_page", "5");
    for (java.time.Duration wait : COMMIT_RUN_POLLS) {
      http.pause(wait);
      Request r = get(query(project(repo, "pipelines"), q), "read_api");
      Response resp = http.send(r);
      expect(r, resp, 200);
      JsonNode best = null;
      for (JsonNode p : http.json(r, resp)) {
        if (sha.equalsIgnoreCase(p.path("sha").asText())
            && (best == null || p.path("id").asLong() > best.path("id").asLong())) {
          best = p;
        }
      }
      if (best != null) {
        return Optional.of(new RunRef(repo, best.path("id").asText(), 1));
      }
    }
    return Optional.empty();
  }

  // --- helpers ---

  private Run toRun(RunRef ref, JsonNode p, List<JsonNode> jobs) {
    List<Run.Job> js = new ArrayList<>();
    for (JsonNode j : jobs) {
      String outcome = outcome(j.path("status").asText());
      if ("failed".equals(outcome) && j.path("allow_failure").asBoolean(false)) {
        outcome = "passed"; // allowed to fail: it did not break the pipeline
      }
      js.add(
          new Run.Job(
              new JobRef(ref, j.path("id").asText(), j.path("name").asText()),
              j.path("stage").asText(null),
              outcome,
              j.path("web_url").asText(null),
              null));
    }
    Instant created = null;
    try {
      created = Instant.parse(p.path("created_at").asText());
    } catch (RuntimeException e) {
      // leave it out rather than fail the read
    }
    return new Run(
        ref,
        p.path("ref").asText(null),
        p.path("sha").asText(null),
        p.path("source").asText(null),
        outcome(p.path("status").asText()),
        p.path("web_url").asText(null),
        created,
        p.path("user").path("username").asText(null),
        js);
  }

  /** GitLab's status in our four words. */
  static String outcome(String status) {
    return switch (status) {
      case "success", "skipped" -> "passed";
      case "failed" -> "failed";
      case "canceled", "canceling" -> "cancelled";
      default -> "running";
    };
  }

  private URI project(RepoRef repo, String... segments) {
    String id = repo.projectId() != null ? repo.projectId() : repo.fullName();
    StringJoiner j = new StringJoiner("/", api.toString() + "/projects/", "");
    j.add(enc(id));
    for (String s : segments) {
      j.add(enc(s));
    }
    return URI.create(j.toString());
  }

  private static String enc(String s) {
    // GitLab wants project paths and file paths with their slashes encoded as %2F
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static URI query(URI u, Map<String, String> params) {
    StringJoiner j = new StringJoiner("&", u.toString() + "?", "");
    params.forEach((k, v) -> j.add(enc(k) + "=" + enc(v)));
    return URI.create(j.toString());
  }

  private Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/json");
    h.put("User-Agent", "pitcrew");
    if (token != null) {
      h.put("PRIVATE-TOKEN", token);
    }
    return h;
  }

  private Request get(URI u, String permission) {
    return Request.get(u, headers(), "a token with the " + permission + " scope");
  }

  private Request write(String method, URI u, JsonNode body, boolean repeatable)
      throws IOException {
    Map<String, String> h = headers();
    h.put("Content-Type", "application/json");
    byte[] b = body == null ? null : http.mapper().writeValueAsBytes(body);
    return new Request(
        method,
        u,
        h,
        b,
        repeatable,
        "a token with the api scope and the Developer role or higher"
            + (u.getPath().contains("/variables") ? " (Maintainer for CI/CD variables)" : ""));
  }

  private void expect(Request r, Response resp, int status) throws ForgeApiException {
    if (resp.status() != status) {
      throw http.unexpected(r, resp);
    }
  }

  @Override
  public String toString() {
    return "GitLabForge[" + api + "]";
  }
}
