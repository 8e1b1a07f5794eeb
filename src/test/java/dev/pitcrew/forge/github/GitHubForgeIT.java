package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeApiException;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import dev.pitcrew.logs.LogSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GitHub adapter against a real HTTP server answering with GitHub's documented examples. */
class GitHubForgeIT {
  static final String TOKEN = "ghp_SIMULATEDtoken0000000000000000000000";
  static final RepoRef REPO = new RepoRef(Provider.GITHUB, "github.com", "octocat/Hello-World");

  GitHubSim sim;
  FakeTime time;
  GitHubForge forge;

  @BeforeEach
  void start() throws IOException {
    sim = new GitHubSim();
    time = new FakeTime();
    forge = forge(HttpPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5)), 1 << 20);
  }

  GitHubForge forge(HttpPolicy policy, long cap) {
    ForgeHttp http =
        new ForgeHttp("GitHub", ForgeHttp.defaultClient(), policy, time, time, () -> 0.5);
    return new GitHubForge(sim.apiBase(), "github.com", GitHubAuth.token(TOKEN), http, cap);
  }

  @AfterEach
  void everyRequestIsADocumentedGitHubOperation() {
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
  }

  static final String FAILING_LOG =
      """
      2024-05-02T09:12:01.1000000Z ##[group]Run pytest -q
      2024-05-02T09:12:03.4700000Z E   ModuleNotFoundError: No module named 'requests'
      2024-05-02T09:12:03.6000000Z ##[error]Process completed with exit code 2.
      """;

  void failedRun() {
    sim.addRun(
        "30433642",
        1,
        "main",
        "failure",
        Map.of("test", FAILING_LOG, "lint", "all good\n"),
        orderedMap("lint", "success", "test", "failure"));
  }

  static Map<String, String> orderedMap(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static String read(LogSource s) throws IOException {
    try (InputStream in = s.open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsARunWithItsJobsInOurWords() throws IOException {
    failedRun();
    Run run = forge.run(new RunRef(REPO, "30433642", 1));
    assertThat(run.outcome()).isEqualTo("failed");
    assertThat(run.branch()).isEqualTo("main");
    assertThat(run.sha()).isEqualTo("acb5820ced9479c074f688cc328bf03f341a511d");
    assertThat(run.workflow()).isEqualTo("159038");
    assertThat(run.jobs())
        .extracting(j -> j.ref().name() + "=" + j.outcome())
        .containsExactly("lint=passed", "test=failed");
    assertThat(sim.requests.getFirst().header("authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(sim.requests.getFirst().header("x-github-api-version")).isEqualTo("2022-11-28");
  }

  @Test
  void aRunOfAPullRequestNamesItSoAFailedJobCanBeTracedToTheRequest() throws IOException {
    failedRun();
    // the shape of workflow_run.pull_requests[] in GitHub's own delivery 02_completed.json
    com.fasterxml.jackson.databind.node.ObjectNode pr =
        sim.runs.get("30433642").putArray("pull_requests").addObject();
    pr.put("number", 7).put("url", "https://api.github.com/repos/octo-org/octo-repo/pulls/7");
    pr.putObject("head")
        .put("ref", "fix-login")
        .put("sha", "acb5820ced9479c074f688cc328bf03f341a511d");
    pr.putObject("base")
        .put("ref", "main")
        .putObject("repo")
        .put("url", "https://api.github.com/repos/octocat/Hello-World");
    Run run = forge.run(new RunRef(REPO, "30433642", 1));
    assertThat(run.pullRequest())
        .contains(
            new PullRequest(
                REPO,
                "7",
                "https://github.com/" + REPO.fullName() + "/pull/7",
                "fix-login",
                "main",
                "open"));
    sim.runs.get("30433642").putArray("pull_requests");
    assertThat(forge.run(new RunRef(REPO, "30433642", 1)).pullRequest()).isEmpty();
  }

  @Test
  void streamsFailedJobLogsThroughTheRedirectWithoutSendingTheTokenToTheBlobHost()
      throws IOException {
    failedRun();
    List<Forge.JobLog> logs = forge.failedJobLogs(new RunRef(REPO, "30433642", 1));
    assertThat(logs).hasSize(1);
    assertThat(logs.get(0).job().ref().name()).isEqualTo("test");
    assertThat(logs.get(0).log().name())
        .isEqualTo("https://github.com/octocat/Hello-World/actions/runs/30433642/job/3043364202");
    assertThat(read(logs.get(0).log())).contains("No module named 'requests'");
    assertThat(sim.calls("GET", ".*/actions/jobs/\\d+/logs"))
        .singleElement()
        .satisfies(r -> assertThat(r.header("authorization")).isNotNull());
    assertThat(sim.blobRequests)
        .singleElement()
        .satisfies(r -> assertThat(r.header("authorization")).isNull());
  }

  @Test
  void comparesWithTheSameJobOfTheLastSuccessfulRunOfTheWorkflowOnTheBranch() throws IOException {
    sim.addRun(
        "30433600",
        1,
        "main",
        "success",
        Map.of("test", "passing log\n"),
        orderedMap("test", "success"));
    sim.addRun(
        "30433610",
        1,
        "feature",
        "success",
        Map.of("test", "other branch\n"),
        orderedMap("test", "success"));
    failedRun();
    Run failed = forge.run(new RunRef(REPO, "30433642", 1));
    var ok = forge.lastSuccessfulRun(failed);
    assertThat(ok).get().extracting(r -> r.ref().runId()).isEqualTo("30433600");
    Run.Job test = failed.jobs().get(1);
    assertThat(read(forge.previousSuccessLog(failed, test).orElseThrow()))
        .isEqualTo("passing log\n");
  }

  @Test
  void readsAFileAtARefAndTheDefaultBranch() throws IOException {
    sim.addBranch(
        "main", Map.of("requirements.txt", "flask==3.0\n", "src/app.py", "print('hi')\n"));
    assertThat(forge.defaultBranch(REPO)).isEqualTo("main");
    assertThat(forge.fileContent(REPO, "requirements.txt", "main")).contains("flask==3.0\n");
    assertThat(forge.fileContent(REPO, "src/app.py", "main")).contains("print('hi')\n");
    assertThat(forge.fileContent(REPO, "missing.txt", "main")).isEmpty();
  }

  @Test
  void rerunsFailedJobsOnceEvenWhenAskedTwice() throws IOException {
    failedRun();
    RunRef first = forge.rerunFailedJobs(new RunRef(REPO, "30433642", 1));
    RunRef second = forge.rerunFailedJobs(new RunRef(REPO, "30433642", 1));
    assertThat(first.attempt()).isEqualTo(2);
    assertThat(second).isEqualTo(first);
    assertThat(sim.calls("POST", ".*/rerun-failed-jobs")).hasSize(1);
    assertThat(forge.runOutcome(first)).isEqualTo("running");
  }

  @Test
  void branchesCommitsAndOpensOnePullRequestWithLabels() throws IOException {
    sim.addBranch("main", Map.of("requirements.txt", "flask==3.0\n"));
    String base = sim.refs.get("main");
    forge.ensureBranch(REPO, "pitcrew/add-requests", base);
    forge.ensureBranch(REPO, "pitcrew/add-requests", base);
    Map<String, String> change = Map.of("requirements.txt", "flask==3.0\nrequests==2.32.3\n");
    String sha = forge.commitFiles(REPO, "pitcrew/add-requests", "Add requests", change);
    String again = forge.commitFiles(REPO, "pitcrew/add-requests", "Add requests", change);
    assertThat(again).isEqualTo(sha);
    assertThat(sim.refs.get("pitcrew/add-requests")).isEqualTo(sha);
    assertThat(forge.fileContent(REPO, "requirements.txt", "pitcrew/add-requests"))
        .contains(change.get("requirements.txt"));
    assertThat(forge.fileContent(REPO, "requirements.txt", "main")).contains("flask==3.0\n");

    PullRequest pr =
        forge.ensurePullRequest(
            REPO, "pitcrew/add-requests", "main", "Add requests", "Why: ...", List.of("pitcrew"));
    PullRequest same =
        forge.ensurePullRequest(
            REPO, "pitcrew/add-requests", "main", "Add requests", "Why: ...", List.of("pitcrew"));
    assertThat(same.number()).isEqualTo(pr.number());
    assertThat(pr.url()).isEqualTo("https://github.com/octocat/Hello-World/pull/1347");
    assertThat(sim.pulls).hasSize(1);
    assertThat(sim.labels.get("1347")).containsExactly("pitcrew");
    assertThat(sim.calls("POST", ".*/git/refs")).hasSize(1);
    assertThat(sim.calls("POST", ".*/git/commits")).hasSize(1);

    forge.comment(pr, "Pitcrew re-ran the job");
    assertThat(sim.comments.get("1347")).containsExactly("Pitcrew re-ran the job");
  }

  @Test
  void setsAVariableAndReturnsThePreviousValueForRollback() throws IOException {
    assertThat(forge.setVariable(REPO, "NODE_MEMORY", "4096")).isEmpty();
    assertThat(forge.variable(REPO, "NODE_MEMORY")).contains("4096");
    assertThat(forge.setVariable(REPO, "NODE_MEMORY", "8192")).contains("4096");
    assertThat(sim.variables).containsEntry("NODE_MEMORY", "8192");
  }

  @Test
  void opensAnIncidentIssueOnlyOnce() throws IOException {
    String url =
        forge.ensureIssue(REPO, "Pitcrew: build keeps failing", "details", List.of("incident"));
    String again =
        forge.ensureIssue(REPO, "Pitcrew: build keeps failing", "details", List.of("incident"));
    assertThat(again).isEqualTo(url).isEqualTo("https://github.com/octocat/Hello-World/issues/42");
    assertThat(sim.issues).hasSize(1);
  }

  @Test
  void readsTheWholeRunLogArchiveOneSourcePerJob() throws IOException {
    failedRun();
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("0_lint.txt"));
      z.write("all good\n".getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("1_test.txt"));
      z.write(FAILING_LOG.getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("test/1_Run pytest.txt"));
      z.write(FAILING_LOG.getBytes(StandardCharsets.UTF_8));
    }
    sim.runArchives.put("30433642", zip.toByteArray());
    List<LogSource> logs = forge.runLogs(new RunRef(REPO, "30433642", 1));
    assertThat(logs)
        .extracting(l -> l.name().replaceAll(".*!/", ""))
        .containsExactly("0_lint.txt", "1_test.txt");
    assertThat(read(logs.get(1))).contains("No module named 'requests'");
  }

  @Test
  void findsARunFromAJobId() throws IOException {
    failedRun();
    Run run = forge.runOfJob(REPO, "3043364202");
    assertThat(run.ref().runId()).isEqualTo("30433642");
  }

  @Test
  void derivesTheApiBaseFromTheHost() {
    assertThat(GitHubForge.apiBase("github.com", Map.of())).hasToString("https://api.github.com");
    assertThat(GitHubForge.apiBase("ghe.example.com", Map.of()))
        .hasToString("https://ghe.example.com/api/v3");
    assertThat(
            GitHubForge.apiBase(
                "github.com", Map.of("PITCREW_GITHUB_API_URL", "http://127.0.0.1:9/api/")))
        .hasToString("http://127.0.0.1:9/api");
  }

  @Test
  void saysWhichPermissionIsMissingOn403AndWhatToCheckOn401() {
    sim.fault(
        "GET",
        ".*/actions/variables/.*",
        403,
        Map.of("X-Accepted-GitHub-Permissions", "actions_variables=read"),
        "{\"message\":\"Resource not accessible by integration\"}");
    assertThatThrownBy(() -> forge.variable(REPO, "X"))
        .isInstanceOf(ForgeApiException.class)
        .hasMessageContaining("Resource not accessible by integration")
        .hasMessageContaining("Variables: read")
        .hasMessageContaining("actions_variables=read")
        .hasMessageNotContaining(TOKEN);
    sim.fault("GET", "/repos/[^/]+/[^/]+", 401, Map.of(), "{\"message\":\"Bad credentials\"}");
    assertThatThrownBy(() -> forge.defaultBranch(REPO))
        .hasMessageContaining("Bad credentials")
        .hasMessageContaining("rejected the credential (401)")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void aMissingRunIsANotFoundThatNamesThePermission() {
    assertThatThrownBy(() -> forge.run(new RunRef(REPO, "999", 1)))
        .isInstanceOf(ForgeApiException.class)
        .hasMessageContaining("workflow run 999 of octocat/Hello-World does not exist")
        .hasMessageContaining("Actions: read");
  }
}
