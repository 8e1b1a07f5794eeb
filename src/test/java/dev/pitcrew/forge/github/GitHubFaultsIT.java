package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.http.CircuitBreaker;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeApiException;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** How the GitHub adapter behaves when GitHub limits, fails or hangs. */
class GitHubFaultsIT {
  static final String TOKEN = GitHubForgeIT.TOKEN;
  static final String RUN = "/repos/octocat/Hello-World/actions/runs/30433642/attempts/1";

  GitHubSim sim;
  FakeTime time;
  ForgeHttp http;
  GitHubForge forge;
  ListAppender<ILoggingEvent> logs;
  Level rootLevel;

  @BeforeEach
  void start() throws IOException {
    sim = new GitHubSim();
    time = new FakeTime();
    forge = forge(HttpPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5)), 1 << 20);
    sim.addRun(
        "30433642",
        1,
        "main",
        "failure",
        Map.of("test", GitHubForgeIT.FAILING_LOG),
        GitHubForgeIT.orderedMap("test", "failure"));
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
  }

  GitHubForge forge(HttpPolicy policy, long cap) {
    http = new ForgeHttp("GitHub", ForgeHttp.defaultClient(), policy, time, time, () -> 0.5);
    return new GitHubForge(sim.apiBase(), "github.com", GitHubAuth.token(TOKEN), http, cap);
  }

  @AfterEach
  void noCredentialEverReachesTheLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(logs);
    root.setLevel(rootLevel); // other ITs in this JVM must not inherit DEBUG
    sim.close();
    for (ILoggingEvent e : logs.list) {
      assertThat(e.getFormattedMessage()).doesNotContain(TOKEN).doesNotContain("ghs_simulated");
      if (e.getThrowableProxy() != null) {
        assertThat(e.getThrowableProxy().getMessage()).doesNotContain(TOKEN);
      }
    }
  }

  @Test
  void waitsForRetryAfterOn429BeforeAskingAgain() throws IOException {
    sim.fault("GET", RUN, 429, Map.of("Retry-After", "7"), "{\"message\":\"slow down\"}");
    assertThat(forge.run(new RunRef(GitHubForgeIT.REPO, "30433642", 1)).outcome())
        .isEqualTo("failed");
    assertThat(sim.calls("GET", RUN)).hasSize(2);
    assertThat(time.sleeps).contains(Duration.ofSeconds(7));
    assertThat(logs.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("rate-limited"));
  }

  @Test
  void waitsOutASecondaryRateLimit403EvenOnAWrite() throws IOException {
    sim.fault(
        "POST",
        ".*/issues",
        403,
        Map.of(),
        "{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes.\"}");
    String url =
        forge.ensureIssue(GitHubForgeIT.REPO, "Pitcrew: incident", "body", List.of("incident"));
    assertThat(url).endsWith("/issues/42");
    assertThat(sim.calls("POST", ".*/issues")).hasSize(2);
    assertThat(sim.issues).hasSize(1);
    assertThat(time.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void sendsNothingWhileThePrimaryLimitIsExhaustedAndSaysWhenItResets() throws IOException {
    long reset = time.instant().plus(Duration.ofMinutes(15)).getEpochSecond();
    sim.fault(
        "GET",
        "/repos/[^/]+/[^/]+",
        200,
        Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(reset)),
        "{\"default_branch\":\"main\"}");
    assertThat(forge.defaultBranch(GitHubForgeIT.REPO)).isEqualTo("main");
    int before = sim.requests.size();
    assertThatThrownBy(() -> forge.defaultBranch(GitHubForgeIT.REPO))
        .isInstanceOfSatisfying(
            ForgeApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ForgeApiException.Kind.RATE_LIMITED);
              assertThat(e.retryAt()).contains(Instant.ofEpochSecond(reset));
            })
        .hasMessageContaining("was not sent");
    assertThat(sim.requests).hasSize(before);
  }

  @Test
  void retriesA502StormOnReadsWithGrowingJitteredWaitsThenSucceeds() throws IOException {
    sim.fault("GET", RUN, 502, Map.of(), "<html>bad gateway</html>");
    sim.fault("GET", RUN, 502, Map.of(), "<html>bad gateway</html>");
    sim.fault("GET", RUN, 503, Map.of(), "");
    assertThat(forge.run(new RunRef(GitHubForgeIT.REPO, "30433642", 1)).jobs()).hasSize(1);
    assertThat(sim.calls("GET", RUN)).hasSize(4);
    // random 0.5 of a ceiling that doubles from 500 ms
    assertThat(time.sleeps)
        .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000));
  }

  @Test
  void opensTheCircuitAfterRepeatedFailuresAndStopsCallingUntilTheCooldownEnds()
      throws IOException {
    forge = forge(HttpPolicy.defaults().withBreaker(3, Duration.ofSeconds(30)), 1 << 20);
    for (int i = 0; i < 4; i++) {
      sim.fault("GET", RUN, 502, Map.of(), "");
    }
    RunRef ref = new RunRef(GitHubForgeIT.REPO, "30433642", 1);
    assertThatThrownBy(() -> forge.run(ref))
        .isInstanceOfSatisfying(
            ForgeApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ForgeApiException.Kind.UNAVAILABLE))
        .hasMessageContaining("circuit open");
    int sent = sim.calls("GET", RUN).size();
    assertThat(sent).isEqualTo(3);
    assertThat(http.breaker().state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThatThrownBy(() -> forge.run(ref)).hasMessageContaining("circuit open");
    assertThat(sim.calls("GET", RUN)).hasSize(sent);
    time.advance(Duration.ofSeconds(31));
    sim.faults.clear();
    assertThat(forge.run(ref).outcome()).isEqualTo("failed");
    assertThat(http.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void findsThePullRequestCreatedBeforeATimeoutInsteadOfOpeningASecond() throws IOException {
    forge = forge(HttpPolicy.defaults().withRequestTimeout(Duration.ofMillis(400)), 1 << 20);
    sim.addBranch("main", Map.of("a.txt", "a\n"));
    sim.refs.put("pitcrew/fix", sim.refs.get("main"));
    sim.slow("POST", ".*/pulls", 1500);
    PullRequest pr =
        forge.ensurePullRequest(
            GitHubForgeIT.REPO, "pitcrew/fix", "main", "Fix", "body", List.of());
    assertThat(pr.number()).isEqualTo("1347");
    assertThat(sim.calls("POST", ".*/pulls")).hasSize(1);
    assertThat(sim.pulls).hasSize(1);
  }

  @Test
  void aCommentWhoseAnswerTimedOutIsNotPostedTwice() throws IOException {
    sim.slow("POST", ".*/issues/\\d+/comments", 1500);
    forge = forge(HttpPolicy.defaults().withRequestTimeout(Duration.ofMillis(400)), 1 << 20);
    PullRequest pr =
        new PullRequest(GitHubForgeIT.REPO, "1347", "u", "pitcrew/fix", "main", "open");
    forge.comment(pr, "Re-ran the failed jobs");
    assertThat(sim.comments.get("1347")).containsExactly("Re-ran the failed jobs");
  }

  @Test
  void cutsALogAtTheSizeCapAndSaysItDid() throws IOException {
    String big = "x".repeat(5000) + "\nModuleNotFoundError: No module named 'late'\n";
    sim.logs.put("3043364201", big.getBytes(StandardCharsets.UTF_8));
    forge = forge(HttpPolicy.defaults(), 1000);
    Forge.JobLog log = forge.failedJobLogs(new RunRef(GitHubForgeIT.REPO, "30433642", 1)).get(0);
    try (InputStream in = log.log().open()) {
      assertThat(in.readAllBytes()).hasSize(1000);
    }
    assertThat(log.log().truncated()).isTrue();
  }

  @Test
  void reportsALogDownloadCutShort() throws IOException {
    sim.truncateLog.put("3043364201", 40);
    Forge.JobLog log = forge.failedJobLogs(new RunRef(GitHubForgeIT.REPO, "30433642", 1)).get(0);
    assertThatThrownBy(
            () -> {
              try (InputStream in = log.log().open()) {
                in.readAllBytes();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cut short after 40 bytes");
  }

  @Test
  void refusesToFollowALogRedirectToALinkLocalAddress() throws IOException {
    sim.fault(
        "GET",
        ".*/actions/jobs/\\d+/logs",
        302,
        Map.of("Location", "http://169.254.169.254/latest/meta-data/"),
        "");
    Forge.JobLog log = forge.failedJobLogs(new RunRef(GitHubForgeIT.REPO, "30433642", 1)).get(0);
    assertThatThrownBy(() -> log.log().open())
        .hasMessageContaining("refusing to follow a download redirect to http://169.254.169.254");
  }
}
