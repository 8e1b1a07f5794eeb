package dev.pitcrew.cli;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.JobRef;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The forge of {@code pitcrew remediate --repo DIR}: there is none. Plans are made against the
 * checkout; any forge call says plainly that it needs {@code pitcrew serve} with a configured
 * forge.
 */
final class OfflineForge implements Forge {
  private static IOException offline(String what) {
    return new IOException(
        what + " needs a forge; a local checkout has none (run pitcrew serve with a forge token)");
  }

  @Override
  public Provider provider() {
    return Provider.LOCAL;
  }

  @Override
  public Run run(RunRef ref) throws IOException {
    throw offline("reading a run");
  }

  @Override
  public List<JobLog> failedJobLogs(RunRef ref) throws IOException {
    throw offline("fetching job logs");
  }

  @Override
  public Optional<Run> lastSuccessfulRun(Run failed) {
    return Optional.empty();
  }

  @Override
  public LogSource jobLog(JobRef job) throws IOException {
    throw offline("fetching a job log");
  }

  @Override
  public Optional<String> fileContent(RepoRef repo, String path, String ref) throws IOException {
    throw offline("reading files at a commit");
  }

  @Override
  public String defaultBranch(RepoRef repo) throws IOException {
    throw offline("reading the default branch");
  }

  @Override
  public RunRef rerunFailedJobs(RunRef ref) throws IOException {
    throw offline("re-running jobs");
  }

  @Override
  public void ensureBranch(RepoRef repo, String branch, String fromSha) throws IOException {
    throw offline("creating a branch");
  }

  @Override
  public String commitFiles(RepoRef repo, String branch, String message, Map<String, String> files)
      throws IOException {
    throw offline("committing");
  }

  @Override
  public PullRequest ensurePullRequest(
      RepoRef repo, String head, String base, String title, String body, List<String> labels)
      throws IOException {
    throw offline("opening a pull request");
  }

  @Override
  public void comment(PullRequest pr, String body) throws IOException {
    throw offline("commenting");
  }

  @Override
  public Optional<String> variable(RepoRef repo, String name) throws IOException {
    throw offline("reading a CI variable");
  }

  @Override
  public Optional<String> setVariable(RepoRef repo, String name, String value) throws IOException {
    throw offline("setting a CI variable");
  }

  @Override
  public String ensureIssue(RepoRef repo, String title, String body, List<String> labels)
      throws IOException {
    throw offline("opening an issue");
  }
}
