package dev.pitcrew.remediation.testtiming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.TestResult;
import dev.pitcrew.forge.local.LocalForge;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.RecordingForge;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestHistoryTest {
  private final InMemoryFlakinessTracker tracker = new InMemoryFlakinessTracker();
  private final TestHistory history = new TestHistory(tracker);
  private final RecordingForge forge = new RecordingForge();
  private static final String REPO = TestHistory.repositoryKey(Fixtures.REPO);

  private static LogSource log(String text) {
    return new LogSource() {
      @Override
      public String name() {
        return "job.log";
      }

      @Override
      public InputStream open() {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  private static final String PYTEST_LOG =
      """
      2026-11-29T05:00:01.0000000Z ##[group]Run pytest
      2026-11-29T05:00:09.0000000Z FAILED tests/test_api.py::test_get - AssertionError
      2026-11-29T05:00:09.1000000Z FAILED tests/test_api.py::test_put - TimeoutError
      2026-11-29T05:00:09.2000000Z ##[error]Process completed with exit code 1.
      """;

  @Test
  void aFailedRunRecordsTheTestsItsLogNamesOnceEvenWhenTheStepRunsTwice() throws Exception {
    RunRef run = new RunRef(Fixtures.REPO, "7", 1);
    assertThat(history.observeFailedRun(forge, run, log(PYTEST_LOG))).isEqualTo(2);
    history.observeFailedRun(forge, run, log(PYTEST_LOG));
    assertThat(tracker.flakiness(REPO, "tests/test_api.py::test_get"))
        .isEqualTo(new FlakinessTracker.Flakiness(1, 1));
    assertThat(tracker.failedIn(REPO, run.key()))
        .containsExactlyInAnyOrder("tests/test_api.py::test_get", "tests/test_api.py::test_put");
  }

  @Test
  void aPassingReRunOfTheSameCommitMakesAFlakyObservation() throws Exception {
    RunRef run = new RunRef(Fixtures.REPO, "7", 1);
    history.observeFailedRun(forge, run, log(PYTEST_LOG));
    RunRef rerun = new RunRef(Fixtures.REPO, "7", 2);
    assertThat(history.observeRerun(forge, run, rerun, true)).isEqualTo(2);
    assertThat(tracker.flakiness(REPO, "tests/test_api.py::test_put").rate()).isEqualTo(0.5);
    // a failing re-run adds nothing here: its own diagnosis records its failures
    assertThat(history.observeRerun(forge, run, new RunRef(Fixtures.REPO, "7", 3), false)).isZero();
  }

  @Test
  void aReportOverTheCapKeepsItsFailuresAndDropsPasses() throws Exception {
    RunRef run = new RunRef(Fixtures.REPO, "9", 1);
    List<TestResult> results = new ArrayList<>();
    for (int i = 0; i < TestHistory.MAX_TESTS_PER_RUN + 500; i++) {
      results.add(new TestResult("com.acme.BigTest", "passes" + i, TestResult.Status.PASSED));
    }
    results.add(new TestResult("com.acme.BigTest", "retries", TestResult.Status.FAILED));
    results.add(new TestResult("com.acme.BigTest", "retries", TestResult.Status.PASSED));
    results.add(new TestResult("com.acme.BigTest", "fails", TestResult.Status.FAILED));
    forge.testResults.put(run.key(), results);

    assertThat(history.observeFailedRun(forge, run, log("")))
        .isEqualTo(TestHistory.MAX_TESTS_PER_RUN);
    assertThat(tracker.failedIn(REPO, run.key()))
        .containsExactlyInAnyOrder("com.acme.BigTest.retries", "com.acme.BigTest.fails");
    // Surefire's "failed, then passed" in one run stays in that order: one failure, one pass
    assertThat(tracker.flakiness(REPO, "com.acme.BigTest.retries"))
        .isEqualTo(new FlakinessTracker.Flakiness(2, 1));
    assertThat(tracker.flakiness(REPO, "com.acme.BigTest.passes0").runs()).isOne();
    assertThat(tracker.flakiness(REPO, "com.acme.BigTest.passes2400").runs()).isZero();
  }

  @Test
  void hugeOrBlankTestNamesAreNotRecorded() throws Exception {
    RunRef run = new RunRef(Fixtures.REPO, "8", 1);
    String longName = "FAILED tests/" + "x".repeat(600) + ".py::test_a - boom\n";
    assertThat(history.observeFailedRun(forge, run, log(longName))).isZero();
  }

  @Test
  void prefersTheJUnitReportsTheLocalForgeKeptOverTheLog(@TempDir Path tmp) throws Exception {
    String workflow =
        """
        name: ci
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  mkdir -p build/test-results/test
                  cat > build/test-results/test/TEST-com.acme.CartTest.xml <<'XML'
                  <testsuite name="com.acme.CartTest" tests="2" failures="1">
                    <testcase classname="com.acme.CartTest" name="addsAnItem"/>
                    <testcase classname="com.acme.CartTest" name="removesAnItem">
                      <failure message="expected 0 but was 1"/>
                    </testcase>
                  </testsuite>
                  XML
                  exit 1
        """;
    try (LocalForge lab = new LocalForge(tmp.resolve("lab"), LocalForge.Options.defaults())) {
      RepoRef repo =
          lab.createRepository("acme/cart", Map.of(".github/workflows/ci.yml", workflow), "init");
      Run run = lab.awaitCompletion(lab.trigger(repo, "main").get(0), Duration.ofSeconds(60));
      assertThat(run.outcome()).isEqualTo("failed");
      assertThat(lab.testResults(run.ref()))
          .containsExactly(
              new TestResult("com.acme.CartTest", "addsAnItem", TestResult.Status.PASSED),
              new TestResult("com.acme.CartTest", "removesAnItem", TestResult.Status.FAILED));
      LogSource log = lab.failedJobLogs(run.ref()).get(0).log();
      assertThat(history.observeFailedRun(lab, run.ref(), log)).isEqualTo(2);
      String key = TestHistory.repositoryKey(repo);
      assertThat(tracker.flakiness(key, "com.acme.CartTest.addsAnItem"))
          .isEqualTo(new FlakinessTracker.Flakiness(1, 0));
      assertThat(tracker.failedIn(key, run.ref().key()))
          .containsExactly("com.acme.CartTest.removesAnItem");
    }
  }
}
