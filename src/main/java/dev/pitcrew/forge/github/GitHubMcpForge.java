package dev.pitcrew.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.JobRef;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.logs.LogSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub Actions read through GitHub's MCP server, everything else through the REST forge: runs,
 * their jobs, failed jobs' logs and the last successful run come from the MCP tools; files,
 * settings, run-log archives, the run of a commit and every write go to {@link GitHubForge}, which
 * keeps its rate limits, retries and idempotent writes (ADR 0012).
 *
 * <p>A log read through MCP is the last {@code logLines} lines the server returns (its {@code
 * get_job_logs} tails), further capped at the log byte cap.
 */
public final class GitHubMcpForge implements Forge {
  private final GitHubForge rest;
  private final GitHubMcp mcp;
  private final int logLines;
  private final long logCap;

  public GitHubMcpForge(GitHubForge rest, GitHubMcp mcp, int logLines, long logCap) {
    if (logLines < 1) {
      throw new IllegalArgumentException("PITCREW_GITHUB_MCP_LOG_LINES must be at least 1");
    }
    this.rest = rest;
    this.mcp = mcp;
    this.logLines = logLines;
    this.logCap = logCap;
  }

  /**
   * The GitHub forge for these settings: REST alone, or reads through the MCP server when {@code
   * PITCREW_GITHUB_MCP_URL} is set. The MCP server acts with {@code PITCREW_GITHUB_MCP_TOKEN}, else
   * {@code GITHUB_TOKEN}.
   */
  public static Forge maybeOver(GitHubForge rest, Map<String, String> env, long logCap) {
    String url = env.get("PITCREW_GITHUB_MCP_URL");
    if (url == null || url.isBlank()) {
      return rest;
    }
    String token = env.get("PITCREW_GITHUB_MCP_TOKEN");
    if (token == null || token.isBlank()) {
      token = env.get("GITHUB_TOKEN");
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "PITCREW_GITHUB_MCP_URL is set but neither PITCREW_GITHUB_MCP_TOKEN nor GITHUB_TOKEN is:"
              + " GitHub's MCP server needs a token with Actions: read");
    }
    int lines = 5000;
    String l = env.get("PITCREW_GITHUB_MCP_LOG_LINES");
    if (l != null && !l.isBlank()) {
      try {
        lines = Integer.parseInt(l.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "PITCREW_GITHUB_MCP_LOG_LINES must be a whole number of lines, not '" + l + "'");
      }
    }
    URI u;
    try {
      u = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PITCREW_GITHUB_MCP_URL is not a URL: '" + url + "'");
    }
    return new GitHubMcpForge(rest, new GitHubMcp(u, token, Duration.ofSeconds(60)), lines, logCap);
  }

  public GitHubForge rest() {
    return rest;
  }

  @Override
  public Provider provider() {
    return Provider.GITHUB;
  }

  // --- reading through MCP ---

  @Override
  public Run run(RunRef ref) throws IOException {
    String[] o = split(ref.repo());
    JsonNode run = mcp.workflowRun(o[0], o[1], ref.runId());
    int latest = run.path("run_attempt").asInt(1);
    if (ref.attempt() > 0 && ref.attempt() != latest) {
      // the MCP tools describe the latest attempt only; an earlier one comes from REST
      return rest.run(ref);
    }
    RunRef actual = new RunRef(ref.repo(), ref.runId(), latest);
    List<JsonNode> jobs = new ArrayList<>();
    for (JsonNode j : mcp.workflowJobs(o[0], o[1], ref.runId(), false)) {
      if (!j.has("run_attempt") || j.path("run_attempt").asInt() == latest) {
        jobs.add(j);
      }
    }
    return GitHubForge.toRun(actual, run, jobs, rest.webHost());
  }

  @Override
  public List<JobLog> failedJobLogs(RunRef ref) throws IOException {
    Run run = run(ref);
    List<Run.Job> failed = run.jobs().stream().filter(j -> "failed".equals(j.outcome())).toList();
    if (failed.isEmpty()) {
      return List.of();
    }
    String[] o = split(ref.repo());
    // one call for the jobs GitHub concluded "failure"; timed-out ones are fetched one by one
    Map<String, String> logs = mcp.failedJobLogs(o[0], o[1], run.ref().runId(), logLines);
    List<JobLog> out = new ArrayList<>();
    for (Run.Job j : failed) {
      String name = j.url() != null ? j.url() : webUrl(j.ref());
      String text = logs.get(j.ref().jobId());
      out.add(new JobLog(j, text != null ? capped(name, text) : lazyLog(j.ref(), name)));
    }
    return out;
  }

  @Override
  public LogSource jobLog(JobRef job) {
    return lazyLog(job, webUrl(job));
  }

  @Override
  public Optional<Run> lastSuccessfulRun(Run failed) throws IOException {
    if (failed.workflow() == null || failed.branch() == null) {
      return Optional.empty();
    }
    String[] o = split(failed.ref().repo());
    for (JsonNode r : mcp.workflowRuns(o[0], o[1], failed.workflow(), failed.branch())) {
      if (r.path("id").asText().equals(failed.ref().runId())
          || !"success".equals(r.path("conclusion").asText())) {
        continue;
      }
      return Optional.of(run(new RunRef(failed.ref().repo(), r.path("id").asText(), 0)));
    }
    return Optional.empty();
  }

  @Override
  public Run runOfJob(RepoRef repo, String jobId) throws IOException {
    String[] o = split(repo);
    Optional<JsonNode> job = mcp.workflowJob(o[0], o[1], jobId);
    if (job.isEmpty()) {
      return rest.runOfJob(repo, jobId); // older servers have no tool for one job
    }
    return run(new RunRef(repo, job.get().path("run_id").asText(), 0));
  }

  private LogSource lazyLog(JobRef job, String name) {
    String[] o = split(job.run().repo());
    return new LogSource() {
      private volatile boolean truncated;

      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() throws IOException {
        String text = mcp.jobLog(o[0], o[1], job.jobId(), logLines);
        LogSource s = capped(name, text);
        truncated = s.truncated();
        return s.open();
      }

      @Override
      public boolean truncated() {
        return truncated;
      }
    };
  }

  /** The log's text, keeping its end when it is over the byte cap (the failure is at the end). */
  private LogSource capped(String name, String text) {
    byte[] all = text.getBytes(StandardCharsets.UTF_8);
    boolean cut = all.length > logCap;
    byte[] kept = cut ? Arrays.copyOfRange(all, (int) (all.length - logCap), all.length) : all;
    return new LogSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(kept);
      }

      @Override
      public boolean truncated() {
        return cut;
      }
    };
  }

  private String webUrl(JobRef job) {
    return "https://"
        + rest.webHost()
        + "/"
        + job.run().repo().fullName()
        + "/actions/runs/"
        + job.run().runId()
        + "/job/"
        + job.jobId();
  }

  private static String[] split(RepoRef repo) {
    String[] parts = repo.fullName().split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "a GitHub repository is named owner/name, not '" + repo.fullName() + "'");
    }
    return parts;
  }

  // --- everything else through REST ---

  @Override
  public Optional<String> fileContent(RepoRef repo, String path, String ref) throws IOException {
    return rest.fileContent(repo, path, ref);
  }

  @Override
  public String defaultBranch(RepoRef repo) throws IOException {
    return rest.defaultBranch(repo);
  }

  @Override
  public List<LogSource> runLogs(RunRef ref) throws IOException {
    return rest.runLogs(ref);
  }

  @Override
  public Optional<RunRef> runForCommit(RepoRef repo, String sha) throws IOException {
    return rest.runForCommit(repo, sha);
  }

  @Override
  public Optional<RunRef> runForCommit(RepoRef repo, String sha, String workflow)
      throws IOException {
    return rest.runForCommit(repo, sha, workflow);
  }

  @Override
  public String runOutcome(RunRef ref) throws IOException {
    return run(ref).outcome();
  }

  @Override
  public Optional<LogSource> previousSuccessLog(Run failed, Run.Job job) throws IOException {
    Optional<Run> ok = lastSuccessfulRun(failed);
    if (ok.isEmpty()) {
      return Optional.empty();
    }
    for (Run.Job j : ok.get().jobs()) {
      if (j.ref().name() != null && j.ref().name().equals(job.ref().name())) {
        return Optional.of(jobLog(j.ref()));
      }
    }
    return Optional.empty();
  }

  @Override
  public RunRef rerunFailedJobs(RunRef ref) throws IOException {
    return rest.rerunFailedJobs(ref);
  }

  @Override
  public RunRef rerunRun(RunRef ref) throws IOException {
    return rest.rerunRun(ref);
  }

  @Override
  public JobRef retryJob(JobRef job) throws IOException {
    return rest.retryJob(job);
  }

  @Override
  public void ensureBranch(RepoRef repo, String branch, String fromSha) throws IOException {
    rest.ensureBranch(repo, branch, fromSha);
  }

  @Override
  public String commitFiles(RepoRef repo, String branch, String message, Map<String, String> files)
      throws IOException {
    return rest.commitFiles(repo, branch, message, files);
  }

  @Override
  public PullRequest ensurePullRequest(
      RepoRef repo, String head, String base, String title, String body, List<String> labels)
      throws IOException {
    return rest.ensurePullRequest(repo, head, base, title, body, labels);
  }

  @Override
  public void comment(PullRequest pr, String body) throws IOException {
    rest.comment(pr, body);
  }

  @Override
  public Optional<String> variable(RepoRef repo, String name) throws IOException {
    return rest.variable(repo, name);
  }

  @Override
  public Optional<String> setVariable(RepoRef repo, String name, String value) throws IOException {
    return rest.setVariable(repo, name, value);
  }

  @Override
  public String ensureIssue(RepoRef repo, String title, String body, List<String> labels)
      throws IOException {
    return rest.ensureIssue(repo, title, body, labels);
  }

  // --- everything else goes to the REST forge (repository contents, listings, comments) ---

  @Override
  public List<String> listFiles(RepoRef repo, String folder, String ref) throws IOException {
    return rest.listFiles(repo, folder, ref);
  }

  @Override
  public Map<String, String> runnerPaths(RepoRef repo) {
    return rest.runnerPaths(repo);
  }

  @Override
  public List<dev.pitcrew.forge.CiEvent.RunFailed> recentFailedRuns(
      RepoRef repo, java.time.Instant since) throws IOException {
    return rest.recentFailedRuns(repo, since);
  }

  @Override
  public Optional<String> problem() {
    return rest.problem();
  }

  @Override
  public List<dev.pitcrew.forge.TestResult> testResults(RunRef ref) throws IOException {
    return rest.testResults(ref);
  }

  @Override
  public Optional<String> localCloneUrl(RepoRef repo) throws IOException {
    return rest.localCloneUrl(repo);
  }

  @Override
  public Optional<String> pipelineFilePath(Run run) throws IOException {
    return rest.pipelineFilePath(run);
  }

  /** The run as MCP reads it names its pull request, as the REST run does. */
  @Override
  public Optional<PullRequest> pullRequestOf(RunRef ref) throws IOException {
    return run(ref).pullRequest();
  }

  @Override
  public List<String> comments(PullRequest pr) throws IOException {
    return rest.comments(pr);
  }

  @Override
  public String toString() {
    return "GitHubMcpForge[" + mcp.url() + " + " + rest + "]";
  }
}
