package dev.pitcrew.remediation;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.JobRef;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory forge for unit tests that records every acting call. Branches hold whole file maps;
 * acting methods are idempotent the way the {@link Forge} contract asks.
 */
public final class RecordingForge implements Forge {
  public final List<String> calls = new ArrayList<>();
  public final Map<String, Map<String, String>> branches = new LinkedHashMap<>();
  public final Map<String, String> shaToBranch = new HashMap<>();
  public final List<PullRequest> pullRequests = new ArrayList<>();
  public final Map<String, String> variables = new LinkedHashMap<>();
  public final List<String> issues = new ArrayList<>();
  public String runOutcome = "failed";
  public Map<String, String> runnerPaths = Map.of();

  /** The test cases each run's reports hold, by {@link RunRef#key()}. */
  public final Map<String, List<dev.pitcrew.forge.TestResult>> testResults = new HashMap<>();

  private int commits;

  /** Seeds a branch with files at a commit sha. */
  public RecordingForge seed(String branch, String sha, Map<String, String> files) {
    branches.put(branch, new LinkedHashMap<>(files));
    shaToBranch.put(sha, branch);
    return this;
  }

  @Override
  public Provider provider() {
    return Provider.LOCAL;
  }

  @Override
  public Run run(RunRef ref) {
    return new Run(ref, "main", "sha", null, runOutcome, "url", Instant.EPOCH, null, List.of());
  }

  @Override
  public List<dev.pitcrew.forge.TestResult> testResults(RunRef ref) {
    return testResults.getOrDefault(ref.key(), List.of());
  }

  @Override
  public List<JobLog> failedJobLogs(RunRef ref) {
    return List.of();
  }

  @Override
  public Optional<Run> lastSuccessfulRun(Run failed) {
    return Optional.empty();
  }

  @Override
  public LogSource jobLog(JobRef job) throws IOException {
    throw new IOException("no logs here");
  }

  @Override
  public Optional<String> fileContent(RepoRef repo, String path, String ref) {
    Map<String, String> files = branches.get(shaToBranch.getOrDefault(ref, ref));
    return files == null ? Optional.empty() : Optional.ofNullable(files.get(path));
  }

  @Override
  public Map<String, String> runnerPaths(RepoRef repo) {
    return runnerPaths;
  }

  @Override
  public List<String> listFiles(RepoRef repo, String folder, String ref) {
    Map<String, String> files = branches.get(shaToBranch.getOrDefault(ref, ref));
    String prefix = folder.isEmpty() ? "" : folder + "/";
    return files == null
        ? List.of()
        : files.keySet().stream().filter(p -> p.startsWith(prefix)).sorted().toList();
  }

  @Override
  public String defaultBranch(RepoRef repo) {
    return "main";
  }

  @Override
  public RunRef rerunFailedJobs(RunRef ref) {
    calls.add("rerun " + ref.runId());
    runOutcome = "running";
    return new RunRef(ref.repo(), ref.runId(), ref.attempt() + 1);
  }

  @Override
  public void ensureBranch(RepoRef repo, String branch, String fromSha) throws IOException {
    if (branches.containsKey(branch)) {
      return;
    }
    Map<String, String> from = branches.get(shaToBranch.get(fromSha));
    if (from == null) {
      throw new IOException("no commit " + fromSha);
    }
    calls.add("branch " + branch);
    branches.put(branch, new LinkedHashMap<>(from));
  }

  @Override
  public String commitFiles(RepoRef repo, String branch, String message, Map<String, String> files)
      throws IOException {
    Map<String, String> b = branches.get(branch);
    if (b == null) {
      throw new IOException("no branch " + branch);
    }
    calls.add("commit " + branch + " " + files.keySet());
    b.putAll(files);
    String sha = "c" + (++commits);
    pushed.add(sha);
    return sha;
  }

  /** Commits pushed through {@link #commitFiles}; each started one pipeline run. */
  public final java.util.Set<String> pushed = new java.util.LinkedHashSet<>();

  @Override
  public java.util.Optional<dev.pitcrew.forge.RunRef> runForCommit(RepoRef repo, String sha) {
    return pushed.contains(sha)
        ? java.util.Optional.of(new dev.pitcrew.forge.RunRef(repo, "run-of-" + sha, 1))
        : java.util.Optional.empty();
  }

  @Override
  public PullRequest ensurePullRequest(
      RepoRef repo, String head, String base, String title, String body, List<String> labels) {
    for (PullRequest pr : pullRequests) {
      if (pr.head().equals(head) && pr.state().equals("open")) {
        return pr;
      }
    }
    calls.add("pr " + head + " -> " + base + " " + labels);
    int n = pullRequests.size() + 1;
    PullRequest pr = new PullRequest(repo, "" + n, "https://forge/pr/" + n, head, base, "open");
    pullRequests.add(pr);
    lastPullRequestBody = body;
    return pr;
  }

  public String lastPullRequestBody;

  @Override
  public void comment(PullRequest pr, String body) {
    calls.add("comment " + pr.number());
  }

  @Override
  public Optional<String> variable(RepoRef repo, String name) {
    return Optional.ofNullable(variables.get(name));
  }

  @Override
  public Optional<String> setVariable(RepoRef repo, String name, String value) {
    calls.add("set " + name);
    return Optional.ofNullable(variables.put(name, value));
  }

  @Override
  public String ensureIssue(RepoRef repo, String title, String body, List<String> labels) {
    int i = issues.indexOf(title);
    if (i < 0) {
      calls.add("issue " + title);
      issues.add(title);
      i = issues.size() - 1;
    }
    return "https://forge/issues/" + (i + 1);
  }
}
