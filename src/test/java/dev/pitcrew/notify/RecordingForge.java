package dev.pitcrew.notify;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory forge holding comments and issues, with ensureIssue's find-before-create contract.
 * Only the two writes notifications use are implemented; reads are not needed by any sink.
 */
public final class RecordingForge implements Forge {
  public final List<String> comments = new ArrayList<>();
  public final Map<String, String> issues = new LinkedHashMap<>();
  public int failuresLeft;

  @Override
  public Provider provider() {
    return Provider.GITHUB;
  }

  @Override
  public void comment(PullRequest pr, String body) throws IOException {
    failIfAsked();
    comments.add(pr.number() + ":" + body);
  }

  @Override
  public List<String> comments(PullRequest pr) {
    String prefix = pr.number() + ":";
    return comments.stream()
        .filter(c -> c.startsWith(prefix))
        .map(c -> c.substring(prefix.length()))
        .toList();
  }

  @Override
  public String ensureIssue(RepoRef repo, String title, String body, List<String> labels)
      throws IOException {
    failIfAsked();
    int n = issues.containsKey(title) ? indexOf(title) : issues.size() + 1;
    issues.putIfAbsent(title, body);
    return "https://" + repo.host() + "/" + repo.fullName() + "/issues/" + n;
  }

  private int indexOf(String title) {
    return new ArrayList<>(issues.keySet()).indexOf(title) + 1;
  }

  private void failIfAsked() throws IOException {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new IOException("HTTP 502 from api.github.com");
    }
  }

  private static UnsupportedOperationException notForNotifications() {
    return new UnsupportedOperationException("notifications only comment and open issues");
  }

  @Override
  public Run run(RunRef ref) {
    throw notForNotifications();
  }

  @Override
  public List<JobLog> failedJobLogs(RunRef ref) {
    throw notForNotifications();
  }

  @Override
  public Optional<Run> lastSuccessfulRun(Run failed) {
    throw notForNotifications();
  }

  @Override
  public LogSource jobLog(dev.pitcrew.forge.JobRef job) {
    throw notForNotifications();
  }

  @Override
  public Optional<String> fileContent(RepoRef repo, String path, String ref) {
    throw notForNotifications();
  }

  @Override
  public String defaultBranch(RepoRef repo) {
    throw notForNotifications();
  }

  @Override
  public RunRef rerunFailedJobs(RunRef ref) {
    throw notForNotifications();
  }

  @Override
  public void ensureBranch(RepoRef repo, String branch, String fromSha) {
    throw notForNotifications();
  }

  @Override
  public String commitFiles(
      RepoRef repo, String branch, String message, Map<String, String> files) {
    throw notForNotifications();
  }

  @Override
  public PullRequest ensurePullRequest(
      RepoRef repo, String head, String base, String title, String body, List<String> labels) {
    throw notForNotifications();
  }

  @Override
  public Optional<String> variable(RepoRef repo, String name) {
    throw notForNotifications();
  }

  @Override
  public Optional<String> setVariable(RepoRef repo, String name, String value) {
    throw notForNotifications();
  }
}
