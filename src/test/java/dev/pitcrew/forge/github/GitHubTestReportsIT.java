package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.TestResult;
import dev.pitcrew.forge.TestResult.Status;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import dev.pitcrew.remediation.testtiming.FlakinessTracker.Flakiness;
import dev.pitcrew.remediation.testtiming.InMemoryFlakinessTracker;
import dev.pitcrew.remediation.testtiming.TestHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The flakiness history's GitHub test reports: the run's artifacts listed, the report archives
 * downloaded through GitHub's redirect to blob storage (another origin, which must never see the
 * token) and unzipped within their budget, against the loopback GitHub that answers with the
 * documented examples; every request is checked against GitHub's OpenAPI description.
 */
class GitHubTestReportsIT {
  static final String TOKEN = GitHubForgeIT.TOKEN;
  static final String RUN = "30433642";
  static final RunRef FIRST = new RunRef(GitHubForgeIT.REPO, RUN, 1);

  static final String CART_REPORT =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuite name="com.acme.CartTest" tests="3" failures="1" skipped="1">
        <testcase classname="com.acme.CartTest" name="addsAnItem" time="0.01"/>
        <testcase classname="com.acme.CartTest" name="removesAnItem" time="0.02">
          <failure message="expected 0 but was 1">org.opentest4j.AssertionFailedError</failure>
        </testcase>
        <testcase classname="com.acme.CartTest" name="emptiesTheCart">
          <skipped/>
        </testcase>
      </testsuite>
      """;

  static final String API_REPORT =
      """
      <testsuites>
        <testsuite name="pytest">
          <testcase classname="tests.test_api" name="test_get"/>
        </testsuite>
      </testsuites>
      """;

  GitHubSim sim;
  FakeTime time;
  ListAppender<ILoggingEvent> logs;
  Level rootLevel;

  @BeforeEach
  void start() throws IOException {
    sim = new GitHubSim();
    time = new FakeTime();
    sim.addRun(
        RUN,
        1,
        "main",
        "failure",
        Map.of("test", "FAILED nothing the log parser would know\n"),
        Map.of("test", "failure"));
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
  }

  GitHubForge forge(long reportCap) {
    ForgeHttp http =
        new ForgeHttp(
            "GitHub",
            ForgeHttp.defaultClient(),
            HttpPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5)),
            time,
            time,
            () -> 0.5);
    return new GitHubForge(
        sim.apiBase(), "github.com", GitHubAuth.token(TOKEN), http, 1 << 20, reportCap);
  }

  GitHubForge forge() {
    return forge(GitHubForge.DEFAULT_REPORT_CAP);
  }

  @AfterEach
  void everyRequestIsDocumentedAndNoTokenIsLogged() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(logs);
    root.setLevel(rootLevel);
    List<String> problems = new ArrayList<>();
    for (GitHubSim.Recorded r : sim.requests) {
      Map<String, String> q = new LinkedHashMap<>();
      if (r.query() != null) {
        for (String kv : r.query().split("&")) {
          q.put(kv.split("=", 2)[0], "");
        }
      }
      problems.addAll(OpenApiContract.problems(r.method(), r.path(), q, r.body()));
    }
    sim.close();
    assertThat(problems).isEmpty();
    for (ILoggingEvent e : logs.list) {
      assertThat(e.getFormattedMessage()).doesNotContain(TOKEN).doesNotContain("sig=signed");
    }
  }

  /** A zip built the way actions/upload-artifact builds one: path → content. */
  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      for (var e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return b.toByteArray();
  }

  static Map<String, byte[]> files(String... pathAndText) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < pathAndText.length; i += 2) {
      m.put(pathAndText[i], pathAndText[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  List<GitHubSim.Recorded> downloads() {
    return sim.calls("GET", "/repos/octocat/Hello-World/actions/artifacts/\\d+/zip");
  }

  @Test
  void readsTheJUnitReportsOfTheTestArtifactsThroughTheRedirectWithoutTheToken()
      throws IOException {
    sim.addArtifact(
        RUN,
        101,
        "Test Results (ubuntu)",
        zip(
            files(
                "build/test-results/test/TEST-com.acme.CartTest.xml",
                CART_REPORT,
                "pytest/junit.xml",
                API_REPORT,
                "build/test-results/test/binary/output.bin",
                "\0\1\2",
                "notes.txt",
                "<testsuite><testcase name=\"notAnXmlFile\"/></testsuite>")));
    sim.addArtifact(RUN, 102, "dist", zip(files("TEST-x.xml", CART_REPORT)));

    List<TestResult> found = forge().testResults(FIRST);

    assertThat(found)
        .containsExactly(
            new TestResult("com.acme.CartTest", "addsAnItem", Status.PASSED),
            new TestResult("com.acme.CartTest", "removesAnItem", Status.FAILED),
            new TestResult("com.acme.CartTest", "emptiesTheCart", Status.SKIPPED),
            new TestResult("tests.test_api", "test_get", Status.PASSED));
    // only the artifact whose name says it holds test results is downloaded
    assertThat(downloads())
        .extracting(GitHubSim.Recorded::path)
        .singleElement()
        .asString()
        .endsWith("/artifacts/101/zip");
    assertThat(downloads().getFirst().header("authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(sim.blobRequests)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.path()).isEqualTo("/artifacts/101");
              assertThat(b.header("authorization")).isNull();
            });
  }

  @Test
  void zipSlipNamesOtherXmlAndExpiredArtifactsAreLeftOut() throws IOException {
    sim.addArtifact(
        RUN,
        201,
        "junit-reports",
        zip(
            files(
                "../../outside/TEST-escape.xml",
                CART_REPORT,
                "/etc/TEST-absolute.xml",
                CART_REPORT,
                "reports/coverage.xml",
                "<coverage line-rate=\"0.9\"><testcase name=\"x\"/></coverage>",
                "reports/pom.xml",
                "<project><modelVersion>4.0.0</modelVersion></project>",
                "reports/broken.xml",
                "<testsuite><testcase name=\"half",
                "reports/TEST-api.xml",
                API_REPORT)));
    sim.addArtifact(RUN, 202, "surefire-reports", zip(files("TEST-old.xml", CART_REPORT)))
        .put("expired", true);

    assertThat(forge().testResults(FIRST))
        .containsExactly(new TestResult("tests.test_api", "test_get", Status.PASSED));
    assertThat(downloads())
        .extracting(GitHubSim.Recorded::path)
        .singleElement()
        .asString()
        .endsWith("/artifacts/201/zip");
  }

  @Test
  void anArchiveThatExpandsPastTheCapGivesNoResultsAndSaysWhy() throws IOException {
    byte[] zeros = new byte[4 << 20]; // 4 MiB of zeros: a few KiB zipped
    Map<String, byte[]> entries = files("TEST-api.xml", API_REPORT);
    entries.put("build/huge.log", zeros);
    byte[] bomb = zip(entries);
    assertThat(bomb.length).isLessThan(64 << 10);
    sim.addArtifact(RUN, 301, "test-results", bomb);

    assertThat(forge(1 << 20).testResults(FIRST)).isEmpty();
    assertThat(logs.list)
        .anySatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .contains("test-report artifact 'test-results' not read")
                    .contains("byte budget"));
    // within a cap that fits it, the same archive reads
    assertThat(forge(8 << 20).testResults(FIRST)).hasSize(1);
  }

  @Test
  void aReportArtifactOnTheSecondPageOfTheListIsFound() throws IOException {
    byte[] empty = zip(files("README.md", "nothing to see"));
    for (int i = 0; i < 130; i++) {
      sim.addArtifact(RUN, 800 + i, "wheel-" + i, empty);
    }
    sim.addArtifact(RUN, 999, "pytest-results", zip(files("junit.xml", API_REPORT)));

    assertThat(forge().testResults(FIRST))
        .containsExactly(new TestResult("tests.test_api", "test_get", Status.PASSED));
    assertThat(sim.calls("GET", "/repos/octocat/Hello-World/actions/runs/\\d+/artifacts"))
        .extracting(GitHubSim.Recorded::query)
        .hasSize(2)
        .allMatch(q -> q.matches("(.*&)?per_page=100(&.*)?"))
        .last()
        .asString()
        .matches("(.*&)?page=2(&.*)?");
  }

  @Test
  void anArtifactListedAsLargerThanTheCapIsNotDownloaded() throws IOException {
    sim.addArtifact(RUN, 302, "test-results", zip(files("TEST-api.xml", API_REPORT)))
        .put("size_in_bytes", 900L << 20);
    assertThat(forge().testResults(FIRST)).isEmpty();
    assertThat(downloads()).isEmpty();
  }

  @Test
  void aTruncatedOrNonZipArchiveGivesNoResultsNotAnError() throws IOException {
    byte[] whole = zip(files("TEST-api.xml", API_REPORT, "TEST-cart.xml", CART_REPORT));
    sim.addArtifact(RUN, 401, "test-results", Arrays.copyOf(whole, whole.length / 2));
    assertThat(forge().testResults(FIRST)).isEmpty();

    sim.artifactZips.put("401", "<html>Bad gateway</html>".getBytes(StandardCharsets.UTF_8));
    assertThat(forge().testResults(FIRST)).isEmpty();
    assertThat(logs.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("is not a zip"));
  }

  @Test
  void oneUnreadableReportArtifactDropsAllSoTheLogNamesTheFailures() throws IOException {
    sim.addArtifact(RUN, 501, "test-results-unit", zip(files("TEST-api.xml", API_REPORT)));
    sim.addArtifact(RUN, 502, "test-results-it", zip(files("TEST-cart.xml", CART_REPORT)));
    sim.artifactZips.remove("502"); // listed, but blob storage has lost it
    assertThat(forge().testResults(FIRST)).isEmpty();
  }

  @Test
  void forbiddenNotFoundAndExpiredAnswersFallBackToTheLog() throws IOException {
    sim.addArtifact(RUN, 601, "test-results", zip(files("TEST-api.xml", API_REPORT)));
    String list = "/repos/octocat/Hello-World/actions/runs/\\d+/artifacts";
    String download = "/repos/octocat/Hello-World/actions/artifacts/601/zip";

    sim.fault(
        "GET", list, 403, Map.of(), "{\"message\":\"Resource not accessible by integration\"}");
    assertThat(forge().testResults(FIRST)).isEmpty();
    sim.fault("GET", download, 404, Map.of(), "{\"message\":\"Not Found\"}");
    assertThat(forge().testResults(FIRST)).isEmpty();
    sim.fault("GET", download, 410, Map.of(), "{\"message\":\"Artifact has expired\"}");
    assertThat(forge().testResults(FIRST)).isEmpty();
    assertThat(logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList()).hasSize(3);

    // and the history then takes the failed tests from the log
    InMemoryFlakinessTracker tracker = new InMemoryFlakinessTracker();
    sim.fault("GET", list, 403, Map.of(), "{\"message\":\"Resource not accessible\"}");
    int n =
        new TestHistory(tracker)
            .observeFailedRun(
                forge(), FIRST, log("FAILED tests/test_api.py::test_put - TimeoutError\n"));
    assertThat(n).isEqualTo(1);
    assertThat(tracker.failedIn(TestHistory.repositoryKey(FIRST.repo()), FIRST.key()))
        .containsExactly("tests/test_api.py::test_put");
  }

  @Test
  void aTestThatFailedInARunsReportAndPassedInItsReRunsReportIsCountedFlaky() throws IOException {
    GitHubForge forge = forge();
    InMemoryFlakinessTracker tracker = new InMemoryFlakinessTracker();
    TestHistory history = new TestHistory(tracker);
    String repo = TestHistory.repositoryKey(FIRST.repo());
    sim.addArtifact(RUN, 701, "test-results", zip(files("TEST-cart.xml", CART_REPORT)));

    assertThat(history.observeFailedRun(forge, FIRST, log("no test names here\n"))).isEqualTo(2);
    assertThat(tracker.failedIn(repo, FIRST.key()))
        .containsExactly("com.acme.CartTest.removesAnItem");

    // re-run: attempt 2 starts an hour later and uploads its own report under the same name
    sim.addAttempt(RUN, 2, "2020-01-22T20:33:08Z", "success");
    sim.addArtifact(
        RUN,
        702,
        "test-results",
        zip(files("TEST-cart.xml", CART_REPORT.replaceAll("(?s)<failure.*?</failure>", ""))));
    RunRef rerun = new RunRef(FIRST.repo(), RUN, 2);
    assertThat(history.observeRerun(forge, FIRST, rerun, true)).isEqualTo(2);

    assertThat(tracker.flakiness(repo, "com.acme.CartTest.removesAnItem"))
        .isEqualTo(new Flakiness(2, 1));
    assertThat(tracker.flakiness(repo, "com.acme.CartTest.addsAnItem"))
        .isEqualTo(new Flakiness(2, 0));
    assertThat(tracker.flakiness(repo, "com.acme.CartTest.emptiesTheCart"))
        .isEqualTo(Flakiness.NONE);
    // the first attempt's report stays the first attempt's, though the run lists both now
    assertThat(forge.testResults(FIRST))
        .contains(new TestResult("com.acme.CartTest", "removesAnItem", Status.FAILED));
    assertThat(forge.testResults(rerun))
        .contains(new TestResult("com.acme.CartTest", "removesAnItem", Status.PASSED))
        .doesNotContain(new TestResult("com.acme.CartTest", "removesAnItem", Status.FAILED));
  }

  static dev.pitcrew.logs.LogSource log(String text) {
    return new dev.pitcrew.logs.LogSource() {
      @Override
      public String name() {
        return "job.log";
      }

      @Override
      public InputStream open() {
        return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
      }
    };
  }
}
