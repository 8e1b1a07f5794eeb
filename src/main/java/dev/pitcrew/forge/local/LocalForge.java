package dev.pitcrew.forge.local;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.JobRef;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A forge on this machine: repositories are real git repositories under a lab folder, pipelines are
 * the repositories' own {@code .github/workflows/*.yml} (and {@code .gitlab-ci.yml}) run with bash
 * in a fresh checkout, and every finished run is announced with signed GitHub-format webhook
 * deliveries. It implements the same {@link Forge} as GitHub and GitLab so that the demo, dry runs
 * and the chaos lab drive Pitcrew's production code path without an account anywhere.
 *
 * <p>Every push (including {@link #commitFiles}) starts every pipeline of the repository; {@link
 * #rerunFailedJobs} starts a new run of the same pipeline on the same commit. Repository variables
 * reach every job's environment (as GitLab CI variables do) and {@code ${{ vars.NAME }}}.
 */
public final class LocalForge implements Forge, AutoCloseable {
  private static final Pattern REPO_NAME = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

  /**
   * How the forge is reached and how it runs.
   *
   * @param webBase the base of the URLs it hands out ({@code http://localhost:8002/lab})
   * @param apiBase the base of the API URLs inside webhook payloads
   * @param webhookUrl where deliveries go; empty to send none
   * @param webhookSecret the shared secret for {@code X-Hub-Signature-256}; empty to leave unsigned
   * @param parallelRuns how many pipelines run at once
   * @param runnerEnv the base environment of every job ({@code PATH}, {@code HOME}, ...)
   * @param provider how the forge presents itself: {@code LOCAL}, or {@code GITHUB} when its
   *     GitHub-format deliveries go to a Pitcrew that looks its forge up by provider
   * @param botLogin the actor of runs started through the {@link Forge} methods (Pitcrew's own
   *     fixes), so that the receiver can tell them from a developer's push
   */
  public record Options(
      String webBase,
      String apiBase,
      Optional<URI> webhookUrl,
      Optional<String> webhookSecret,
      int parallelRuns,
      Clock clock,
      Map<String, String> runnerEnv,
      Provider provider,
      String botLogin) {
    public Options {
      if (parallelRuns < 1) {
        throw new IllegalArgumentException("parallelRuns must be at least 1, got " + parallelRuns);
      }
      runnerEnv = Map.copyOf(runnerEnv);
    }

    /** No webhooks, two pipelines at a time, the runner environment inherited from this process. */
    public static Options defaults() {
      Map<String, String> env = new LinkedHashMap<>();
      for (String k : List.of("PATH", "HOME", "LANG", "JAVA_HOME", "USER", "PYENV_ROOT")) {
        String v = System.getenv(k);
        if (v != null) {
          env.put(k, v);
        }
      }
      env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
      env.putIfAbsent("LANG", "C.UTF-8");
      return new Options(
          "http://localhost:8002/lab",
          "http://localhost:8002/lab/api",
          Optional.empty(),
          Optional.empty(),
          2,
          Clock.systemUTC(),
          env,
          Provider.LOCAL,
          "pitcrew[bot]");
    }

    public Options withWebhook(URI url, String secret) {
      return new Options(
          webBase,
          apiBase,
          Optional.of(url),
          Optional.ofNullable(secret),
          parallelRuns,
          clock,
          runnerEnv,
          provider,
          botLogin);
    }

    public Options withParallelRuns(int n) {
      return new Options(
          webBase, apiBase, webhookUrl, webhookSecret, n, clock, runnerEnv, provider, botLogin);
    }

    /** The same forge presented as another provider, at {@code webBase}'s host. */
    public Options presentedAs(Provider p) {
      return new Options(
          webBase, apiBase, webhookUrl, webhookSecret, parallelRuns, clock, runnerEnv, p, botLogin);
    }

    public Options withRunnerEnv(Map<String, String> env) {
      return new Options(
          webBase,
          apiBase,
          webhookUrl,
          webhookSecret,
          parallelRuns,
          clock,
          env,
          provider,
          botLogin);
    }

    public Options withWebBase(String web, String api) {
      return new Options(
          web, api, webhookUrl, webhookSecret, parallelRuns, clock, runnerEnv, provider, botLogin);
    }

    String host() {
      String h = URI.create(webBase).getHost();
      return h == null ? "local" : h;
    }
  }

  /** A webhook delivery the forge sent, and how the receiver answered (status 0: not reached). */
  public record Delivery(
      String id, String event, long runId, Long jobId, int status, String error) {}

  /** The actor of runs that a developer's push started (the lab's own pushes). */
  public static final String DEVELOPER = "lab-developer";

  private final Path labDir;
  private final Options options;
  private final LocalStore store;
  private final JobRunner runner;
  private final GithubDeliveries deliveries;
  private final ExecutorService pool;
  private final Map<Long, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

  public LocalForge(Path labDir, Options options) throws IOException {
    this.labDir = labDir.toAbsolutePath();
    this.options = options;
    Files.createDirectories(this.labDir.resolve("repos"));
    this.store = new LocalStore(this.labDir.resolve("state.json"));
    this.runner = new JobRunner(options.clock());
    this.deliveries =
        new GithubDeliveries(
            options.webBase(), options.apiBase(), options.webhookUrl(), options.webhookSecret());
    this.pool =
        Executors.newFixedThreadPool(
            options.parallelRuns(),
            r -> {
              Thread t = new Thread(r, "local-forge-runner");
              t.setDaemon(true);
              return t;
            });
  }

  public Path labDir() {
    return labDir;
  }

  @Override
  public Provider provider() {
    return options.provider();
  }

  // --- the lab's own operations ---

  /** Creates a repository from a folder's files (one commit on {@code main}); starts no run. */
  public RepoRef createRepository(String fullName, Path sourceDir) throws IOException {
    return create(fullName, LocalGit.readTree(sourceDir), "Initial commit");
  }

  /** Creates a repository from files (path → text), one commit on {@code main}; starts no run. */
  public RepoRef createRepository(String fullName, Map<String, String> files, String message)
      throws IOException {
    Map<String, LocalGit.FileContent> content = new LinkedHashMap<>();
    files.forEach((k, v) -> content.put(k, LocalGit.FileContent.text(v)));
    return create(fullName, content, message);
  }

  private RepoRef create(String fullName, Map<String, LocalGit.FileContent> files, String message)
      throws IOException {
    if (!REPO_NAME.matcher(fullName).matches()) {
      throw new IllegalArgumentException(
          "'"
              + fullName
              + "' is not a repository name; use owner/name with letters, digits, . _ -");
    }
    Path dir = gitDir(fullName);
    if (Files.exists(dir)) {
      throw new IllegalArgumentException(
          "repository " + fullName + " exists already in " + labDir + "; use a fresh lab folder");
    }
    Files.createDirectories(dir.getParent());
    LocalGit.initBare(dir, "main");
    LocalGit.commit(dir, "main", Optional.empty(), message, files, options.clock().instant());
    return repoRef(fullName);
  }

  /** A repository of this forge, as this forge names it in its runs and deliveries. */
  public RepoRef repoRef(String fullName) {
    return new RepoRef(options.provider(), options.host(), fullName);
  }

  /** Starts every pipeline of the branch's head, as a push would; returns the runs. */
  public List<RunRef> trigger(RepoRef repo, String branch) throws IOException {
    Path dir = existing(repo);
    String sha =
        LocalGit.head(dir, branch)
            .orElseThrow(() -> new IOException("no branch '" + branch + "' in " + repo.fullName()));
    return startPipelines(repo.fullName(), branch, sha, "push", null, DEVELOPER);
  }

  /** Waits for a run to finish and returns it. */
  public Run awaitCompletion(RunRef ref, Duration timeout) throws IOException {
    long id = runId(ref);
    CompletableFuture<Void> f = running.get(id);
    if (f != null) {
      try {
        f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IOException("run " + id + " did not finish within " + timeout);
      } catch (ExecutionException e) {
        throw new IOException("run " + id + " crashed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for run " + id, e);
      }
    }
    return run(ref);
  }

  /** The runs of a repository on a commit, oldest first. */
  public List<Run> runsFor(RepoRef repo, String sha) {
    return store.runs(r -> r.repo().equals(repo.fullName()) && r.sha().equals(sha)).stream()
        .map(this::toRun)
        .toList();
  }

  @Override
  public Optional<RunRef> runForCommit(RepoRef repo, String sha) {
    List<Run> runs = runsFor(repo, sha);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1).ref());
  }

  /** Every run of a repository, oldest first. */
  public List<Run> runs(RepoRef repo) {
    return store.runs(r -> r.repo().equals(repo.fullName())).stream().map(this::toRun).toList();
  }

  /** The branch's head commit, if the branch exists. */
  public Optional<String> head(RepoRef repo, String branch) throws IOException {
    return LocalGit.head(existing(repo), branch);
  }

  public List<PullRequest> pullRequests(RepoRef repo) {
    return store.pulls(repo.fullName()).stream().map(p -> toPull(repo, p)).toList();
  }

  /** The comments on a pull request, oldest first. */
  @Override
  public List<String> comments(PullRequest pr) {
    return store.pulls(pr.repo().fullName()).stream()
        .filter(p -> Integer.toString(p.number()).equals(pr.number()))
        .findFirst()
        .map(LocalStore.PullRow::comments)
        .orElse(List.of());
  }

  /** A pull request's body as it was opened. */
  public Optional<String> pullRequestBody(PullRequest pr) {
    return store.pulls(pr.repo().fullName()).stream()
        .filter(p -> Integer.toString(p.number()).equals(pr.number()))
        .findFirst()
        .map(LocalStore.PullRow::body);
  }

  /** Open issues' titles. */
  public List<String> issueTitles(RepoRef repo) {
    return store.issues(repo.fullName()).stream().map(LocalStore.IssueRow::title).toList();
  }

  public List<Delivery> deliveries() {
    return store.deliveries().stream()
        .map(d -> new Delivery(d.id(), d.event(), d.runId(), d.jobId(), d.status(), d.error()))
        .toList();
  }

  /**
   * The runner's persistent tool cache for a repository ({@code RUNNER_TOOL_CACHE}): it survives
   * between runs, as on a self-hosted runner.
   */
  public Path toolCache(RepoRef repo) throws IOException {
    Path p = labDir.resolve("runner").resolve(repo.fullName()).resolve("tool-cache");
    Files.createDirectories(p);
    return p;
  }

  // --- Forge: reading ---

  @Override
  public Run run(RunRef ref) throws IOException {
    return toRun(row(ref));
  }

  @Override
  public List<JobLog> failedJobLogs(RunRef ref) throws IOException {
    LocalStore.RunRow r = row(ref);
    List<JobLog> out = new ArrayList<>();
    Run run = toRun(r);
    for (int i = 0; i < r.jobs().size(); i++) {
      LocalStore.JobRow j = r.jobs().get(i);
      if ("failure".equals(j.conclusion())) {
        out.add(new JobLog(run.jobs().get(i), logSource(r, j)));
      }
    }
    return out;
  }

  @Override
  public Optional<Run> lastSuccessfulRun(Run failed) throws IOException {
    LocalStore.RunRow f = row(failed.ref());
    return store
        .runs(
            r ->
                r.repo().equals(f.repo())
                    && r.pipelinePath().equals(f.pipelinePath())
                    && r.branch().equals(f.branch())
                    && "success".equals(r.conclusion())
                    && r.id() < f.id())
        .stream()
        .max(Comparator.comparingLong(LocalStore.RunRow::id))
        .map(this::toRun);
  }

  @Override
  public LogSource jobLog(JobRef job) throws IOException {
    LocalStore.RunRow r = row(job.run());
    for (LocalStore.JobRow j : r.jobs()) {
      if (Long.toString(j.id()).equals(job.jobId())) {
        return logSource(r, j);
      }
    }
    throw new IOException("no job " + job.jobId() + " in run " + r.id() + " of " + r.repo());
  }

  @Override
  public Optional<String> fileContent(RepoRef repo, String path, String ref) throws IOException {
    return LocalGit.file(existing(repo), path, ref);
  }

  @Override
  public List<String> listFiles(RepoRef repo, String folder, String ref) throws IOException {
    String f = folder == null ? "" : folder.replaceAll("^/+|/+$", "");
    if (f.contains("..")) {
      throw new IOException("folder '" + folder + "' leaves the repository");
    }
    return LocalGit.list(existing(repo), ref, f.isEmpty() ? "" : f + "/").stream()
        .sorted()
        .toList();
  }

  /**
   * This forge's runner places: the repository's persistent tool cache, and the per-job workspace
   * and temp folders below {@code work/} ({@code /*} stands for the job's own folder).
   */
  @Override
  public Map<String, String> runnerPaths(RepoRef repo) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "RUNNER_TOOL_CACHE",
        labDir
            .toAbsolutePath()
            .resolve("runner")
            .resolve(repo.fullName())
            .resolve("tool-cache")
            .toString());
    m.put("GITHUB_WORKSPACE", labDir.toAbsolutePath().resolve("work") + "/*");
    return m;
  }

  @Override
  public String defaultBranch(RepoRef repo) throws IOException {
    return LocalGit.defaultBranch(existing(repo));
  }

  /**
   * The repository's completed failed runs created at or after {@code since}, newest first, read as
   * their {@code workflow_run} delivery would be.
   */
  @Override
  public List<dev.pitcrew.forge.CiEvent.RunFailed> recentFailedRuns(
      RepoRef repo, java.time.Instant since) throws IOException {
    existing(repo);
    List<dev.pitcrew.forge.CiEvent.RunFailed> out = new ArrayList<>();
    List<LocalStore.RunRow> rows =
        store.runs(
            r ->
                r.repo().equals(repo.fullName())
                    && "completed".equals(r.status())
                    && "failure".equals(r.conclusion())
                    && !r.createdAt().isBefore(since));
    for (LocalStore.RunRow r : rows.reversed()) {
      Run run = toRun(r);
      String failedJob =
          run.jobs().stream()
              .filter(j -> "failed".equals(j.outcome()))
              .map(j -> j.ref().jobId())
              .findFirst()
              .orElse(null);
      out.add(
          new dev.pitcrew.forge.CiEvent.RunFailed(
              run.ref(),
              r.branch(),
              r.sha(),
              r.pipelinePath(),
              run.url(),
              run.actor(),
              false,
              failedJob,
              r.updatedAt()));
    }
    return out;
  }

  /**
   * The {@code workflow_run} delivery this forge sends (or would send) when the run completes: lets
   * a test or the lab deliver a run's webhook late, or again.
   */
  public byte[] workflowRunDelivery(RunRef ref) throws IOException {
    LocalStore.RunRow r = row(ref);
    return deliveries.workflowRun(
        r, defaultBranch(repoRef(r.repo())), LocalGit.subject(gitDir(r.repo()), r.sha()));
  }

  /** The bare repository itself: a scratch clone needs no credentials here. */
  @Override
  public Optional<String> localCloneUrl(RepoRef repo) throws IOException {
    return Optional.of(existing(repo).toUri().toString());
  }

  // --- Forge: acting ---

  @Override
  public RunRef rerunFailedJobs(RunRef ref) throws IOException {
    LocalStore.RunRow r = row(ref);
    if (!"completed".equals(r.status())) {
      throw new IOException(
          "run "
              + r.id()
              + " of "
              + r.repo()
              + " is still "
              + r.status()
              + "; it can be re-run once it has finished");
    }
    Pipeline p = parse(r.repo(), r.sha(), r.pipelinePath());
    return start(
        r.repo(),
        r.branch(),
        r.sha(),
        "workflow_dispatch",
        r.id(),
        r.pipelinePath(),
        Optional.of(p),
        Optional.empty(),
        options.botLogin());
  }

  @Override
  public void ensureBranch(RepoRef repo, String branch, String fromSha) throws IOException {
    Path dir = existing(repo);
    if (LocalGit.head(dir, branch).isPresent()) {
      return;
    }
    LocalGit.commit(dir, branch, Optional.of(fromSha), "", Map.of(), options.clock().instant());
  }

  @Override
  public String commitFiles(RepoRef repo, String branch, String message, Map<String, String> files)
      throws IOException {
    return commit(repo, branch, message, files, options.botLogin());
  }

  private String commit(
      RepoRef repo, String branch, String message, Map<String, String> files, String actor)
      throws IOException {
    Path dir = existing(repo);
    if (LocalGit.head(dir, branch).isEmpty()) {
      throw new IOException(
          "no branch '"
              + branch
              + "' in "
              + repo.fullName()
              + "; create it with ensureBranch first");
    }
    Optional<String> before = LocalGit.head(dir, branch);
    Map<String, LocalGit.FileContent> content = new LinkedHashMap<>();
    files.forEach((k, v) -> content.put(k, LocalGit.FileContent.text(v)));
    String sha =
        LocalGit.commit(dir, branch, Optional.empty(), message, content, options.clock().instant());
    if (!before.map(sha::equals).orElse(false)) {
      startPipelines(repo.fullName(), branch, sha, "push", null, actor);
    }
    return sha;
  }

  /** Commits and starts the pipelines, as a developer's push does; returns the new head. */
  public String push(RepoRef repo, String branch, String message, Map<String, String> files)
      throws IOException {
    Path dir = existing(repo);
    if (LocalGit.head(dir, branch).isEmpty()) {
      ensureBranch(repo, branch, LocalGit.head(dir, defaultBranch(repo)).orElseThrow());
    }
    return commitFiles(repo, branch, message, files);
  }

  @Override
  public PullRequest ensurePullRequest(
      RepoRef repo, String head, String base, String title, String body, List<String> labels)
      throws IOException {
    Path dir = existing(repo);
    for (String b : List.of(head, base)) {
      if (LocalGit.head(dir, b).isEmpty()) {
        throw new IOException("no branch '" + b + "' in " + repo.fullName());
      }
    }
    return toPull(repo, store.ensurePull(repo.fullName(), head, base, title, body, labels));
  }

  @Override
  public void comment(PullRequest pr, String body) throws IOException {
    existing(pr.repo());
    try {
      store.comment(pr.repo().fullName(), Integer.parseInt(pr.number()), body);
    } catch (NumberFormatException e) {
      throw new IOException("'" + pr.number() + "' is not a local pull request number", e);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> variable(RepoRef repo, String name) throws IOException {
    existing(repo);
    return store.variable(repo.fullName(), name);
  }

  @Override
  public Optional<String> setVariable(RepoRef repo, String name, String value) throws IOException {
    existing(repo);
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' is not a variable name; use letters, digits and _ (not starting with a digit)");
    }
    return store.setVariable(repo.fullName(), name, value);
  }

  @Override
  public String ensureIssue(RepoRef repo, String title, String body, List<String> labels)
      throws IOException {
    existing(repo);
    LocalStore.IssueRow i = store.ensureIssue(repo.fullName(), title, body, labels);
    return deliveries.issueUrl(repo.fullName(), i.number());
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- running ---

  private List<RunRef> startPipelines(
      String repo, String branch, String sha, String event, Long rerunOf, String actor)
      throws IOException {
    Path dir = gitDir(repo);
    List<String> files = new ArrayList<>();
    for (String f : LocalGit.list(dir, sha, ".github/workflows/")) {
      if (f.endsWith(".yml") || f.endsWith(".yaml")) {
        files.add(f);
      }
    }
    if (LocalGit.file(dir, ".gitlab-ci.yml", sha).isPresent()) {
      files.add(".gitlab-ci.yml");
    }
    List<RunRef> out = new ArrayList<>();
    for (String f : files) {
      Optional<Pipeline> p = Optional.empty();
      Optional<String> error = Optional.empty();
      try {
        p = Optional.of(parse(repo, sha, f));
      } catch (IllegalArgumentException e) {
        error = Optional.of(e.getMessage());
      }
      out.add(start(repo, branch, sha, event, rerunOf, f, p, error, actor));
    }
    return out;
  }

  private Pipeline parse(String repo, String sha, String path) throws IOException {
    String text =
        LocalGit.file(gitDir(repo), path, sha)
            .orElseThrow(() -> new IOException(path + " is not in " + repo + " at " + sha));
    return path.equals(".gitlab-ci.yml")
        ? Pipeline.gitlab(path, text)
        : Pipeline.github(path, text);
  }

  private RunRef start(
      String repo,
      String branch,
      String sha,
      String event,
      Long rerunOf,
      String path,
      Optional<Pipeline> pipeline,
      Optional<String> invalid,
      String actor) {
    long id = store.nextId();
    String name = pipeline.map(Pipeline::name).orElse(path);
    var now = options.clock().instant();
    store.addRun(
        new LocalStore.RunRow(
            id,
            repo,
            path,
            name,
            store.nextRunNumber(repo, path),
            branch,
            sha,
            event,
            "queued",
            null,
            now,
            now,
            rerunOf,
            List.of(),
            actor));
    RunRef ref = new RunRef(repoRef(repo), Long.toString(id), 1);
    CompletableFuture<Void> f =
        CompletableFuture.runAsync(
            () -> {
              try {
                execute(id, pipeline, invalid);
              } catch (IOException | RuntimeException e) {
                failRun(id, e);
              }
            },
            pool);
    running.put(id, f);
    f.whenComplete((v, e) -> running.remove(id));
    return ref;
  }

  private void execute(long id, Optional<Pipeline> pipeline, Optional<String> invalid)
      throws IOException {
    LocalStore.RunRow run = store.run(id).orElseThrow();
    store.updateRun(id, r -> r.with("in_progress", null, options.clock().instant(), r.jobs()));
    List<LocalStore.JobRow> jobs = new ArrayList<>();
    Path logs = labDir.resolve("logs").resolve(Long.toString(id));
    if (pipeline.isEmpty()) {
      long jobId = store.nextId();
      Path log = logs.resolve(jobId + ".log");
      Files.createDirectories(logs);
      var now = options.clock().instant();
      Files.writeString(
          log,
          now + " ##[error]Invalid workflow file: " + invalid.orElse("unreadable") + "\n",
          StandardCharsets.UTF_8);
      jobs.add(
          new LocalStore.JobRow(
              jobId,
              "(invalid workflow)",
              "completed",
              "failure",
              1,
              now,
              now,
              labDir.relativize(log).toString(),
              List.of()));
    } else {
      Pipeline p = pipeline.get();
      Map<String, String> vars = store.variables(run.repo());
      for (Pipeline.Job job : p.jobs()) {
        long jobId = store.nextId();
        Path log = logs.resolve(jobId + ".log");
        Path work = labDir.resolve("work").resolve(id + "-" + jobId);
        Path temp = labDir.resolve("work").resolve(id + "-" + jobId + "-temp");
        JobRunner.JobResult res;
        try {
          Files.createDirectories(work);
          LocalGit.checkout(gitDir(run.repo()), run.branch(), run.sha(), work);
          Map<String, String> env = baseEnv(run, id, work, temp);
          res = runner.run(p, job, work, temp, env, vars, log);
          keepTestReports(work, logs.resolve("reports").resolve(Long.toString(jobId)));
        } finally {
          deleteTree(work);
          deleteTree(temp);
        }
        jobs.add(
            new LocalStore.JobRow(
                jobId,
                job.name(),
                "completed",
                res.conclusion(),
                res.exitCode(),
                res.startedAt(),
                res.completedAt(),
                labDir.relativize(log).toString(),
                res.steps()));
        List<LocalStore.JobRow> sofar = List.copyOf(jobs);
        store.updateRun(id, r -> r.with("in_progress", null, options.clock().instant(), sofar));
      }
    }
    boolean failed = jobs.stream().anyMatch(j -> !"success".equals(j.conclusion()));
    LocalStore.RunRow done =
        store.updateRun(
            id,
            r ->
                r.with(
                    "completed", failed ? "failure" : "success", options.clock().instant(), jobs));
    announce(done);
  }

  /**
   * Keeps the JUnit XML reports a job wrote (Surefire's and Gradle's {@code TEST-*.xml}, {@code
   * junit*.xml}, anything under {@code test-results/} or {@code test-reports/}) beside its log, as
   * a CI system keeps them as artifacts. Bounded: 200 files of at most 5 MiB each.
   */
  private static void keepTestReports(Path work, Path into) {
    try (Stream<Path> walk = Files.walk(work, 10)) {
      List<Path> found =
          walk.filter(Files::isRegularFile)
              .filter(f -> !work.relativize(f).startsWith(".git"))
              .filter(LocalForge::looksLikeTestReport)
              .limit(200)
              .toList();
      int n = 0;
      for (Path f : found) {
        if (Files.size(f) > 5L * 1024 * 1024) {
          continue;
        }
        String head = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        if (!head.contains("<testsuite")) {
          continue;
        }
        Files.createDirectories(into);
        Files.writeString(into.resolve((n++) + ".xml"), head, StandardCharsets.UTF_8);
      }
    } catch (IOException | UncheckedIOException e) {
      // reports only enrich the flakiness history; the run's result does not depend on them
    }
  }

  private static boolean looksLikeTestReport(Path f) {
    String name = f.getFileName().toString();
    if (!name.endsWith(".xml")) {
      return false;
    }
    String path = f.toString().replace('\\', '/');
    return name.startsWith("TEST-")
        || name.toLowerCase(java.util.Locale.ROOT).contains("junit")
        || path.contains("/test-results/")
        || path.contains("/test-reports/");
  }

  @Override
  public List<dev.pitcrew.forge.TestResult> testResults(RunRef ref) throws IOException {
    LocalStore.RunRow r = row(ref);
    Path dir = labDir.resolve("logs").resolve(Long.toString(r.id())).resolve("reports");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<dev.pitcrew.forge.TestResult> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir, 2)) {
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        try (var in = Files.newInputStream(f)) {
          out.addAll(dev.pitcrew.forge.JUnitXml.read(in));
        }
      }
    }
    return out;
  }

  /** The runner itself failed (no disk for the checkout, say): the run fails with the reason. */
  private void failRun(long id, Exception why) {
    try {
      Path logs = labDir.resolve("logs").resolve(Long.toString(id));
      Files.createDirectories(logs);
      long jobId = store.nextId();
      Path log = logs.resolve(jobId + ".log");
      var now = options.clock().instant();
      Files.writeString(
          log,
          now + " ##[error]The runner could not run this job: " + why.getMessage() + "\n",
          StandardCharsets.UTF_8);
      LocalStore.JobRow job =
          new LocalStore.JobRow(
              jobId,
              "(runner)",
              "completed",
              "failure",
              null,
              now,
              now,
              labDir.relativize(log).toString(),
              List.of());
      LocalStore.RunRow done =
          store.updateRun(id, r -> r.with("completed", "failure", now, List.of(job)));
      announce(done);
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException(
          new IOException(
              "run " + id + " failed and could not be recorded: " + e.getMessage(), why));
    }
  }

  private Map<String, String> baseEnv(LocalStore.RunRow run, long id, Path work, Path temp)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>(options.runnerEnv());
    env.put("CI", "true");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_REPOSITORY", run.repo());
    env.put("GITHUB_REPOSITORY_OWNER", run.repo().substring(0, run.repo().indexOf('/')));
    env.put("GITHUB_SHA", run.sha());
    env.put("GITHUB_REF", "refs/heads/" + run.branch());
    env.put("GITHUB_REF_NAME", run.branch());
    env.put("GITHUB_RUN_ID", Long.toString(id));
    env.put("GITHUB_RUN_NUMBER", Integer.toString(run.runNumber()));
    env.put("GITHUB_RUN_ATTEMPT", "1");
    env.put("GITHUB_EVENT_NAME", run.event());
    env.put("GITHUB_WORKFLOW", run.pipelineName());
    env.put("GITHUB_WORKSPACE", work.toString());
    env.put("GITHUB_SERVER_URL", options.webBase());
    env.put("GITHUB_API_URL", options.apiBase());
    env.put("CI_PIPELINE_ID", Long.toString(id));
    env.put("CI_COMMIT_SHA", run.sha());
    env.put("CI_COMMIT_REF_NAME", run.branch());
    env.put("CI_PROJECT_PATH", run.repo());
    env.put("RUNNER_OS", "Linux");
    env.put("RUNNER_TEMP", temp.toString());
    env.put("TMPDIR", temp.toString());
    env.put("RUNNER_TOOL_CACHE", toolCache(repoRef(run.repo())).toString());
    return env;
  }

  private void announce(LocalStore.RunRow run) throws IOException {
    if (!deliveries.enabled()) {
      return;
    }
    String defaultBranch = defaultBranch(repoRef(run.repo()));
    for (LocalStore.JobRow j : run.jobs()) {
      record(
          deliveries.send("workflow_job", deliveries.workflowJob(run, j, defaultBranch)),
          "workflow_job",
          run.id(),
          j.id());
    }
    String subject = LocalGit.subject(gitDir(run.repo()), run.sha());
    record(
        deliveries.send("workflow_run", deliveries.workflowRun(run, defaultBranch, subject)),
        "workflow_run",
        run.id(),
        null);
  }

  private void record(GithubDeliveries.Sent s, String event, long runId, Long jobId) {
    store.addDelivery(
        new LocalStore.DeliveryRow(
            s.deliveryId(),
            event,
            "completed",
            runId,
            jobId,
            s.status(),
            s.error(),
            options.clock().instant()));
  }

  // --- mapping ---

  private Run toRun(LocalStore.RunRow r) {
    RunRef ref = new RunRef(repoRef(r.repo()), Long.toString(r.id()), 1);
    List<Run.Job> jobs = new ArrayList<>();
    for (LocalStore.JobRow j : r.jobs()) {
      jobs.add(
          new Run.Job(
              new JobRef(ref, Long.toString(j.id()), j.name()),
              null,
              outcome(j.status(), j.conclusion()),
              deliveries.jobUrl(r.repo(), r.id(), j.id()),
              j.exitCode()));
    }
    return new Run(
        ref,
        r.branch(),
        r.sha(),
        r.pipelinePath(),
        outcome(r.status(), r.conclusion()),
        deliveries.runUrl(r.repo(), r.id()),
        r.createdAt(),
        r.actor() == null ? DEVELOPER : r.actor(),
        jobs);
  }

  private static String outcome(String status, String conclusion) {
    if (!"completed".equals(status)) {
      return "running";
    }
    return switch (conclusion == null ? "" : conclusion) {
      case "success" -> "passed";
      case "cancelled" -> "cancelled";
      default -> "failed";
    };
  }

  private PullRequest toPull(RepoRef repo, LocalStore.PullRow p) {
    return new PullRequest(
        repoRef(repo.fullName()),
        Integer.toString(p.number()),
        deliveries.pullUrl(repo.fullName(), p.number()),
        p.head(),
        p.base(),
        p.state());
  }

  private LogSource logSource(LocalStore.RunRow r, LocalStore.JobRow j) {
    Path file = labDir.resolve(j.logFile());
    String name = deliveries.jobUrl(r.repo(), r.id(), j.id());
    return new LogSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }
    };
  }

  private LocalStore.RunRow row(RunRef ref) throws IOException {
    long id = runId(ref);
    LocalStore.RunRow r =
        store
            .run(id)
            .orElseThrow(() -> new IOException("no run " + ref.runId() + " in the local forge"));
    if (!r.repo().equals(ref.repo().fullName())) {
      throw new IOException(
          "run " + id + " belongs to " + r.repo() + ", not " + ref.repo().fullName());
    }
    return r;
  }

  private static long runId(RunRef ref) throws IOException {
    try {
      return Long.parseLong(ref.runId());
    } catch (NumberFormatException e) {
      throw new IOException("'" + ref.runId() + "' is not a local run id", e);
    }
  }

  private Path gitDir(String fullName) {
    return labDir.resolve("repos").resolve(fullName + ".git");
  }

  private Path existing(RepoRef repo) throws IOException {
    Path dir = gitDir(repo.fullName());
    if (!REPO_NAME.matcher(repo.fullName()).matches() || !Files.isDirectory(dir)) {
      throw new IOException(
          "no repository " + repo.fullName() + " in the local forge at " + labDir);
    }
    return dir;
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        x.toFile().setWritable(true);
        Files.deleteIfExists(x);
      }
    } catch (IOException e) {
      // scratch space only; a leftover folder does not change any result
    }
  }
}
