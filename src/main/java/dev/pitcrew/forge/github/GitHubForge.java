package dev.pitcrew.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.JUnitXml;
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
import dev.pitcrew.logs.CappedInputStream;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.LogSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitHub Actions through GitHub's REST API (github.com or GitHub Enterprise Server). Vendor words
 * (workflow_run, conclusion, run_attempt) stop here; callers see {@link Run} and friends.
 */
public final class GitHubForge implements Forge {
  static final String API_VERSION = "2022-11-28";
  static final String USER_AGENT = "pitcrew";
  private static final int PAGE = 100;
  private static final int MAX_PAGES = 10;
  private static final Logger LOG = LoggerFactory.getLogger(GitHubForge.class);

  /** Test-report artifacts of one run are read up to 50 MiB by default. */
  public static final long DEFAULT_REPORT_CAP = 50L << 20;

  /** Entries (files and folders) read from one run's test-report artifacts at most. */
  static final int MAX_REPORT_ENTRIES = 10_000;

  /** Pages of 100 artifacts listed per run at most: a run with more is not a test run. */
  private static final int MAX_ARTIFACT_PAGES = 5;

  /**
   * Artifact names that plausibly carry test reports ({@code test-results}, {@code junit}, ...).
   */
  private static final Pattern REPORT_ARTIFACT =
      Pattern.compile("test|junit|surefire|report|result", Pattern.CASE_INSENSITIVE);

  private final URI api;
  private final String webHost;
  private final GitHubAuth auth;
  private final ForgeHttp http;
  private final long logCap;
  private final long reportCap;

  /**
   * @param api the REST base ({@code https://api.github.com} or {@code https://HOST/api/v3})
   * @param webHost the host runs and pull requests live on, for {@link RepoRef#host()}
   * @param logCap bytes read from one log at most
   */
  public GitHubForge(URI api, String webHost, GitHubAuth auth, ForgeHttp http, long logCap) {
    this(api, webHost, auth, http, logCap, DEFAULT_REPORT_CAP);
  }

  /**
   * @param reportCap bytes of test-report artifacts read for one run at most, downloaded and
   *     uncompressed alike ({@code PITCREW_MAX_TEST_REPORTS_MB})
   */
  public GitHubForge(
      URI api, String webHost, GitHubAuth auth, ForgeHttp http, long logCap, long reportCap) {
    this.api = api;
    this.webHost = webHost;
    this.auth = auth;
    this.http = http;
    this.logCap = logCap;
    this.reportCap = reportCap;
  }

  /**
   * The REST base for a web host: {@code api.github.com} for github.com, {@code /api/v3} on a
   * GitHub Enterprise Server; {@code PITCREW_GITHUB_API_URL} wins when set.
   */
  public static URI apiBase(String webHost, Map<String, String> env) {
    String override = env.get("PITCREW_GITHUB_API_URL");
    if (override != null && !override.isBlank()) {
      return URI.create(stripSlash(override.strip()));
    }
    if ("github.com".equalsIgnoreCase(webHost) || "www.github.com".equalsIgnoreCase(webHost)) {
      return URI.create("https://api.github.com");
    }
    return URI.create("https://" + webHost + "/api/v3");
  }

  @Override
  public Provider provider() {
    return Provider.GITHUB;
  }

  public String webHost() {
    return webHost;
  }

  // --- reading ---

  @Override
  public Run run(RunRef ref) throws IOException {
    JsonNode run = runJson(ref);
    int attempt = run.path("run_attempt").asInt(Math.max(1, ref.attempt()));
    RunRef actual = new RunRef(ref.repo(), ref.runId(), attempt);
    return toRun(actual, run, jobs(actual), webHost);
  }

  /** The run's workflow file, from the run's {@code path} (the workflow id is what Run keeps). */
  @Override
  public Optional<String> pipelineFilePath(Run run) throws IOException {
    Optional<String> known = Forge.workflowPath(run.workflow());
    if (known.isPresent()) {
      return known;
    }
    return Forge.workflowPath(runJson(run.ref()).path("path").asText(null));
  }

