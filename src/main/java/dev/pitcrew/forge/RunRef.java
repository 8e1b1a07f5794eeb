package dev.pitcrew.forge;

/**
 * One attempt of a workflow run (GitHub) or a pipeline (GitLab).
 *
 * @param attempt GitHub's {@code run_attempt}; 1 for GitLab, whose retries keep the pipeline id
 */
public record RunRef(RepoRef repo, String runId, int attempt) {
  /** A stable key for de-duplication: provider, host, repository, run and attempt. */
  public String key() {
    return repo.provider().wire()
        + ":"
        + repo.host()
        + ":"
        + repo.fullName()
        + ":"
        + runId
        + ":"
        + attempt;
  }
}
