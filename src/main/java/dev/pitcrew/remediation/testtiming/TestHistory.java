package dev.pitcrew.remediation.testtiming;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.logs.LogLine;
import dev.pitcrew.logs.LogReader;
import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feeds the {@link FlakinessTracker} from what the incident workflow sees: a failed run's JUnit XML
 * reports when the forge keeps them (passes and failures), otherwise the test-failure lines of its
 * log; and a re-run of the same commit that passed, which turns every test that failed in the first
 * run into one failed and one passed observation — a flaky test.
 */
public final class TestHistory {
  /** Rates are taken over the last 50 runs of a test by default. */
  public static final int DEFAULT_WINDOW = 50;

  /** At least 5 observed runs before a rate decides anything, by default. */
  public static final int DEFAULT_MIN_OBSERVATIONS = 5;

  /** A hostile or huge report cannot flood the store: at most this many tests per run. */
  static final int MAX_TESTS_PER_RUN = 2000;

  /** Test ids longer than this are not tests we could act on; they are skipped. */
  static final int MAX_TEST_ID = 500;

  private final FlakinessTracker tracker;

  public TestHistory(FlakinessTracker tracker) {
    this.tracker = tracker;
  }

  public FlakinessTracker tracker() {
    return tracker;
  }

  /** The key a repository's tests are stored under: provider, host and full name. */
  public static String repositoryKey(RepoRef repo) {
    return repo.provider().wire() + ":" + repo.host() + ":" + repo.fullName();
  }

  /**
   * Records the tests of a failed run: every test case of its JUnit reports when the forge has
   * them, otherwise the tests the failed job's log names as failed. Returns how many observations
   * were offered (repeats of the same run are ignored by the tracker).
   */
  public int observeFailedRun(Forge forge, RunRef run, LogSource failedLog) throws IOException {
    String repo = repositoryKey(run.repo());
    List<TestRuns.Run> runs = new ArrayList<>(TestRuns.fromResults(forge.testResults(run)));
    if (runs.isEmpty()) {
      for (String t : failedInLog(failedLog)) {
        runs.add(new TestRuns.Run(t, false));
      }
    }
    return record(repo, run.key(), runs).size();
  }

  /**
   * Offers each run of a test to the tracker; returns the ids of the tests offered. Tests that
   * failed go first, so a report larger than {@link #MAX_TESTS_PER_RUN} loses passes, never the
   * failures flakiness is made of; each test keeps its own runs' order.
   */
  private List<String> record(String repo, String runKey, List<TestRuns.Run> runs) {
    Set<String> failing = new HashSet<>();
    runs.stream().filter(r -> !r.passed()).forEach(r -> failing.add(r.testId()));
    List<TestRuns.Run> ordered = new ArrayList<>(runs.size());
    runs.stream().filter(r -> failing.contains(r.testId())).forEach(ordered::add);
    runs.stream().filter(r -> !failing.contains(r.testId())).forEach(ordered::add);
    Map<String, Integer> seen = new HashMap<>();
    List<String> offered = new ArrayList<>();
    for (TestRuns.Run r : ordered) {
      if (offered.size() >= MAX_TESTS_PER_RUN) {
        break;
      }
      if (r.testId().isBlank() || r.testId().length() > MAX_TEST_ID) {
        continue;
      }
      // Surefire's rerunFailingTestsCount reports "failed, then passed" for one test in one run:
      // the later observations of a test in the same run get their own keys
      int k = seen.merge(r.testId(), 1, Integer::sum);
      tracker.record(repo, r.testId(), k == 1 ? runKey : runKey + "#" + k, r.passed());
      offered.add(r.testId());
    }
    return offered;
  }

  /**
   * A re-run finished. When it ran the same commit and passed, every test case of its reports is
   * recorded, and each test that failed in the first run and that the reports do not name passed
   * now (the run passed): a passing run which with the failure makes a flaky observation. When it
   * failed, its own failures are recorded by the next diagnosis. Returns the number of observations
   * offered.
   */
  public int observeRerun(Forge forge, RunRef failed, RunRef rerun, boolean passed)
      throws IOException {
    if (!passed) {
      return 0;
    }
    Run first = forge.run(failed);
    Run again = forge.run(rerun);
    if (first.sha() == null || !first.sha().equals(again.sha())) {
      return 0; // a fix on another commit passing says nothing about flakiness
    }
    String repo = repositoryKey(failed.repo());
    List<String> tests = tracker.failedIn(repo, failed.key());
    // GitLab retries a pipeline in place (same id, attempt 1): the retry needs a key of its own
    String key = rerun.key().equals(failed.key()) ? failed.key() + ":retry" : rerun.key();
    // the re-run's own reports first: what they say of a test wins over the inference below
    List<String> reported = record(repo, key, TestRuns.fromResults(forge.testResults(rerun)));
    int n = reported.size();
    Set<String> covered = new HashSet<>(reported);
    for (String t : tests) {
      if (!covered.contains(t)) {
        tracker.record(repo, t, key, true);
        n++;
      }
    }
    return n;
  }

  private static List<String> failedInLog(LogSource log) throws IOException {
    List<String> lines = new ArrayList<>();
    try (InputStream in = log.open();
        LogReader reader = new LogReader(in)) {
      for (LogLine l = reader.next(); l != null; l = reader.next()) {
        String c = l.clean();
        if (c.length() < 4000) {
          lines.add(c);
        }
        if (lines.size() > 200_000) {
          break;
        }
      }
    }
    return TestRuns.failedInLog(lines);
  }
}
