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

  /** The repository's default branch. */
  String defaultBranch(RepoRef repo) throws IOException;

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
