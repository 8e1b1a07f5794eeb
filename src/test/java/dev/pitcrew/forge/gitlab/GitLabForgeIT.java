package dev.pitcrew.forge.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.JobRef;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GitLab adapter against a real HTTP server answering with GitLab's documented payloads. */
class GitLabForgeIT {
  static final String TOKEN = "glpat-SIMULATEDtoken000000";
  static final RepoRef REPO =
      new RepoRef(Provider.GITLAB, "gitlab.example.com", "group/sub/project");
  static final String LOG =
      """
      $ npm ci
      npm ERR! code ETARGET
      npm ERR! notarget No matching version found for lodash@9.9.9.
      ERROR: Job failed: exit code 1
      """;

  GitLabSim sim;
  FakeTime time;
  GitLabForge forge;

  @BeforeEach
  void start() throws IOException {
    sim = new GitLabSim();
    time = new FakeTime();
    forge = forge(HttpPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5)));
  }

  GitLabForge forge(HttpPolicy policy) {
    ForgeHttp http =
        new ForgeHttp("GitLab", ForgeHttp.defaultClient(), policy, time, time, () -> 0.5);
    return new GitLabForge(sim.apiBase(), "gitlab.example.com", TOKEN, http, 1 << 20);
  }

  @AfterEach
  void everyRequestIsADocumentedEndpoint() {
    sim.close();
    assertThat(sim.undocumented()).isEmpty();
    assertThat(sim.requests)
        .allSatisfy(r -> assertThat(r.header("private-token")).isEqualTo(TOKEN));
  }

  static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  void failedPipeline() {
    sim.addPipeline(
        "46", "main", "success", ordered("build", "success"), Map.of("build", "built ok\n"));
    sim.addPipeline(
        "47",
        "main",
        "failed",
        ordered("build", "success", "lint", "failed"),
        Map.of("build", "built ok\n", "lint", "lint failed\n"));
    sim.jobs.get("47").get(1).put("allow_failure", true);
    sim.addPipeline(
        "48",
        "main",
        "failed",
        ordered("build", "failed", "lint", "success"),
        Map.of("build", LOG));
  }

  static String read(LogSource s) throws IOException {
    try (InputStream in = s.open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsAPipelineAndTheFailedJobsTraces() throws IOException {
    failedPipeline();
    Run run = forge.run(new RunRef(REPO, "48", 1));
    assertThat(run.outcome()).isEqualTo("failed");
    assertThat(run.branch()).isEqualTo("main");
    assertThat(run.actor()).isEqualTo("root");
    assertThat(run.jobs())
        .extracting(j -> j.stage() + "/" + j.ref().name() + "=" + j.outcome())
        .containsExactly("test/build=failed", "test/lint=passed");
    List<Forge.JobLog> logs = forge.failedJobLogs(new RunRef(REPO, "48", 1));
    assertThat(logs)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.log().name())
                  .isEqualTo("https://gitlab.example.com/group/sub/project/-/jobs/4801");
              assertThat(read(l.log()))
                  .contains("notarget No matching version found for lodash@9.9.9");
            });
    assertThat(sim.calls("GET", "/projects/group%2Fsub%2Fproject/jobs/4801/trace")).hasSize(1);
  }

  @Test
  void findsTheMergeRequestOfAPipelineFromItsRef() throws IOException {
    String head = "a91957a858320c0e17f3a0eca7cfacbff50ea29a";
    sim.addPipeline(
        "60", "refs/merge-requests/7/head", "failed", ordered("build", "failed"), Map.of());
    sim.addPipeline("61", "feature", "failed", ordered("build", "failed"), Map.of());
    sim.addPipeline("62", "lonely", "failed", ordered("build", "failed"), Map.of());
    sim.addPipeline("63", "v1.0", "failed", ordered("build", "failed"), Map.of()).put("tag", true);
    sim.addPipeline(
        "64", "refs/merge-requests/99/head", "failed", ordered("build", "failed"), Map.of());
    sim.addMergeRequest(5, "other", "main", "0000000000000000000000000000000000000000");
    sim.addMergeRequest(7, "topic", "main", "1111111111111111111111111111111111111111");
    // two open merge requests from the same branch: the one at the pipeline's commit
    sim.addMergeRequest(8, "feature", "release", "2222222222222222222222222222222222222222");
    sim.addMergeRequest(9, "feature", "main", head);
    sim.addMergeRequest(10, "v1.0", "main", head);

    var byIid = forge.pullRequestOf(new RunRef(REPO, "60", 1)).orElseThrow();
    assertThat(byIid.number()).isEqualTo("7");
    assertThat(byIid.head()).isEqualTo("topic");
    assertThat(byIid.url())
        .isEqualTo("https://gitlab.example.com/group/sub/project/-/merge_requests/7");
    var byBranch = forge.pullRequestOf(new RunRef(REPO, "61", 1)).orElseThrow();
    assertThat(byBranch.number()).isEqualTo("9");
    assertThat(byBranch.base()).isEqualTo("main");
    assertThat(forge.pullRequestOf(new RunRef(REPO, "62", 1))).isEmpty();
    assertThat(forge.pullRequestOf(new RunRef(REPO, "63", 1))).as("a tag pipeline").isEmpty();
    assertThat(forge.pullRequestOf(new RunRef(REPO, "64", 1))).as("a deleted MR").isEmpty();
  }

  @Test
  void aJobAllowedToFailIsNotAFailedJob() throws IOException {
    failedPipeline();
    assertThat(forge.failedJobLogs(new RunRef(REPO, "47", 1))).isEmpty();
  }

  @Test
  void comparesWithTheLastSuccessfulPipelineOnTheBranch() throws IOException {
    failedPipeline();
    Run failed = forge.run(new RunRef(REPO, "48", 1));
    assertThat(forge.lastSuccessfulRun(failed))
        .get()
        .extracting(r -> r.ref().runId())
        .isEqualTo("46");
    assertThat(read(forge.previousSuccessLog(failed, failed.jobs().get(0)).orElseThrow()))
        .isEqualTo("built ok\n");
  }

  @Test
  void findsThePipelineOfAJob() throws IOException {
    failedPipeline();
    assertThat(forge.runOfJob(REPO, "4801").ref().runId()).isEqualTo("48");
  }

  @Test
  void retriesAPipelineOnceAndAJob() throws IOException {
    failedPipeline();
    RunRef ref = new RunRef(REPO, "48", 1);
    assertThat(forge.rerunFailedJobs(ref)).isEqualTo(ref);
    forge.rerunFailedJobs(ref);
    assertThat(sim.retries).isEqualTo(1);
    assertThat(forge.runOutcome(ref)).isEqualTo("running");
    JobRef retried = forge.retryJob(new JobRef(ref, "4801", "build"));
    assertThat(retried.jobId()).isEqualTo("901");
  }

  @Test
  void branchesCommitsAndOpensOneMergeRequest() throws IOException {
    sim.addBranch("main", Map.of("package.json", "{\"dependencies\":{\"lodash\":\"9.9.9\"}}\n"));
    assertThat(forge.defaultBranch(REPO)).isEqualTo("main");
    String base = sim.branches.get("main");
    forge.ensureBranch(REPO, "pitcrew/pin-lodash", base);
    forge.ensureBranch(REPO, "pitcrew/pin-lodash", base);
    Map<String, String> change = new LinkedHashMap<>();
    change.put("package.json", "{\"dependencies\":{\"lodash\":\"4.17.21\"}}\n");
    change.put("NOTES.md", "pinned\n");
    String sha = forge.commitFiles(REPO, "pitcrew/pin-lodash", "Pin lodash", change);
    assertThat(forge.commitFiles(REPO, "pitcrew/pin-lodash", "Pin lodash", change)).isEqualTo(sha);
    assertThat(sim.calls("POST", ".*/repository/commits"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.json().path("actions"))
                    .extracting(a -> a.path("action").asText() + " " + a.path("file_path").asText())
                    .containsExactly("update package.json", "create NOTES.md"));
    assertThat(forge.fileContent(REPO, "package.json", "pitcrew/pin-lodash"))
        .contains(change.get("package.json"));

    PullRequest mr =
        forge.ensurePullRequest(
            REPO,
            "pitcrew/pin-lodash",
            "main",
            "Pin lodash",
            "why",
            List.of("pitcrew", "dependencies"));
    PullRequest same =
        forge.ensurePullRequest(
            REPO, "pitcrew/pin-lodash", "main", "Pin lodash", "why", List.of("pitcrew"));
    assertThat(same.number()).isEqualTo(mr.number()).isEqualTo("1");
    assertThat(mr.state()).isEqualTo("open");
    assertThat(sim.mergeRequests)
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.path("labels").toString())
                    .isEqualTo("[\"pitcrew\",\"dependencies\"]"));
    forge.comment(mr, "Pitcrew pinned lodash");
    assertThat(sim.notes.get("1")).containsExactly("Pitcrew pinned lodash");
  }

  @Test
  void setsAProjectVariableAndReturnsThePreviousValue() throws IOException {
    assertThat(forge.setVariable(REPO, "NODE_OPTIONS_MEMORY", "4096")).isEmpty();
    assertThat(forge.setVariable(REPO, "NODE_OPTIONS_MEMORY", "8192")).contains("4096");
    assertThat(forge.variable(REPO, "NODE_OPTIONS_MEMORY")).contains("8192");
  }

  @Test
  void opensAnIssueOnce() throws IOException {
    String url =
        forge.ensureIssue(REPO, "Pitcrew: pipeline keeps failing", "details", List.of("incident"));
    assertThat(
            forge.ensureIssue(
                REPO, "Pitcrew: pipeline keeps failing", "details", List.of("incident")))
        .isEqualTo(url);
    assertThat(sim.issues).hasSize(1);
  }

  @Test
  void findsTheMergeRequestCreatedBeforeATimeout() throws IOException {
    sim.addBranch("main", Map.of("a", "a"));
    sim.branches.put("pitcrew/x", sim.branches.get("main"));
    sim.slow("POST", ".*/merge_requests", 1500);
    forge = forge(HttpPolicy.defaults().withRequestTimeout(Duration.ofMillis(400)));
    PullRequest mr = forge.ensurePullRequest(REPO, "pitcrew/x", "main", "t", "b", List.of());
    assertThat(mr.number()).isEqualTo("1");
    assertThat(sim.calls("POST", ".*/merge_requests")).hasSize(1);
  }

  @Test
  void honoursGitLabsRateLimitHeaders() throws IOException {
    failedPipeline();
    sim.fault(
        "GET",
        ".*/pipelines/48",
        429,
        Map.of("Retry-After", "3", "RateLimit-Remaining", "0"),
        "{\"message\":\"Retry later\"}");
    assertThat(forge.run(new RunRef(REPO, "48", 1)).outcome()).isEqualTo("failed");
    assertThat(time.sleeps).contains(Duration.ofSeconds(3));
  }

  @Test
  void namesTheScopeNeededWhenGitLabRefuses() {
    sim.fault("POST", ".*/pipelines/48/retry", 403, Map.of(), "{\"message\":\"403 Forbidden\"}");
    failedPipeline();
    assertThatThrownBy(() -> forge.rerunFailedJobs(new RunRef(REPO, "48", 1)))
        .isInstanceOf(ForgeApiException.class)
        .hasMessageContaining("api scope")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void derivesTheApiBaseFromTheHost() {
    assertThat(GitLabForge.apiBase("gitlab.com", Map.of()))
        .hasToString("https://gitlab.com/api/v4");
    assertThat(
            GitLabForge.apiBase(
                "git.corp", Map.of("PITCREW_GITLAB_API_URL", "http://127.0.0.1:1/api/v4/")))
        .hasToString("http://127.0.0.1:1/api/v4");
  }
}
