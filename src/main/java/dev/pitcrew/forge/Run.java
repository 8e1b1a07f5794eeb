package dev.pitcrew.forge;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A run or pipeline as the forge reports it, in our words.
 *
 * @param workflow GitHub's workflow id or path; for GitLab the pipeline source or null
 * @param outcome {@code running}, {@code passed}, {@code failed} or {@code cancelled}
 * @param pullRequest the open pull/merge request the run belongs to, when the forge says
 */
public record Run(
    RunRef ref,
    String branch,
    String sha,
    String workflow,
    String outcome,
    String url,
    Instant createdAt,
    String actor,
    List<Job> jobs,
    Optional<PullRequest> pullRequest) {
  public Run {
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
    pullRequest = pullRequest == null ? Optional.empty() : pullRequest;
  }

  /** A run whose forge did not say which pull request it belongs to. */
  public Run(
      RunRef ref,
      String branch,
      String sha,
      String workflow,
      String outcome,
      String url,
      Instant createdAt,
      String actor,
      List<Job> jobs) {
    this(ref, branch, sha, workflow, outcome, url, createdAt, actor, jobs, Optional.empty());
  }

  /** A job of the run. */
  public record Job(JobRef ref, String stage, String outcome, String url, Integer exitCode) {}
}
