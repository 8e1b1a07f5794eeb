package dev.pitcrew.forge;

import java.time.Instant;
import java.util.List;

/**
 * A run or pipeline as the forge reports it, in our words.
 *
 * @param workflow GitHub's workflow id or path; for GitLab the pipeline source or null
 * @param outcome {@code running}, {@code passed}, {@code failed} or {@code cancelled}
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
    List<Job> jobs) {
  public Run {
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }

  /** A job of the run. */
  public record Job(JobRef ref, String stage, String outcome, String url, Integer exitCode) {}
}
