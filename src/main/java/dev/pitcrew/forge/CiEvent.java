package dev.pitcrew.forge;

import java.time.Instant;

/**
 * What a forge delivery means to Pitcrew, whatever the vendor called it. Adapters in {@code
 * forge/github} and {@code forge/gitlab} turn webhook payloads into these.
 */
public sealed interface CiEvent {
  /** The run this event is about. */
  RunRef run();

  /** A run or pipeline (or one of its jobs) failed. */
  record RunFailed(
      RunRef run,
      String branch,
      String sha,
      String workflow,
      String url,
      String actor,
      boolean fromFork,
      String failedJobId,
      Instant at)
      implements CiEvent {}

  /** A run or pipeline passed: used to verify fixes and to skip stale failures. */
  record RunSucceeded(RunRef run, String branch, String sha, String url, Instant at)
      implements CiEvent {}

  /** A delivery we record but do not act on, with the reason. */
  record Ignored(RunRef run, String reason) implements CiEvent {}
}
