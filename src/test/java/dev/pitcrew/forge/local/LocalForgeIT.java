package dev.pitcrew.forge.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local forge on real git repositories, real bash jobs and a real HTTP webhook receiver. */
class LocalForgeIT {
  private static final String SECRET = "lab-secret";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private HttpServer receiver;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private LocalForge forge;

  record Received(String event, String delivery, String signature, byte[] body) {}

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/webhooks/github",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readAllBytes();
            received.add(
                new Received(
                    ex.getRequestHeaders().getFirst("X-GitHub-Event"),
                    ex.getRequestHeaders().getFirst("X-GitHub-Delivery"),
                    ex.getRequestHeaders().getFirst("X-Hub-Signature-256"),
                    body));
          }
          ex.sendResponseHeaders(202, -1);
          ex.close();
        });
    receiver.start();
    URI url =
        URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/github");
    forge =
        new LocalForge(tmp.resolve("lab"), LocalForge.Options.defaults().withWebhook(url, SECRET));
  }

  @AfterEach
  void stop() {
    forge.close();
    receiver.stop(0);
  }

  private RepoRef repo(String name, Map<String, String> files) throws IOException {
    Path src = tmp.resolve("src-" + name.replace('/', '-'));
    for (var f : files.entrySet()) {
      Path p = src.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    return forge.createRepository(name, src);
  }

  private Run runOnce(RepoRef repo) throws IOException {
    List<RunRef> refs = forge.trigger(repo, "main");
    assertThat(refs).hasSize(1);
    return forge.awaitCompletion(refs.get(0), WAIT);
  }

  private static String read(Forge.JobLog log) throws IOException {
    try (InputStream in = log.log().open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private String logOf(Run run) {
    try (InputStream in = forge.jobLog(run.jobs().get(0).ref()).open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void aFailingStepGivesAGithubStyleLogAndSignedDeliveries() throws Exception {
    RepoRef repo =
        repo(
            "acme/fails",
            Map.of(
                ".github/workflows/ci.yml",
                """
                name: CI
                on: [push]
                env:
                  GREETING: hello
                jobs:
                  build:
                    name: Build
                    runs-on: ubuntu-latest
                    env:
                      WHO: lab
                    steps:
                      - uses: actions/checkout@v4
                      - name: Greet
                        run: echo "$GREETING $WHO from $(cat README.md)"
                      - name: Fail
                        run: |
                          echo "about to fail" >&2
                          exit 3
                      - name: Never
                        run: echo never
                """,
                "README.md",
                "the readme"));

    Run run = runOnce(repo);

    assertThat(run.outcome()).isEqualTo("failed");
    assertThat(run.jobs()).singleElement().satisfies(j -> assertThat(j.exitCode()).isEqualTo(3));
    List<Forge.JobLog> logs = forge.failedJobLogs(run.ref());
    assertThat(logs).hasSize(1);
    String log = read(logs.get(0));
    assertThat(log)
        .contains("##[group]Run echo \"$GREETING $WHO from $(cat README.md)\"")
        .contains("hello lab from the readme")
        .contains("about to fail")
        .contains("##[error]Process completed with exit code 3.")
        .doesNotContain("never\n");
    assertThat(log.lines().findFirst().orElseThrow())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z ##\\[group\\]Set up job");

    assertThat(received)
        .extracting(Received::event)
        .containsExactly("workflow_job", "workflow_run");
    for (Received r : received) {
      assertThat(r.signature()).isEqualTo(GithubDeliveries.sign(SECRET.getBytes(), r.body()));
      assertThat(r.delivery()).isNotBlank();
    }
    JsonNode wr = JSON.readTree(received.get(1).body());
    assertThat(wr.at("/action").asText()).isEqualTo("completed");
    assertThat(wr.at("/workflow_run/id").asText()).isEqualTo(run.ref().runId());
    assertThat(wr.at("/workflow_run/conclusion").asText()).isEqualTo("failure");
    assertThat(wr.at("/workflow_run/head_sha").asText()).isEqualTo(run.sha());
    assertThat(wr.at("/workflow_run/path").asText()).isEqualTo(".github/workflows/ci.yml");
    assertThat(wr.at("/repository/full_name").asText()).isEqualTo("acme/fails");
    assertThat(wr.at("/workflow_run/html_url").asText()).isEqualTo(run.url());
    JsonNode wj = JSON.readTree(received.get(0).body());
    assertThat(wj.at("/workflow_job/conclusion").asText()).isEqualTo("failure");
    assertThat(wj.at("/workflow_job/run_id").asText()).isEqualTo(run.ref().runId());
    assertThat(wj.at("/workflow_job/steps/3/conclusion").asText()).isEqualTo("failure");
    assertThat(wj.at("/workflow_job/steps/4/conclusion").asText()).isEqualTo("skipped");
    assertThat(forge.deliveries()).allSatisfy(d -> assertThat(d.status()).isEqualTo(202));
  }

  @Test
  void variablesReachTheJobAndTheRerunIsANewRunOnTheSameCommit() throws Exception {
    RepoRef repo =
        repo(
            "acme/needs-var",
            Map.of(
                ".github/workflows/ci.yml",
                """
                name: CI
                on: push
                jobs:
                  test:
                    runs-on: ubuntu-latest
                    steps:
                      - run: |
                          test -n "${APP_REGION:-}" || { echo "Error: environment variable APP_REGION is not set"; exit 1; }
                          echo "region=$APP_REGION via vars=${{ vars.APP_REGION }}"
                """));
    Run first = runOnce(repo);
    assertThat(first.outcome()).isEqualTo("failed");
    assertThat(read(forge.failedJobLogs(first.ref()).get(0)))
        .contains("Error: environment variable APP_REGION is not set");
    assertThat(forge.lastSuccessfulRun(first)).isEmpty();

    assertThat(forge.variable(repo, "APP_REGION")).isEmpty();
    assertThat(forge.setVariable(repo, "APP_REGION", "eu-west-1")).isEmpty();
    assertThat(forge.setVariable(repo, "APP_REGION", "eu-north-1")).contains("eu-west-1");
    assertThat(forge.variable(repo, "APP_REGION")).contains("eu-north-1");

    RunRef rerun = forge.rerunFailedJobs(first.ref());
    assertThat(rerun.runId()).isNotEqualTo(first.ref().runId());
    Run second = forge.awaitCompletion(rerun, WAIT);
    assertThat(second.outcome()).isEqualTo("passed");
    assertThat(second.sha()).isEqualTo(first.sha());
    assertThat(forge.jobLog(second.jobs().get(0).ref()).open().readAllBytes())
        .asString(StandardCharsets.UTF_8)
        .contains("region=eu-north-1 via vars=eu-north-1");

    Run third = runOnce(repo);
    assertThat(forge.lastSuccessfulRun(third).map(r -> r.ref().runId())).contains(rerun.runId());
    assertThatThrownBy(() -> forge.setVariable(repo, "BAD NAME", "x"))
        .hasMessageContaining("is not a variable name");
  }

  @Test
  void theJobTimeLimitKillsTheStepAndTheMemoryLimitReachesTheRuntimes() throws Exception {
    RepoRef repo =
        repo(
            "acme/limits",
            Map.of(
                ".github/workflows/ci.yml",
                """
                name: Limits
                on: push
                jobs:
                  slow:
                    runs-on: ubuntu-latest
                    timeout-minutes: 0.04
                    container:
                      image: eclipse-temurin:21
                      options: --memory 96m
                    steps:
                      - run: echo "java=$JAVA_TOOL_OPTIONS node=$NODE_OPTIONS"
                      - run: sleep 30 & wait
                """));
    long t0 = System.nanoTime();
    Run run = runOnce(repo);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    assertThat(run.outcome()).isEqualTo("failed");
    String log = read(forge.failedJobLogs(run.ref()).get(0));
    assertThat(log)
        .contains("java=-Xmx96m node=--max-old-space-size=96")
        .contains(
            "##[error]The job running on runner pitcrew-local has exceeded the maximum execution"
                + " time of 0.04 minutes.")
        .contains("##[error]The operation was canceled.");
  }

  @Test
  void gitlabScriptLinesRunWithTheirVariables() throws Exception {
    RepoRef repo =
        repo(
            "acme/gitlab",
            Map.of(
                ".gitlab-ci.yml",
                """
                stages: [test]
                variables:
                  LEVEL: info
                unit:
                  stage: test
                  variables:
                    KUBERNETES_MEMORY_LIMIT: 128Mi
                  script:
                    - echo "level=$LEVEL opts=$JAVA_TOOL_OPTIONS"
                    - exit 2
                """));
    Run run = runOnce(repo);
    assertThat(run.outcome()).isEqualTo("failed");
    assertThat(read(forge.failedJobLogs(run.ref()).get(0)))
        .contains("level=info opts=-Xmx128m")
        .contains("ERROR: Job failed: exit code 2");
  }

  @Test
  void branchesCommitsPullRequestsCommentsAndIssuesAreIdempotent() throws Exception {
    RepoRef repo =
        repo(
            "acme/fixes",
            Map.of(
                ".github/workflows/ci.yml",
                """
                name: CI
                on: push
                jobs:
                  check:
                    runs-on: ubuntu-latest
                    steps:
                      - run: grep -q fixed config.txt
                """,
                "config.txt",
                "broken\n"));
    assertThat(forge.defaultBranch(repo)).isEqualTo("main");
    String base = forge.head(repo, "main").orElseThrow();
    forge.ensureBranch(repo, "pitcrew/fix-1", base);
    forge.ensureBranch(repo, "pitcrew/fix-1", base);
    assertThat(forge.head(repo, "pitcrew/fix-1")).contains(base);

    String sha =
        forge.commitFiles(repo, "pitcrew/fix-1", "Fix config", Map.of("config.txt", "fixed\n"));
    assertThat(
            forge.commitFiles(repo, "pitcrew/fix-1", "Fix config", Map.of("config.txt", "fixed\n")))
        .as("committing the same content again changes nothing")
        .isEqualTo(sha);
    assertThat(forge.fileContent(repo, "config.txt", "pitcrew/fix-1")).contains("fixed\n");
    assertThat(forge.fileContent(repo, "config.txt", "main")).contains("broken\n");
    assertThat(forge.fileContent(repo, "config.txt", base)).contains("broken\n");
    assertThat(forge.fileContent(repo, "missing.txt", "main")).isEmpty();

    List<Run> pushed = forge.runsFor(repo, sha);
    assertThat(pushed).as("a push starts the pipelines once").hasSize(1);
    assertThat(forge.runForCommit(repo, sha))
        .as("the run a fix's push started is how the fix is verified")
        .contains(pushed.get(0).ref());
    assertThat(forge.runForCommit(repo, "0".repeat(40))).isEmpty();
    Run onBranch = forge.awaitCompletion(pushed.get(0).ref(), WAIT);
    assertThat(onBranch.outcome()).as(() -> logOf(onBranch)).isEqualTo("passed");

    PullRequest pr =
        forge.ensurePullRequest(
            repo, "pitcrew/fix-1", "main", "Fix config", "body", List.of("pitcrew"));
    PullRequest again =
        forge.ensurePullRequest(
            repo, "pitcrew/fix-1", "main", "Fix config", "body", List.of("pitcrew"));
    assertThat(again).isEqualTo(pr);
    assertThat(pr.number()).isEqualTo("1");
    assertThat(pr.url()).endsWith("/acme/fixes/pull/1");
    forge.comment(pr, "Pipeline passed after the fix.");
    assertThat(forge.comments(pr)).containsExactly("Pipeline passed after the fix.");

    String issue =
        forge.ensureIssue(repo, "Auto-fix failed 3 times", "details", List.of("incident"));
    assertThat(forge.ensureIssue(repo, "Auto-fix failed 3 times", "details", List.of()))
        .isEqualTo(issue);
    assertThat(forge.issueTitles(repo)).containsExactly("Auto-fix failed 3 times");

    assertThatThrownBy(() -> forge.commitFiles(repo, "nope", "x", Map.of("a", "b")))
        .hasMessageContaining("create it with ensureBranch first");
    assertThatThrownBy(() -> forge.commitFiles(repo, "pitcrew/fix-1", "x", Map.of("../evil", "b")))
        .hasMessageContaining("is not a relative path inside the repository");
    assertThatThrownBy(() -> forge.defaultBranch(forge.repoRef("acme/unknown")))
        .hasMessageContaining("no repository acme/unknown");
  }

  @Test
  void stateSurvivesARestartOfTheForge() throws Exception {
    RepoRef repo =
        repo(
            "acme/restart",
            Map.of(
                ".github/workflows/ci.yml",
                """
                name: CI
                on: push
                jobs:
                  ok:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo fine
                """));
    Run run = runOnce(repo);
    forge.setVariable(repo, "A", "1");
    forge.close();
    forge = new LocalForge(tmp.resolve("lab"), LocalForge.Options.defaults());
    assertThat(forge.run(run.ref()).outcome()).isEqualTo("passed");
    assertThat(forge.variable(repo, "A")).contains("1");
    assertThat(Files.readString(tmp.resolve("lab/state.json")))
        .contains("\"repo\" : \"acme/restart\"");
    assertThat(forge.lastSuccessfulRun(run)).isEqualTo(Optional.empty());
  }

  @Test
  void anInvalidWorkflowFailsTheRunWithTheReason() throws Exception {
    RepoRef repo =
        repo("acme/invalid", Map.of(".github/workflows/ci.yml", "name: CI\non: push\njobs: {}\n"));
    Run run = runOnce(repo);
    assertThat(run.outcome()).isEqualTo("failed");
    assertThat(read(forge.failedJobLogs(run.ref()).get(0)))
        .contains(
            "Invalid workflow file: .github/workflows/ci.yml: a workflow needs a 'jobs:' map");
  }
}