  private JsonNode runJson(RunRef ref) throws IOException {
    String[] owner = split(ref.repo());
    URI u =
        ref.attempt() > 0
            ? uri(
                api,
                "repos",
                owner[0],
                owner[1],
                "actions",
                "runs",
                ref.runId(),
                "attempts",
                String.valueOf(ref.attempt()))
            : uri(api, "repos", owner[0], owner[1], "actions", "runs", ref.runId());
    Request r = get(ref.repo(), u, "Actions: read");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      throw http.notFound(r, resp, "workflow run " + ref.runId() + " of " + ref.repo().fullName());
    }
    expect(r, resp, 200);
    return http.json(r, resp);
  }

  private List<JsonNode> jobs(RunRef ref) throws IOException {
    String[] o = split(ref.repo());
    List<JsonNode> out = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      URI u =
          query(
              uri(
                  api,
                  "repos",
                  o[0],
                  o[1],
                  "actions",
                  "runs",
                  ref.runId(),
                  "attempts",
                  String.valueOf(Math.max(1, ref.attempt())),
                  "jobs"),
              Map.of("per_page", String.valueOf(PAGE), "page", String.valueOf(page)));
      Request r = get(ref.repo(), u, "Actions: read");
      Response resp = http.send(r);
      expect(r, resp, 200);
      JsonNode n = http.json(r, resp);
      JsonNode jobs = n.path("jobs");
      jobs.forEach(out::add);
      if (jobs.size() < PAGE || out.size() >= n.path("total_count").asInt(0)) {
        break;
      }
    }
    return out;
  }

  @Override
  public Run runOfJob(RepoRef repo, String jobId) throws IOException {
    String[] o = split(repo);
    Request r = get(repo, uri(api, "repos", o[0], o[1], "actions", "jobs", jobId), "Actions: read");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      throw http.notFound(r, resp, "job " + jobId + " of " + repo.fullName());
    }
    expect(r, resp, 200);
    JsonNode job = http.json(r, resp);
    return run(new RunRef(repo, job.path("run_id").asText(), job.path("run_attempt").asInt(1)));
  }

  @Override
  public List<JobLog> failedJobLogs(RunRef ref) throws IOException {
    Run run = run(ref);
    List<JobLog> out = new ArrayList<>();
    for (Run.Job j : run.jobs()) {
      if ("failed".equals(j.outcome())) {
        out.add(new JobLog(j, jobLog(j.ref(), j.url())));
      }
    }
    return out;
  }

  @Override
  public LogSource jobLog(JobRef job) {
    return jobLog(job, null);
  }

  private LogSource jobLog(JobRef job, String url) {
    String[] o = split(job.run().repo());
    URI u = uri(api, "repos", o[0], o[1], "actions", "jobs", job.jobId(), "logs");
    String name =
        url != null
            ? url
            : "https://"
                + webHost
                + "/"
                + job.run().repo().fullName()
                + "/actions/runs/"
                + job.run().runId()
                + "/job/"
                + job.jobId();
    return new RemoteLogSource(name, http, lazyGet(job.run().repo(), u), logCap);
  }

  /**
   * The whole run's log archive (one entry per job), downloaded to a temporary file because a zip
   * needs random access; the file is deleted when the JVM exits.
   */
  @Override
  public List<LogSource> runLogs(RunRef ref) throws IOException {
    String[] o = split(ref.repo());
    URI u =
        uri(
            api,
            "repos",
            o[0],
            o[1],
            "actions",
            "runs",
            ref.runId(),
            "attempts",
            String.valueOf(Math.max(1, ref.attempt())),
            "logs");
    Path tmp = Files.createTempFile("pitcrew-run-" + ref.runId() + "-", ".zip");
    tmp.toFile().deleteOnExit();
    boolean cut;
    try (CappedInputStream in = http.download(get(ref.repo(), u, "Actions: read"), logCap);
        OutputStream out = Files.newOutputStream(tmp)) {
      in.transferTo(out);
      cut = in.hitCap();
    }
    if (cut) {
      throw new ForgeApiException(
          Kind.INVALID,
          200,
          "the run-log archive of run "
              + ref.runId()
              + " is larger than the "
              + logCap
              + "-byte cap; diagnose the failed jobs' logs instead");
    }
    return LogSources.resolve(tmp.toString(), InputStream.nullInputStream());
  }

  /**
   * The test cases of the run's test-report artifacts: those whose name says test, junit, surefire,
   * report or result and that have not expired, uploaded while this attempt ran (a run's artifacts
   * list holds every attempt's). Each archive is downloaded from the signed URL GitHub redirects
   * to, without the token, and unzipped as a stream within {@link #reportCap}. Any failure gives no
   * results at all, with a warning: a partial set would record the passes of one artifact and miss
   * the failures of another, while the log at least names the failures.
   */
  @Override
  public List<TestResult> testResults(RunRef ref) {
    try {
      JUnitXml.Budget budget = new JUnitXml.Budget(reportCap, MAX_REPORT_ENTRIES);
      List<TestResult> out = new ArrayList<>();
      for (JsonNode a : reportArtifacts(ref)) {
        out.addAll(readArtifact(ref, a, budget));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      // reports only enrich the flakiness history: whatever went wrong, the log still serves
      LOG.warn(
          "GitHub test reports of run {} of {} not read, the log names the failed tests instead: {}",
          ref.runId(),
          ref.repo().fullName(),
          e.getMessage());
      return List.of();
    }
  }

  private List<JsonNode> reportArtifacts(RunRef ref) throws IOException {
    // artifacts belong to the run, not the attempt: keep those created while this attempt ran
    JsonNode attempt = runJson(ref);
    int n = attempt.path("run_attempt").asInt(Math.max(1, ref.attempt()));
    Instant from = instant(attempt.path("run_started_at"));
    Instant until = null;
    if (ref.attempt() > 0
        && runJson(new RunRef(ref.repo(), ref.runId(), 0)).path("run_attempt").asInt(n) > n) {
      until = instant(runJson(new RunRef(ref.repo(), ref.runId(), n + 1)).path("run_started_at"));
    }
    String[] o = split(ref.repo());
    List<JsonNode> out = new ArrayList<>();
    int listed = 0;
    for (int page = 1; page <= MAX_ARTIFACT_PAGES; page++) {
      URI u =
          query(
              uri(api, "repos", o[0], o[1], "actions", "runs", ref.runId(), "artifacts"),
              Map.of("per_page", String.valueOf(PAGE), "page", String.valueOf(page)));
      Request r = get(ref.repo(), u, "Actions: read");
      Response resp = http.send(r);
      expect(r, resp, 200);
      JsonNode body = http.json(r, resp);
      JsonNode artifacts = body.path("artifacts");
      listed += artifacts.size();
      for (JsonNode a : artifacts) {
        Instant created = instant(a.path("created_at"));
        boolean inAttempt =
            created == null
                || ((from == null || !created.isBefore(from))
                    && (until == null || created.isBefore(until)));
        if (!a.path("expired").asBoolean(false)
            && inAttempt
            && REPORT_ARTIFACT.matcher(a.path("name").asText()).find()) {
          out.add(a);
        }
      }
      if (artifacts.size() < PAGE || listed >= body.path("total_count").asInt(Integer.MAX_VALUE)) {
        break;
      }
    }
    return out;
  }

  private List<TestResult> readArtifact(RunRef ref, JsonNode artifact, JUnitXml.Budget budget)
      throws IOException {
    String name = artifact.path("name").asText();
    long size = artifact.path("size_in_bytes").asLong(0);
    if (size > budget.bytesLeft()) {
      throw unreadable(name, "it is " + size + " bytes, over what is left of the cap");
    }
    String[] o = split(ref.repo());
    URI u =
        uri(api, "repos", o[0], o[1], "actions", "artifacts", artifact.path("id").asText(), "zip");
    // ForgeHttp follows the redirect to blob storage itself and drops the token on the way
    try (CappedInputStream in = http.download(get(ref.repo(), u, "Actions: read"), reportCap)) {
      List<TestResult> found;
      try {
        found = JUnitXml.fromZip(in, budget);
      } catch (JUnitXml.ArchiveException e) {
        throw unreadable(name, in.hitCap() ? "the archive is larger than the cap" : e.getMessage());
      }
      if (in.hitCap()) {
        throw unreadable(name, "the archive is larger than the cap");
      }
      return found;
    }
  }

  private ForgeApiException unreadable(String artifact, String why) {
    return new ForgeApiException(
        Kind.INVALID,
        200,
        "test-report artifact '"
            + artifact
            + "' not read: "
            + why
            + " (cap: "
            + reportCap
            + " bytes and "
            + MAX_REPORT_ENTRIES
            + " entries per run, PITCREW_MAX_TEST_REPORTS_MB)");
  }

  private static Instant instant(JsonNode n) {
    try {
      return n.isTextual() ? Instant.parse(n.asText()) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public Optional<Run> lastSuccessfulRun(Run failed) throws IOException {
    if (failed.workflow() == null || failed.branch() == null) {
      return Optional.empty();
    }
    RepoRef repo = failed.ref().repo();
    String[] o = split(repo);
    Map<String, String> q = new LinkedHashMap<>();
    q.put("branch", failed.branch());
    q.put("status", "success");
    q.put("exclude_pull_requests", "true");
    q.put("per_page", "5");
    URI u =
        query(uri(api, "repos", o[0], o[1], "actions", "workflows", failed.workflow(), "runs"), q);
    Request r = get(repo, u, "Actions: read");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      return Optional.empty();
    }
    expect(r, resp, 200);
    for (JsonNode run : http.json(r, resp).path("workflow_runs")) {
      if (run.path("id").asText().equals(failed.ref().runId())) {
        continue;
      }
      RunRef ok = new RunRef(repo, run.path("id").asText(), run.path("run_attempt").asInt(1));
      return Optional.of(toRun(ok, run, jobs(ok), webHost));
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> fileContent(RepoRef repo, String path, String ref) throws IOException {
    String[] o = split(repo);
    List<String> segs = new ArrayList<>(List.of("repos", o[0], o[1], "contents"));
    segs.addAll(List.of(path.replaceAll("^/+", "").split("/")));
    URI u = query(uri(api, segs.toArray(String[]::new)), Map.of("ref", ref));
    Request r = get(repo, u, "Contents: read");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      return Optional.empty();
    }
    expect(r, resp, 200);
    JsonNode n = http.json(r, resp);
    if (!n.isObject() || !"file".equals(n.path("type").asText())) {
      throw new ForgeApiException(
          Kind.INVALID, 200, path + " at " + ref + " in " + repo.fullName() + " is not a file");
    }
    if ("base64".equals(n.path("encoding").asText())) {
      return Optional.of(
          new String(
              Base64.getMimeDecoder().decode(n.path("content").asText()), StandardCharsets.UTF_8));
    }
    // files over 1 MB come without content: ask for the raw bytes
    Map<String, String> h = new LinkedHashMap<>(r.headers());
    h.put("Accept", "application/vnd.github.raw+json");
    Response raw = http.send(new Request("GET", u, h, null, true, r.permission()));
    expect(r, raw, 200);
    return Optional.of(raw.text());
  }

  /** The git trees API at the commit, recursively (one call; GitHub truncates huge trees). */
  @Override
  public List<String> listFiles(RepoRef repo, String folder, String ref) throws IOException {
    String[] o = split(repo);
    URI u = query(uri(api, "repos", o[0], o[1], "git", "trees", ref), Map.of("recursive", "1"));
    Request r = get(repo, u, "Contents: read");
    Response resp = http.send(r);
    if (resp.status() == 404 || resp.status() == 409) {
      return List.of();
    }
    expect(r, resp, 200);
    String f = folder == null ? "" : folder.replaceAll("^/+|/+$", "");
    String prefix = f.isEmpty() ? "" : f + "/";
    List<String> out = new ArrayList<>();
    for (JsonNode e : http.json(r, resp).path("tree")) {
      String path = e.path("path").asText();
      if ("blob".equals(e.path("type").asText()) && path.startsWith(prefix)) {
        out.add(path);
      }
    }
    return out.stream().sorted().toList();
  }

  @Override
  public String defaultBranch(RepoRef repo) throws IOException {
    return repository(repo).path("default_branch").asText();
  }

  /** The repository's settings as GitHub reports them (default branch, archived, visibility). */
  public JsonNode repository(RepoRef repo) throws IOException {
    String[] o = split(repo);
    Request r = get(repo, uri(api, "repos", o[0], o[1]), "Metadata: read");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      throw http.notFound(r, resp, "repository " + repo.fullName());
    }
    expect(r, resp, 200);
    return http.json(r, resp);
  }

  /**
   * {@code GET /repos/{owner}/{repo}/actions/runs?status=failure&created=>=SINCE}, at most three
   * pages of 100. Each listed run has the shape of a {@code workflow_run} webhook's run, so it is
   * read by the webhook's own normaliser: the same run key, fork test and actor as a delivery.
   */
  @Override
  public List<dev.pitcrew.forge.CiEvent.RunFailed> recentFailedRuns(RepoRef repo, Instant since)
      throws IOException {
    String[] o = split(repo);
    List<dev.pitcrew.forge.CiEvent.RunFailed> out = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("status", "failure");
      q.put("created", ">=" + since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      q.put("exclude_pull_requests", "true");
      q.put("per_page", String.valueOf(PAGE));
      q.put("page", String.valueOf(page));
      Request r =
          get(repo, query(uri(api, "repos", o[0], o[1], "actions", "runs"), q), "Actions: read");
      Response resp = http.send(r);
      if (resp.status() == 404) {
        throw http.notFound(r, resp, "repository " + repo.fullName());
      }
      expect(r, resp, 200);
      JsonNode runs = http.json(r, resp).path("workflow_runs");
      for (JsonNode run : runs) {
        ObjectNode delivery = http.mapper().createObjectNode();
        delivery.put("action", "completed");
        delivery.set("workflow_run", run);
        delivery.set("repository", run.path("repository"));
        if (dev.pitcrew.forge.github.GitHubEvents.normalise("workflow_run", delivery)
            instanceof dev.pitcrew.forge.CiEvent.RunFailed f) {
          out.add(f);
        }
      }
      if (runs.size() < PAGE) {
        break;
      }
    }
    return out;
  }

  @Override
  public Optional<String> problem() {
    return http.breaker().state() == dev.pitcrew.forge.http.CircuitBreaker.State.OPEN
        ? Optional.of("GitHub failed repeatedly; calls paused until " + http.breaker().retryAt())
        : Optional.empty();
  }

  // --- acting ---

  @Override
  public RunRef rerunFailedJobs(RunRef ref) throws IOException {
    return rerun(ref, "rerun-failed-jobs");
  }

  @Override
  public RunRef rerunRun(RunRef ref) throws IOException {
    return rerun(ref, "rerun");
  }

  private RunRef rerun(RunRef ref, String what) throws IOException {
    RunRef latest = new RunRef(ref.repo(), ref.runId(), 0);
    int before = runJson(latest).path("run_attempt").asInt(1);
    if (before > ref.attempt()) {
      // someone (or an earlier try of ours) re-ran it already: do not start a third attempt
      return new RunRef(ref.repo(), ref.runId(), before);
    }
    String[] o = split(ref.repo());
    Request r =
        write(
            ref.repo(),
            "POST",
            uri(api, "repos", o[0], o[1], "actions", "runs", ref.runId(), what),
            http.mapper().createObjectNode(),
            false,
            "Actions: write");
    try {
      Response resp = http.send(r);
      expect(r, resp, 201);
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      int now = runJson(latest).path("run_attempt").asInt(1);
      if (now <= before) {
        http.send(r);
      }
    }
    return new RunRef(ref.repo(), ref.runId(), before + 1);
  }

  @Override
  public JobRef retryJob(JobRef job) throws IOException {
    String[] o = split(job.run().repo());
    Request r =
        write(
            job.run().repo(),
            "POST",
            uri(api, "repos", o[0], o[1], "actions", "jobs", job.jobId(), "rerun"),
            http.mapper().createObjectNode(),
            false,
            "Actions: write");
    Response resp = http.send(r);
    expect(r, resp, 201);
    return new JobRef(
        new RunRef(job.run().repo(), job.run().runId(), job.run().attempt() + 1),
        job.jobId(),
        job.name());
  }

  @Override
  public void ensureBranch(RepoRef repo, String branch, String fromSha) throws IOException {
    if (headOf(repo, branch).isPresent()) {
      return;
    }
    String[] o = split(repo);
    ObjectNode body = http.mapper().createObjectNode();
    body.put("ref", "refs/heads/" + branch);
    body.put("sha", fromSha);
    Request r =
        write(
            repo,
            "POST",
            uri(api, "repos", o[0], o[1], "git", "refs"),
            body,
            false,
            "Contents: write");
    try {
      Response resp = http.send(r);
      if (resp.status() == 422 && headOf(repo, branch).isPresent()) {
        return; // created in between
      }
      expect(r, resp, 201);
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      if (headOf(repo, branch).isEmpty()) {
        Response again = http.send(r);
        if (again.status() != 422) {
          expect(r, again, 201);
        }
      }
    }
  }

  /** The commit a branch points at, or empty when it does not exist. */
  public Optional<String> headOf(RepoRef repo, String branch) throws IOException {
    String[] o = split(repo);
    List<String> segs = new ArrayList<>(List.of("repos", o[0], o[1], "git", "ref", "heads"));
    segs.addAll(List.of(branch.split("/")));
    Request r = get(repo, uri(api, segs.toArray(String[]::new)), "Contents: read");
    Response resp = http.send(r);
    if (resp.status() == 404) {
      return Optional.empty();
    }
    expect(r, resp, 200);
    return Optional.of(http.json(r, resp).path("object").path("sha").asText());
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
    if (alreadyThere(repo, head, files)) {
      return head; // a retried step: the commit landed before
    }
    String[] o = split(repo);
    Request getCommit =
        get(repo, uri(api, "repos", o[0], o[1], "git", "commits", head), "Contents: read");
    Response c = http.send(getCommit);
    expect(getCommit, c, 200);
    String baseTree = http.json(getCommit, c).path("tree").path("sha").asText();

    ArrayNode entries = http.mapper().createArrayNode();
    for (var f : files.entrySet()) {
      ObjectNode blob = http.mapper().createObjectNode();
      blob.put("content", f.getValue());
      blob.put("encoding", "utf-8");
      // blobs, trees and unreferenced commits are content-addressed: repeating them is harmless
      String blobSha =
          created(
                  write(
                      repo,
                      "POST",
                      uri(api, "repos", o[0], o[1], "git", "blobs"),
                      blob,
                      true,
                      "Contents: write"))
              .path("sha")
              .asText();
      ObjectNode e = entries.addObject();
      e.put("path", f.getKey());
      e.put("mode", "100644");
      e.put("type", "blob");
      e.put("sha", blobSha);
    }
    ObjectNode tree = http.mapper().createObjectNode();
    tree.put("base_tree", baseTree);
    tree.set("tree", entries);
    String treeSha =
        created(
                write(
                    repo,
                    "POST",
                    uri(api, "repos", o[0], o[1], "git", "trees"),
                    tree,
                    true,
                    "Contents: write"))
            .path("sha")
            .asText();
    ObjectNode commit = http.mapper().createObjectNode();
    commit.put("message", message);
    commit.put("tree", treeSha);
    commit.putArray("parents").add(head);
    String commitSha =
        created(
                write(
                    repo,
                    "POST",
                    uri(api, "repos", o[0], o[1], "git", "commits"),
                    commit,
                    true,
                    "Contents: write"))
            .path("sha")
            .asText();

    ObjectNode move = http.mapper().createObjectNode();
    move.put("sha", commitSha);
    move.put("force", false);
    List<String> segs = new ArrayList<>(List.of("repos", o[0], o[1], "git", "refs", "heads"));
    segs.addAll(List.of(branch.split("/")));
    Request update =
        write(repo, "PATCH", uri(api, segs.toArray(String[]::new)), move, false, "Contents: write");
    try {
      Response resp = http.send(update);
      expect(update, resp, 200);
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      String now = headOf(repo, branch).orElse("");
      if (now.equals(head)) {
        expect(update, http.send(update), 200);
      } else if (!now.equals(commitSha)) {
        throw new ForgeApiException(
            Kind.CONFLICT,
            0,
            "branch "
                + branch
                + " moved to "
                + now
                + " while Pitcrew was committing; not forcing it");
      }
    }
    return commitSha;
  }

  private boolean alreadyThere(RepoRef repo, String head, Map<String, String> files)
      throws IOException {
    for (var f : files.entrySet()) {
      Optional<String> now = fileContent(repo, f.getKey(), head);
      if (now.isEmpty() || !now.get().equals(f.getValue())) {
        return false;
      }
    }
    return !files.isEmpty();
  }

  @Override
  public PullRequest ensurePullRequest(
      RepoRef repo, String head, String base, String title, String body, List<String> labels)
      throws IOException {
    Optional<PullRequest> open = openPullRequest(repo, head, base);
    PullRequest pr;
    if (open.isPresent()) {
      pr = open.get();
    } else {
      String[] o = split(repo);
      ObjectNode b = http.mapper().createObjectNode();
      b.put("title", title);
      b.put("head", head);
      b.put("base", base);
      b.put("body", body);
      Request r =
          write(
              repo,
              "POST",
              uri(api, "repos", o[0], o[1], "pulls"),
              b,
              false,
              "Pull requests: write");
      pr = createOrFind(r, 201, () -> openPullRequest(repo, head, base), j -> toPr(repo, j));
    }
    if (labels != null && !labels.isEmpty()) {
      String[] o = split(repo);
      ObjectNode l = http.mapper().createObjectNode();
      ArrayNode arr = l.putArray("labels");
      labels.forEach(arr::add);
      // adding a label twice leaves one label: safe to repeat
      Request r =
          write(
              repo,
              "POST",
              uri(api, "repos", o[0], o[1], "issues", pr.number(), "labels"),
              l,
              true,
              "Pull requests: write (labels need Issues: write on fine-grained tokens)");
      expect(r, http.send(r), 200);
    }
    return pr;
  }

  private Optional<PullRequest> openPullRequest(RepoRef repo, String head, String base)
      throws IOException {
    String[] o = split(repo);
    Map<String, String> q = new LinkedHashMap<>();
    q.put("state", "open");
    q.put("head", o[0] + ":" + head);
    q.put("base", base);
    Request r = get(repo, query(uri(api, "repos", o[0], o[1], "pulls"), q), "Pull requests: read");
    Response resp = http.send(r);
    expect(r, resp, 200);
    for (JsonNode p : http.json(r, resp)) {
      if (head.equals(p.path("head").path("ref").asText())) {
        return Optional.of(toPr(repo, p));
      }
    }
    return Optional.empty();
  }

  private PullRequest toPr(RepoRef repo, JsonNode p) {
    return new PullRequest(
        repo,
        p.path("number").asText(),
        p.path("html_url").asText(),
        p.path("head").path("ref").asText(),
        p.path("base").path("ref").asText(),
        p.path("state").asText());
  }

  @Override
  public void comment(PullRequest pr, String body) throws IOException {
    RepoRef repo = pr.repo();
    String[] o = split(repo);
    ObjectNode b = http.mapper().createObjectNode();
    b.put("body", body);
    Request r =
        write(
            repo,
            "POST",
            uri(api, "repos", o[0], o[1], "issues", pr.number(), "comments"),
            b,
            false,
            "Pull requests: write");
    createOrFind(r, 201, () -> findComment(pr, body), j -> Boolean.TRUE);
  }

  private Optional<Boolean> findComment(PullRequest pr, String body) throws IOException {
    return comments(pr).contains(body) ? Optional.of(Boolean.TRUE) : Optional.empty();
  }

  @Override
  public List<String> comments(PullRequest pr) throws IOException {
    String[] o = split(pr.repo());
    List<String> out = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      Request r =
          get(
              pr.repo(),
              query(
                  uri(api, "repos", o[0], o[1], "issues", pr.number(), "comments"),
                  Map.of("per_page", String.valueOf(PAGE), "page", String.valueOf(page))),
              "Pull requests: read");
      Response resp = http.send(r);
      expect(r, resp, 200);
      JsonNode all = http.json(r, resp);
      for (JsonNode c : all) {
        out.add(c.path("body").asText());
      }
      if (all.size() < PAGE) {
        break;
      }
    }
    return out;
  }

  @Override
  public Optional<String> variable(RepoRef repo, String name) throws IOException {
    String[] o = split(repo);
    Request r =
        get(repo, uri(api, "repos", o[0], o[1], "actions", "variables", name), "Variables: read");
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
    String[] o = split(repo);
    ObjectNode b = http.mapper().createObjectNode();
    b.put("name", name);
    b.put("value", value);
    Request update =
        write(
            repo,
            "PATCH",
            uri(api, "repos", o[0], o[1], "actions", "variables", name),
            b,
            true,
            "Variables: write");
    if (previous.isPresent()) {
      expect(update, http.send(update), 204);
      return previous;
    }
    Request create =
        write(
            repo,
            "POST",
            uri(api, "repos", o[0], o[1], "actions", "variables"),
            b,
            false,
            "Variables: write");
    try {
      Response resp = http.send(create);
      if (resp.status() == 409) {
        expect(update, http.send(update), 204); // created in between: overwrite
      } else {
        expect(create, resp, 201);
      }
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      // setting a value is idempotent once the variable exists; find out whether it does
      if (variable(repo, name).isPresent()) {
        expect(update, http.send(update), 204);
      } else {
        expect(create, http.send(create), 201);
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
    String[] o = split(repo);
    ObjectNode b = http.mapper().createObjectNode();
    b.put("title", title);
    b.put("body", body);
    ArrayNode l = b.putArray("labels");
    if (labels != null) {
      labels.forEach(l::add);
    }
    Request r =
        write(repo, "POST", uri(api, "repos", o[0], o[1], "issues"), b, false, "Issues: write");
    return createOrFind(r, 201, () -> openIssue(repo, title), j -> j.path("html_url").asText());
  }

  // the search API is eventually consistent (a just-created issue may be missing), so list instead
  private Optional<String> openIssue(RepoRef repo, String title) throws IOException {
    String[] o = split(repo);
    for (int page = 1; page <= MAX_PAGES; page++) {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("state", "open");
      q.put("per_page", String.valueOf(PAGE));
      q.put("page", String.valueOf(page));
      Request r = get(repo, query(uri(api, "repos", o[0], o[1], "issues"), q), "Issues: read");
      Response resp = http.send(r);
      expect(r, resp, 200);
      JsonNode all = http.json(r, resp);
      for (JsonNode i : all) {
        if (!i.has("pull_request") && title.equals(i.path("title").asText())) {
          return Optional.of(i.path("html_url").asText());
        }
      }
      if (all.size() < PAGE) {
        break;
      }
    }
    return Optional.empty();
  }

  // --- verification: the run a pushed commit started ---

  /**
   * How long {@link #runForCommit} keeps looking: GitHub creates a push's workflow runs a few
   * seconds after the push, so the first look right after committing usually finds nothing.
   */
  static final List<java.time.Duration> COMMIT_RUN_POLLS =
      List.of(
          java.time.Duration.ZERO,
          java.time.Duration.ofSeconds(2),
          java.time.Duration.ofSeconds(4),
          java.time.Duration.ofSeconds(8),
          java.time.Duration.ofSeconds(16));

  @Override
  public Optional<RunRef> runForCommit(RepoRef repo, String sha) throws IOException {
    return runForCommit(repo, sha, null);
  }

  /**
   * The newest workflow run whose head commit is {@code sha} ({@code GET
   * /repos/{owner}/{repo}/actions/runs?head_sha=}, or {@code
   * /actions/workflows/{workflow_id}/runs?head_sha=} for one workflow), polled for about 30 s
   * because GitHub creates runs asynchronously after the push or the pull request.
   */
  @Override
  public Optional<RunRef> runForCommit(RepoRef repo, String sha, String workflow)
      throws IOException {
    if (sha == null || !sha.matches("[0-9a-fA-F]{7,64}")) {
      throw new IllegalArgumentException("not a commit sha: '" + sha + "'");
    }
    for (java.time.Duration wait : COMMIT_RUN_POLLS) {
      http.pause(wait);
      Optional<RunRef> found = newestRunOf(repo, sha, workflow);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private Optional<RunRef> newestRunOf(RepoRef repo, String sha, String workflow)
      throws IOException {
    String[] o = split(repo);
    Map<String, String> q = new LinkedHashMap<>();
    q.put("head_sha", sha);
    q.put("per_page", "20");
    URI u =
        workflow == null || workflow.isBlank()
            ? uri(api, "repos", o[0], o[1], "actions", "runs")
            : uri(api, "repos", o[0], o[1], "actions", "workflows", workflow, "runs");
    Request r = get(repo, query(u, q), "Actions: read");
    Response resp = http.send(r);
    if (resp.status() == 404 && workflow != null) {
      return Optional.empty(); // the workflow is gone (renamed, deleted): nothing verifies
    }
    expect(r, resp, 200);
    JsonNode best = null;
    for (JsonNode run : http.json(r, resp).path("workflow_runs")) {
      if (!sha.equalsIgnoreCase(run.path("head_sha").asText())) {
        continue; // head_sha filters on GitHub; a proxy or an older server may not
      }
      if (best == null || run.path("id").asLong() > best.path("id").asLong()) {
        best = run;
      }
    }
    return best == null
        ? Optional.empty()
        : Optional.of(
            new RunRef(repo, best.path("id").asText(), best.path("run_attempt").asInt(1)));
  }

  // --- helpers ---

  @FunctionalInterface
  private interface Lookup<T> {
    Optional<T> find() throws IOException;
  }

  @FunctionalInterface
  private interface FromJson<T> {
    T map(JsonNode n);
  }

  /**
   * Sends a creating write once. When its outcome is unknown (no answer, or a 5xx) it reads the
   * state: found means it happened; not found means it did not, and it is sent a second time.
   */
  private <T> T createOrFind(Request r, int created, Lookup<T> lookup, FromJson<T> map)
      throws IOException {
    try {
      Response resp = http.send(r);
      if (resp.status() == 422 || resp.status() == 409) {
        Optional<T> found = lookup.find();
        if (found.isPresent()) {
          return found.get();
        }
      }
      expect(r, resp, created);
      return map.map(http.json(r, resp));
    } catch (ForgeApiException e) {
      if (e.kind() != Kind.UNKNOWN_OUTCOME) {
        throw e;
      }
      Optional<T> found = lookup.find();
      if (found.isPresent()) {
        return found.get();
      }
      Response again = http.send(r);
      expect(r, again, created);
      return map.map(http.json(r, again));
    }
  }

  private JsonNode created(Request r) throws IOException {
    Response resp = http.send(r);
    expect(r, resp, 201);
    return http.json(r, resp);
  }

  private void expect(Request r, Response resp, int status) throws ForgeApiException {
    if (resp.status() != status) {
      throw http.unexpected(r, resp);
    }
  }

  static Run toRun(RunRef ref, JsonNode run, List<JsonNode> jobs, String webHost) {
    List<Run.Job> js = new ArrayList<>();
    for (JsonNode j : jobs) {
      js.add(
          new Run.Job(
              new JobRef(ref, j.path("id").asText(), j.path("name").asText()),
              j.path("workflow_name").asText(null),
              outcome(j.path("status").asText(), j.path("conclusion").asText(null)),
              j.path("html_url").asText(null),
              null));
    }
    Instant created = null;
    try {
      created = Instant.parse(run.path("created_at").asText());
    } catch (RuntimeException e) {
      // missing or odd timestamp: leave it out rather than fail the whole read
    }
    return new Run(
        ref,
        run.path("head_branch").asText(null),
        run.path("head_sha").asText(null),
        run.hasNonNull("workflow_id") ? run.path("workflow_id").asText() : null,
        outcome(run.path("status").asText(), run.path("conclusion").asText(null)),
        run.path("html_url").asText(null),
        created,
        run.path("actor").path("login").asText(null),
        js,
        GitHubEvents.pullRequest(
            ref.repo(), run, "https://" + webHost + "/" + ref.repo().fullName()));
  }

  /** GitHub's status + conclusion in our four words. */
  static String outcome(String status, String conclusion) {
    if (!"completed".equals(status)) {
      return "running";
    }
    if (conclusion == null) {
      return "failed";
    }
    return switch (conclusion) {
      case "success", "neutral", "skipped" -> "passed";
      case "cancelled" -> "cancelled";
      default -> "failed";
    };
  }

  private Request get(RepoRef repo, URI u, String permission) throws IOException {
    return Request.get(u, headers(repo), permission);
  }

  // log downloads authorise when opened, so an App token minted now is fresh then
  private Request lazyGet(RepoRef repo, URI u) {
    try {
      return Request.get(u, headers(repo), "Actions: read");
    } catch (IOException e) {
      return Request.get(u, baseHeaders(), "Actions: read");
    }
  }

  private Request write(
      RepoRef repo, String method, URI u, JsonNode body, boolean repeatable, String permission)
      throws IOException {
    Map<String, String> h = new LinkedHashMap<>(headers(repo));
    h.put("Content-Type", "application/json");
    return new Request(method, u, h, http.mapper().writeValueAsBytes(body), repeatable, permission);
  }

  private Map<String, String> headers(RepoRef repo) throws IOException {
    Map<String, String> h = new LinkedHashMap<>(baseHeaders());
    String[] o = split(repo);
    auth.authorization(o[0], o[1]).ifPresent(a -> h.put("Authorization", a));
    return h;
  }

  private static Map<String, String> baseHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/vnd.github+json");
    h.put("X-GitHub-Api-Version", API_VERSION);
    h.put("User-Agent", USER_AGENT);
    return h;
  }

  private static String[] split(RepoRef repo) {
    String[] parts = repo.fullName().split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "a GitHub repository is named owner/name, not '" + repo.fullName() + "'");
    }
    return parts;
  }

  static URI uri(URI base, String... segments) {
    StringJoiner j = new StringJoiner("/", stripSlash(base.toString()) + "/", "");
    for (String s : segments) {
      j.add(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return URI.create(j.toString());
  }

  static URI query(URI u, Map<String, String> params) {
    StringJoiner j = new StringJoiner("&", u.toString() + "?", "");
    params.forEach(
        (k, v) ->
            j.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return URI.create(j.toString());
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public String toString() {
    return "GitHubForge[" + api + "]";
  }
}
