package dev.pitcrew.remediation.testtiming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.TestRepo;
import dev.pitcrew.remediation.retry.Backoff;
import dev.pitcrew.remediation.retry.RetryPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlakyTestsTest {
  @TempDir Path dir;
  private final InMemoryFlakinessTracker tracker = new InMemoryFlakinessTracker();
  private final FlakyTests flaky = new FlakyTests(tracker, new RetryPipeline(Backoff.DEFAULT));

  private static final String TEST_CLASS =
      """
      package com.acme;

      class OrderServiceTest {
        @Test
        @Timeout(5) // seconds
        void createsOrder() {}

        @Test
        @Timeout(7)
        void cancelsOrder() {}
      }
      """;

  @BeforeEach
  void checkout() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit(
          "tests",
          Map.of(
              "src/test/java/com/acme/OrderServiceTest.java",
              TEST_CLASS,
              "jest.config.js",
              "module.exports = {\n  testTimeout: 5000, // ms\n};\n"));
    }
  }

  private Plan plan(String test) throws Exception {
    Diagnosis d =
        Fixtures.diagnosis(Category.TEST, RiskLevel.LOW, "retry_pipeline", Map.of("test", test));
    return flaky
        .plan(d, Fixtures.context(new RecordingForge(), 1, dir), RepoFiles.of(dir))
        .orElseThrow();
  }

  private static final String REPO = TestHistory.repositoryKey(Fixtures.REPO);
  private int runs;

  private void history(String test, int passes, int failures) {
    for (int i = 0; i < passes; i++) {
      tracker.record(REPO, test, "run-" + ++runs, true);
    }
    for (int i = 0; i < failures; i++) {
      tracker.record(REPO, test, "run-" + ++runs, false);
    }
  }

  @Test
  void aRarelyFlakyTestIsRetried() throws Exception {
    history("com.acme.OrderServiceTest.createsOrder", 9, 1);
    assertThat(plan("com.acme.OrderServiceTest.createsOrder").action()).isEqualTo("retry_pipeline");
  }

  @Test
  void aTestFlakyFourTimesInTenGetsItsOwnTimeoutDoubled() throws Exception {
    history("com.acme.OrderServiceTest.cancelsOrder", 6, 4);
    Plan p = plan("com.acme.OrderServiceTest.cancelsOrder");
    assertThat(p.action()).isEqualTo("increase_test_timeout");
    assertThat(p.fileChanges()).singleElement();
    assertThat(p.fileChanges().get(0).after())
        .isEqualTo(TEST_CLASS.replace("@Timeout(7)", "@Timeout(14)"));
    assertThat(p.params()).containsEntry("flakiness", "0.40");
  }

  @Test
  void aTestFailingMostRunsIsForItsOwnersWithNoChange() throws Exception {
    history("com.acme.OrderServiceTest.createsOrder", 2, 3);
    Plan p = plan("com.acme.OrderServiceTest.createsOrder");
    assertThat(p.action()).isEqualTo(Plans.SUGGESTION);
    assertThat(p.summary()).contains("fails 60% of its runs").contains("needs fixing");
    assertThat(p.fileChanges()).isEmpty();
  }

  @Test
  void aRateFromTooFewRunsDecidesNothingAndTheTestIsRetried() throws Exception {
    history("com.acme.OrderServiceTest.createsOrder", 1, 3);
    assertThat(plan("com.acme.OrderServiceTest.createsOrder").action()).isEqualTo("retry_pipeline");
    history("com.acme.OrderServiceTest.createsOrder", 0, 1);
    assertThat(plan("com.acme.OrderServiceTest.createsOrder").action()).isEqualTo(Plans.SUGGESTION);
  }

  @Test
  void anotherRepositorysHistoryDoesNotCount() throws Exception {
    for (int i = 0; i < 10; i++) {
      tracker.record(
          "github:github.com:other/app", "com.acme.OrderServiceTest.cancelsOrder", "r" + i, false);
    }
    assertThat(plan("com.acme.OrderServiceTest.cancelsOrder").action()).isEqualTo("retry_pipeline");
  }

  @Test
  void theSameRunRecordedTwiceCountsOnceAndOnlyTheWindowCounts() {
    InMemoryFlakinessTracker small = new InMemoryFlakinessTracker(4);
    small.record(REPO, "t", "run-1", false);
    small.record(REPO, "t", "run-1", true);
    assertThat(small.flakiness(REPO, "t")).isEqualTo(new FlakinessTracker.Flakiness(1, 1));
    for (int i = 2; i <= 5; i++) {
      small.record(REPO, "t", "run-" + i, true);
    }
    assertThat(small.flakiness(REPO, "t")).isEqualTo(new FlakinessTracker.Flakiness(4, 0));
    assertThat(small.failedIn(REPO, "run-1")).containsExactly("t");
  }

  @Test
  void withoutAPerTestTimeoutTheSuiteDefaultIsRaised() throws Exception {
    history("Cart › adds an item", 3, 2);
    Plan p = plan("Cart › adds an item");
    assertThat(p.fileChanges().get(0).path()).isEqualTo("jest.config.js");
    assertThat(p.fileChanges().get(0).after()).contains("testTimeout: 10000, // ms");
  }

  @Test
  void countsFlakyFailuresFromJUnitReportsAndFailuresFromTheLog() {
    String xml =
        """
        <testsuite name="com.acme.OrderServiceTest">
          <testcase classname="com.acme.OrderServiceTest" name="createsOrder">
            <flakyFailure message="timeout"/>
          </testcase>
          <testcase classname="com.acme.OrderServiceTest" name="cancelsOrder">
            <failure message="boom"/>
          </testcase>
          <testcase classname="com.acme.OrderServiceTest" name="skipped"><skipped/></testcase>
        </testsuite>
        """;
    int k = 0;
    for (TestRuns.Run r : TestRuns.fromJUnitXml(xml)) {
      tracker.record(REPO, r.testId(), "run-" + k++, r.passed());
    }
    assertThat(tracker.flakiness(REPO, "com.acme.OrderServiceTest.createsOrder").rate())
        .isEqualTo(0.5);
    assertThat(tracker.flakiness(REPO, "com.acme.OrderServiceTest.cancelsOrder").rate())
        .isEqualTo(1.0);
    assertThat(tracker.flakiness(REPO, "com.acme.OrderServiceTest.skipped").runs()).isZero();
    assertThat(TestRuns.fromJUnitXml("<not xml")).isEmpty();
    assertThat(
            TestRuns.failedInLog(
                List.of(
                    "FAILED tests/test_api.py::test_get - AssertionError",
                    "[ERROR]   OrderServiceTest.createsOrder:42 expected: <1>",
                    "--- FAIL: TestFetch (0.31s)",
                    "  ● Cart › adds an item",
                    "all good")))
        .containsExactly(
            "tests/test_api.py::test_get",
            "OrderServiceTest.createsOrder",
            "TestFetch",
            "Cart › adds an item");
  }

  @Test
  void raisesAPytestMarkAboveTheTest() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit(
          "py",
          Map.of(
              "tests/test_api.py",
              "import pytest\n\n@pytest.mark.timeout(10)\ndef test_get():\n    pass\n"));
    }
    history("tests/test_api.py::test_get", 3, 3);
    Plan p = plan("tests/test_api.py::test_get");
    assertThat(p.fileChanges().get(0).after()).contains("@pytest.mark.timeout(20)\ndef test_get");
  }
}
