package dev.pitcrew.forge;

import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Pitcrew needs from a forge, in our words. Implementations: {@code forge/github}, {@code
 * forge/gitlab}, {@code forge/local}. Every acting method is idempotent: it looks for what it would
 * create first, so a retried step never creates a second branch, pull request or issue.
 */
public interface Forge {
  Provider provider();

  // --- reading ---

  Run run(RunRef ref) throws IOException;

  /** The failed jobs' logs of a run, streamed and capped; one source per failed job. */
  List<JobLog> failedJobLogs(RunRef ref) throws IOException;

  /** The last successful run of the same workflow on the same branch, if any. */
  Optional<Run> lastSuccessfulRun(Run failed) throws IOException;

  /** A job's log. */
  LogSource jobLog(JobRef job) throws IOException;

  /** A file's content at a commit, or empty when the file does not exist. */
  Optional<String> fileContent(RepoRef repo, String path, String ref) throws IOException;

  /**
   * The paths of the files at a commit below a folder ({@code ""} for the whole tree), recursively
   * and sorted, so that a remediation can look for evidence in the repository (a vendored package,
   * a local package index) without a checkout. Forges that cannot list answer empty, and the
   * evidence is then simply not found.
   */
  default List<String> listFiles(RepoRef repo, String folder, String ref) throws IOException {
    return List.of();
  }

  /**
   * Where this forge's runners keep a job's workspace and caches, by the environment variable that
   * names each place in a job ({@code RUNNER_TOOL_CACHE → /opt/hostedtoolcache}), so that a path
   * printed in a log can be written back into a workflow as {@code $VARIABLE/rest}. The defaults
   * are the hosted runners' documented locations; a value ending in {@code /*} stands for one
   * folder per job below it.
   */
  default Map<String, String> runnerPaths(RepoRef repo) {
    String name = repo.fullName().substring(repo.fullName().lastIndexOf('/') + 1);
    return switch (provider()) {
      case GITHUB ->
          Map.of(
              "RUNNER_TOOL_CACHE", "/opt/hostedtoolcache",
              "RUNNER_TEMP", "/home/runner/work/_temp",
              "GITHUB_WORKSPACE", "/home/runner/work/" + name + "/" + name);
      case GITLAB -> Map.of("CI_PROJECT_DIR", "/builds/" + repo.fullName());
      case LOCAL -> Map.of();
    };
  }

  /** The repository's default branch. */
  String defaultBranch(RepoRef repo) throws IOException;

  /**
   * The failed runs or pipelines of a repository since a time, newest first, as the webhook of each
   * would have reported them: how the reconciler finds failures whose webhook never came. GitHub
   * filters on the run's creation time, GitLab on the pipeline's last update. At most a few pages
   * are read; a forge that cannot list runs answers {@link UnsupportedOperationException}.
   */
  default List<CiEvent.RunFailed> recentFailedRuns(RepoRef repo, java.time.Instant since)
      throws IOException {
    throw new UnsupportedOperationException(provider().wire() + " cannot list recent failed runs");
  }

  /**
   * Why this forge cannot be used right now (its circuit is open after repeated failures), or empty
   * when nothing is known to be wrong; for {@code /health}. Never calls the forge.
   */
  default java.util.Optional<String> problem() {
    return java.util.Optional.empty();
  }

  // --- acting ---

  /** Re-runs the failed jobs of a run (GitHub) or retries the pipeline (GitLab). */
  RunRef rerunFailedJobs(RunRef ref) throws IOException;

  /** Creates the branch from a commit unless it exists already. */
  void ensureBranch(RepoRef repo, String branch, String fromSha) throws IOException;

  /** Commits file contents (path → new content) on a branch; returns the commit sha. */
  String commitFiles(RepoRef repo, String branch, String message, Map<String, String> files)
      throws IOException;

  /** Opens a pull/merge request unless one from {@code head} is already open; returns it. */
  PullRequest ensurePullRequest(
      RepoRef repo, String head, String base, String title, String body, List<String> labels)
      throws IOException;

  void comment(PullRequest pr, String body) throws IOException;

  /** A CI variable's current value, if set. */
  Optional<String> variable(RepoRef repo, String name) throws IOException;

  /** Sets a CI variable; returns the previous value for rollback. */
  Optional<String> setVariable(RepoRef repo, String name, String value) throws IOException;

  /**
   * Opens an issue (for incident tickets) unless one with the same title is open; returns its URL.
   */
  String ensureIssue(RepoRef repo, String title, String body, List<String> labels)
      throws IOException;

  // --- additions with defaults, for forges that do not distinguish (the local forge) ---

  /**
   * Re-runs every job of the run (GitHub's "re-run all jobs"); GitLab retries the pipeline. By
   * default the same as {@link #rerunFailedJobs}.
   */
  default RunRef rerunRun(RunRef ref) throws IOException {
    return rerunFailedJobs(ref);
  }

