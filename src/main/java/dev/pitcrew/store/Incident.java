package dev.pitcrew.store;

import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import java.time.Instant;
import java.util.Optional;

/**
 * The incident workflow's own state for one failed run attempt: which step is next and what the
 * earlier steps decided, so that a step run twice finds its work already recorded.
 *
 * @param pullRequest the pull/merge request the failed run belongs to, when the webhook named one
 */
public record Incident(
    String incidentId,
    RunRef run,
    String failedJobId,
    String actor,
    String step,
    Optional<String> diagnosisJson,
    Optional<String> planJson,
    Optional<String> verdict,
    Optional<String> verdictReason,
    Optional<String> decidedBy,
    Optional<RunRef> newRun,
    int stepFailures,
    Instant createdAt,
    Optional<PullRequest> pullRequest) {

  public Incident {
    pullRequest = pullRequest == null ? Optional.empty() : pullRequest;
  }

  static RunRef run(String provider, String host, String repo, String projectId, String id, int a) {
    return new RunRef(
        new RepoRef(
            Provider.valueOf(provider.toUpperCase(java.util.Locale.ROOT)), host, repo, projectId),
        id,
        a);
  }
}
