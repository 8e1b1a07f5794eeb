package dev.pitcrew.forge.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.TestResult;
import dev.pitcrew.forge.TestResult.Status;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.remediation.testtiming.FlakinessTracker.Flakiness;
import dev.pitcrew.remediation.testtiming.InMemoryFlakinessTracker;
import dev.pitcrew.remediation.testtiming.TestHistory;
import dev.pitcrew.remediation.testtiming.TestRuns;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flakiness history's GitLab test reports: the pipeline's test report, which GitLab parsed from
 * the jobs' JUnit XML, read against the loopback GitLab answering with the documented payload.
 */
class GitLabTestReportIT {
  static final RunRef PIPELINE = new RunRef(GitLabForgeIT.REPO, "48", 1);
  static final String REPORT = "/projects/group%2Fsub%2Fproject/pipelines/48/test_report";

  GitLabSim sim;
  GitLabForge forge;

  @BeforeEach
  void start() throws IOException {
    sim = new GitLabSim();
    FakeTime time = new FakeTime();
    ForgeHttp http =
        new ForgeHttp(
            "GitLab",
            ForgeHttp.defaultClient(),
            HttpPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5)),
            time,
            time,
            () -> 0.5);
    forge =
        new GitLabForge(sim.apiBase(), "gitlab.example.com", GitLabForgeIT.TOKEN, http, 1 << 20);
    sim.addPipeline("48", "main", "failed", Map.of("test", "failed"), Map.of("test", "no names\n"));
  }

  @AfterEach
  void everyRequestIsADocumentedEndpoint() {
    sim.close();
    assertThat(sim.undocumented()).isEmpty();
  }

  static LogSource log(String text) {
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

  @Test
  void readsEveryTestCaseOfThePipelinesTestReportInOurWords() throws IOException {
    sim.addTestReport(
        "48",
        "rspec",
        "com.acme.CartTest",
        "addsAnItem",
        "success",
        "com.acme.CartTest",
        "removesAnItem",
        "failed",
        "com.acme.CartTest",
        "emptiesTheCart",
        "skipped",
        "tests.test_api",
        "test_get",
        "error");
    assertThat(forge.testResults(PIPELINE))
        .containsExactly(
            new TestResult("com.acme.CartTest", "addsAnItem", Status.PASSED),
            new TestResult("com.acme.CartTest", "removesAnItem", Status.FAILED),
            new TestResult("com.acme.CartTest", "emptiesTheCart", Status.SKIPPED),
            new TestResult("tests.test_api", "test_get", Status.FAILED));
    assertThat(sim.calls("GET", REPORT).getFirst().header("private-token"))
        .isEqualTo(GitLabForgeIT.TOKEN);
  }

  @Test
  void namesATestTheWayTheJUnitXmlPathDoes() throws IOException {
    sim.addTestReport("48", "pytest", "tests.test_api", "test_put", "failed");
    String xml =
        """
        <testsuite><testcase classname="tests.test_api" name="test_put"><failure/></testcase>
        </testsuite>
        """;
    assertThat(TestRuns.fromResults(forge.testResults(PIPELINE)))
        .isEqualTo(TestRuns.fromJUnitXml(xml))
        .containsExactly(new TestRuns.Run("tests.test_api.test_put", false));
  }

  @Test
  void aPipelineWithoutReportsOrAnUnreadableReportFallsBackToTheLog() throws IOException {
    assertThat(forge.testResults(PIPELINE)).isEmpty(); // GitLab answers an empty report
    sim.fault("GET", REPORT, 403, Map.of(), "{\"message\":\"403 Forbidden\"}");
    assertThat(forge.testResults(PIPELINE)).isEmpty();
    sim.fault("GET", REPORT, 404, Map.of(), "{\"message\":\"404 Not Found\"}");
    assertThat(forge.testResults(PIPELINE)).isEmpty();
    sim.fault("GET", REPORT, 200, Map.of(), "<html>not json</html>");
    assertThat(forge.testResults(PIPELINE)).isEmpty();

    sim.fault("GET", REPORT, 403, Map.of(), "{\"message\":\"403 Forbidden\"}");
    InMemoryFlakinessTracker tracker = new InMemoryFlakinessTracker();
    int n =
        new TestHistory(tracker)
            .observeFailedRun(
                forge, PIPELINE, log("FAILED tests/test_api.py::test_put - TimeoutError\n"));
    assertThat(n).isEqualTo(1);
  }

  @Test
  void aReportedFailureAndThePassingReportAfterTheRetryMakeAFlakyTest() throws IOException {
    InMemoryFlakinessTracker tracker = new InMemoryFlakinessTracker();
    TestHistory history = new TestHistory(tracker);
    String repo = TestHistory.repositoryKey(PIPELINE.repo());
    sim.addTestReport(
        "48",
        "rspec",
        "com.acme.CartTest",
        "addsAnItem",
        "success",
        "com.acme.CartTest",
        "removesAnItem",
        "failed");
    assertThat(history.observeFailedRun(forge, PIPELINE, log("no names\n"))).isEqualTo(2);
    assertThat(tracker.failedIn(repo, PIPELINE.key()))
        .containsExactly("com.acme.CartTest.removesAnItem");

    // the retry keeps the pipeline id; GitLab's report now shows the retried job's results
    RunRef retried = forge.rerunFailedJobs(PIPELINE);
    assertThat(retried).isEqualTo(PIPELINE);
    sim.pipelines.get("48").put("status", "success");
    sim.addTestReport(
        "48",
        "rspec",
        "com.acme.CartTest",
        "addsAnItem",
        "success",
        "com.acme.CartTest",
        "removesAnItem",
        "success");
    assertThat(history.observeRerun(forge, PIPELINE, retried, true)).isEqualTo(2);

    assertThat(tracker.flakiness(repo, "com.acme.CartTest.removesAnItem"))
        .isEqualTo(new Flakiness(2, 1));
    assertThat(tracker.flakiness(repo, "com.acme.CartTest.addsAnItem"))
        .isEqualTo(new Flakiness(2, 0));
  }
}
