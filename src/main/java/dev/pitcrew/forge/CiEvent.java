package dev.pitcrew.forge;

import java.time.Instant;
import java.util.Optional;

/**
 * What a forge delivery means to Pitcrew, whatever the vendor called it. Adapters in {@code
 * forge/github} and {@code forge/gitlab} turn webhook payloads into these.
 */
public sealed interface CiEvent {
  /** The run this event is about. */
  RunRef run();

  /**
   * A run or pipeline (or one of its jobs) failed.
   *
   * @param pullRequest the open pull/merge request the run belongs to, when the delivery names one
   *     (GitHub's {@code workflow_run.pull_requests}, GitLab's pipeline {@code merge_request});
   *     empty for job deliveries, whose request the workflow asks the forge for
   */
  record RunFailed(
      RunRef run,
      String branch,
      String sha,
      String workflow,
      String url,
      String actor,
      boolean fromFork,
      String failedJobId,
      Instant at,
      Optional<PullRequest> pullRequest)
      implements CiEvent {
    public RunFailed {
      pullRequest = pullRequest == null ? Optional.empty() : pullRequest;
    }

    /** A failure that names no pull request. */
    public RunFailed(
        RunRef run,
        String branch,
        String sha,
        String workflow,
        String url,
        String actor,
        boolean fromFork,
        String failedJobId,
        Instant at) {
      this(run, branch, sha, workflow, url, actor, fromFork, failedJobId, at, Optional.empty());
    }
  }

  /** A run or pipeline passed: used to verify fixes and to skip stale failures. */
  record RunSucceeded(RunRef run, String branch, String sha, String url, Instant at)
      implements CiEvent {}

  /** A delivery we record but do not act on, with the reason. */
  record Ignored(RunRef run, String reason) implements CiEvent {}
}