  /** Retries one job; returns the job that now runs in its place. */
  default JobRef retryJob(JobRef job) throws IOException {
    throw new UnsupportedOperationException(provider().wire() + " cannot retry a single job");
  }

  /** The run's outcome for verification: running, passed, failed or cancelled. */
  default String runOutcome(RunRef ref) throws IOException {
    return run(ref).outcome();
  }

  /**
   * Every log of the run in one go (GitHub: the run-log archive, one source per job). By default
   * the failed jobs' logs.
   */
  default List<LogSource> runLogs(RunRef ref) throws IOException {
    return failedJobLogs(ref).stream().map(JobLog::log).toList();
  }

  /**
   * The open pull/merge request a run belongs to, for a comment on it; empty when it belongs to
   * none or the forge cannot say. GitHub names it in the run itself; GitLab's pipeline does not, so
   * its adapter asks for the merge request of the pipeline's ref.
   */
  default Optional<PullRequest> pullRequestOf(RunRef ref) throws IOException {
    return run(ref).pullRequest();
  }

  /** The run a job belongs to, from the job's id alone (a job URL does not always name its run). */
  default Run runOfJob(RepoRef repo, String jobId) throws IOException {
    throw new UnsupportedOperationException(
        provider().wire() + " cannot find a run from a job id alone");
  }

  /**
   * The log of the same job (by name) in the last successful run of the same workflow on the same
   * branch: the "previous success" a diagnosis compares against.
   */
  default Optional<LogSource> previousSuccessLog(Run failed, Run.Job job) throws IOException {
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

  /**
   * The newest run or pipeline that a push of this commit started, if the forge knows of one yet:
   * how a fix delivered as a commit on a branch is verified. Forges that cannot tell answer empty,
   * and the fix is then verified by a person merging the pull request.
   */
  default Optional<RunRef> runForCommit(RepoRef repo, String sha) throws IOException {
    return Optional.empty();
  }

  /**
   * {@link #runForCommit(RepoRef, String)}, limited to runs of one workflow (our {@link
   * Run#workflow()}: GitHub's workflow id) when the forge can tell them apart, so a fix is verified
   * by the workflow that failed and not by another one the push started. Null means any workflow.
   */
  default Optional<RunRef> runForCommit(RepoRef repo, String sha, String workflow)
      throws IOException {
    return runForCommit(repo, sha);
  }

  /**
   * Every test case the run's test reports recorded (passes, failures, skips), for the flakiness
   * history: the local forge's kept JUnit XML, GitHub's test-report artifacts, GitLab's pipeline
   * test report. Empty when the forge keeps none or they cannot be read right now (no permission,
   * expired, too large, malformed): adapters log why and answer empty rather than fail, and Pitcrew
   * then reads the failed tests from the log instead.
   */
  default List<TestResult> testResults(RunRef ref) throws IOException {
    return List.of();
  }

  /**
   * A URL this process can clone the repository from without credentials: the local forge's own
   * repositories. Remote forges answer empty; cloning them needs configured credentials.
   */
  default Optional<String> localCloneUrl(RepoRef repo) throws IOException {
    return Optional.empty();
  }

  /**
   * The repository path of the pipeline definition a run executed (a workflow file, {@code
   * .gitlab-ci.yml}), when the forge can tell; read it at the run's commit with {@link
   * #fileContent}. By default the run's workflow, when it reads as a path.
   */
  default Optional<String> pipelineFilePath(Run run) throws IOException {
    return workflowPath(run.workflow());
  }

  /**
   * A workflow reference as a repository path: {@code octo/app/.github/workflows/ci.yml@main} and
   * {@code .github/workflows/ci.yml} both give {@code .github/workflows/ci.yml}; an id gives none.
   */
  static Optional<String> workflowPath(String workflow) {
    if (workflow == null || workflow.isBlank()) {
      return Optional.empty();
    }
    String w = workflow.strip();
    int at = w.indexOf('@');
    if (at >= 0) {
      w = w.substring(0, at);
    }
    int gh = w.indexOf(".github/workflows/");
    if (gh > 0) {
      w = w.substring(gh);
    }
    boolean yaml = w.endsWith(".yml") || w.endsWith(".yaml");
    return yaml && !w.startsWith("/") && !w.contains("..") ? Optional.of(w) : Optional.empty();
  }

  /**
   * The bodies of the comments on a pull/merge request, oldest first: how a notifier finds the
   * comment it already left, so a retried step does not comment twice. Forges that cannot list
   * answer empty.
   */
  default List<String> comments(PullRequest pr) throws IOException {
    return List.of();
  }

  /** A failed job's log with the job it belongs to. */
  record JobLog(Run.Job job, LogSource log) {}
}
