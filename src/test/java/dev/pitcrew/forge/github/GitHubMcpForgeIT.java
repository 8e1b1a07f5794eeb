package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.cli.Cli;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeApiException;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reading GitHub Actions through GitHub's MCP server: a real MCP server (same SDK, streamable HTTP
 * on loopback) with the documented Actions tools, in both layouts the server has shipped, in front
 * of the loopback GitHub. Reads go through MCP; writes keep going to the REST API.
 */
class GitHubMcpForgeIT {
  static final String RUN_URL = "https://github.com/octocat/Hello-World/actions/runs/30433642";

  GitHubSim gh;
  GitHubMcpSim mcpSim;
  GitHubMcp client;

  @BeforeEach
  void start() throws Exception {
    gh = new GitHubSim();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (mcpSim != null) {
      assertThat(mcpSim.violations).as("arguments outside the documented schemas").isEmpty();
      mcpSim.close();
    }
    gh.close();
  }

  GitHubMcpForge forge(GitHubMcp.Tools layout, int logLines) throws Exception {
    mcpSim = new GitHubMcpSim(gh, layout);
    FakeTime time = new FakeTime();
    ForgeHttp http =
        new ForgeHttp(
            "GitHub",
            ForgeHttp.defaultClient(),
            HttpPolicy.defaults().withRequestTimeout(Duration.ofSeconds(5)),
            time,
            time,
            () -> 0.5);
    GitHubForge rest =
        new GitHubForge(
            gh.apiBase(), "github.com", GitHubAuth.token(GitHubForgeIT.TOKEN), http, 1 << 20);
    client = new GitHubMcp(mcpSim.url(), GitHubForgeIT.TOKEN, Duration.ofSeconds(20));
    return new GitHubMcpForge(rest, client, logLines, 1 << 20);
  }

  void runs() {
    String warning = "2024-05-02T09:12:00.0000000Z ##[warning]Node.js 16 actions are deprecated\n";
    gh.addRun(
        "30433600",
        1,
        "main",
        "success",
        Map.of("test", warning + "2024-05-02T09:12:02.0000000Z 12 passed\n"),
        GitHubForgeIT.orderedMap("test", "success"));
    gh.addRun(
        "30433642",
        1,
        "main",
        "failure",
        Map.of("test", warning + GitHubForgeIT.FAILING_LOG, "build", "error: cannot find symbol\n"),
        GitHubForgeIT.orderedMap("build", "failure", "lint", "success", "test", "failure"));
  }

  @ParameterizedTest
  @EnumSource(GitHubMcp.Tools.class)
  void readsAFailedRunItsFailedJobsAndTheirLogsThroughMcp(GitHubMcp.Tools layout) throws Exception {
    runs();
    GitHubMcpForge forge = forge(layout, 5000);

    Run run = forge.run(new RunRef(GitHubForgeIT.REPO, "30433642", 0));
    assertThat(run.outcome()).isEqualTo("failed");
    assertThat(run.ref().attempt()).isEqualTo(1);
    assertThat(run.workflow()).isEqualTo("159038");
    assertThat(run.jobs())
        .extracting(j -> j.ref().name() + "=" + j.outcome())
        .containsExactly("build=failed", "lint=passed", "test=failed");

    List<Forge.JobLog> logs = forge.failedJobLogs(run.ref());
    assertThat(logs).extracting(l -> l.job().ref().name()).containsExactly("build", "test");
    assertThat(GitHubForgeIT.read(logs.get(1).log())).contains("No module named 'requests'");
    assertThat(logs.get(1).log().name()).endsWith("/actions/runs/30433642/job/3043364203");
    // one get_job_logs call with failed_only brought both logs
    assertThat(mcpSim.calls("get_job_logs"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.args()).containsEntry("failed_only", true);
              assertThat(c.args()).containsEntry("return_content", true);
            });

    Optional<Run> ok = forge.lastSuccessfulRun(run);
    assertThat(ok).map(r -> r.ref().runId()).contains("30433600");
    assertThat(GitHubForgeIT.read(forge.previousSuccessLog(run, run.jobs().get(2)).orElseThrow()))
        .contains("12 passed");

    assertThat(gh.requests).as("nothing was read through REST").isEmpty();
    assertThat(mcpSim.authorizations)
        .isNotEmpty()
        .allMatch(a -> a.equals("Bearer " + GitHubForgeIT.TOKEN));
  }

  @Test
  void writesKeepGoingThroughRest() throws Exception {
    runs();
    GitHubMcpForge forge = forge(GitHubMcp.Tools.CONSOLIDATED, 5000);
    String url = forge.ensureIssue(GitHubForgeIT.REPO, "CI broken", "details", List.of("ci"));
    assertThat(url).endsWith("/issues/42");
    assertThat(gh.calls("POST", "/repos/octocat/Hello-World/issues")).hasSize(1);
    assertThat(mcpSim.calls).isEmpty();
  }

  @Test
  void aLogIsTheLastLinesTheServerReturns() throws Exception {
    runs();
    GitHubMcpForge forge = forge(GitHubMcp.Tools.SINGLE, 2);
    Run run = forge.run(new RunRef(GitHubForgeIT.REPO, "30433642", 0));
    String log = GitHubForgeIT.read(forge.jobLog(run.jobs().get(2).ref()));
    assertThat(log).doesNotContain("deprecated").contains("exit code 2");
    assertThat(mcpSim.calls("get_job_logs").getFirst().args()).containsEntry("tail_lines", 2);
  }

  @Test
  void aJobUrlFindsItsRunThroughTheConsolidatedTools() throws Exception {
    runs();
    GitHubMcpForge forge = forge(GitHubMcp.Tools.CONSOLIDATED, 5000);
    assertThat(forge.runOfJob(GitHubForgeIT.REPO, "3043364203").ref().runId())
        .isEqualTo("30433642");
    assertThat(mcpSim.calls("actions_get"))
        .anySatisfy(c -> assertThat(c.args()).containsEntry("method", "get_workflow_job"));
    assertThat(gh.requests).isEmpty();
  }

  @Test
  void anUnknownRunIsANotFoundThatNamesThePermissionAndNotTheToken() throws Exception {
    GitHubMcpForge forge = forge(GitHubMcp.Tools.SINGLE, 5000);
    assertThatThrownBy(() -> forge.run(new RunRef(GitHubForgeIT.REPO, "404", 0)))
        .isInstanceOfSatisfying(
            ForgeApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ForgeApiException.Kind.NOT_FOUND))
        .hasMessageContaining("get_workflow_run")
        .hasMessageContaining("Actions: read")
        .hasMessageNotContaining(GitHubForgeIT.TOKEN);
  }

  @Test
  void aServerWithoutTheActionsToolsetIsAClearError() throws Exception {
    mcpSim = new GitHubMcpSim(gh, GitHubMcp.Tools.SINGLE, true);
    client = new GitHubMcp(mcpSim.url(), GitHubForgeIT.TOKEN, Duration.ofSeconds(20));
    assertThatThrownBy(() -> client.workflowRun("octocat", "Hello-World", "1"))
        .isInstanceOf(ForgeApiException.class)
        .hasMessageContaining("enable its 'actions' toolset");
  }

  @Test
  void aServerThatForgotTheSessionIsAskedAgainInANewOne() throws Exception {
    runs();
    GitHubMcpForge forge = forge(GitHubMcp.Tools.CONSOLIDATED, 5000);
    assertThat(forge.run(new RunRef(GitHubForgeIT.REPO, "30433642", 0)).outcome())
        .isEqualTo("failed");
    mcpSim.forgetSessions();
    assertThat(forge.run(new RunRef(GitHubForgeIT.REPO, "30433600", 0)).outcome())
        .isEqualTo("passed");
  }

  @Test
  void anUnreachableServerIsAnUnavailableError() throws Exception {
    client =
        new GitHubMcp(
            java.net.URI.create("http://127.0.0.1:9/mcp"),
            GitHubForgeIT.TOKEN,
            Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.workflowRun("octocat", "Hello-World", "1"))
        .isInstanceOfSatisfying(
            ForgeApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ForgeApiException.Kind.UNAVAILABLE))
        .hasMessageContaining("127.0.0.1:9")
        .hasMessageNotContaining(GitHubForgeIT.TOKEN);
  }

  @Test
  void theOptionIsOffWithoutAUrlAndRefusesBadSettings() {
    GitHubForge rest =
        new GitHubForge(
            gh.apiBase(),
            "github.com",
            GitHubAuth.anonymous(),
            new ForgeHttp(
                "GitHub",
                ForgeHttp.defaultClient(),
                HttpPolicy.defaults(),
                new FakeTime(),
                new FakeTime()),
            1 << 20);
    assertThat(GitHubMcpForge.maybeOver(rest, Map.of(), 1)).isSameAs(rest);
    assertThat(
            GitHubMcpForge.maybeOver(
                rest,
                Map.of("PITCREW_GITHUB_MCP_URL", "http://127.0.0.1:1/mcp", "GITHUB_TOKEN", "t"),
                1))
        .isInstanceOf(GitHubMcpForge.class);
    assertThatThrownBy(
            () ->
                GitHubMcpForge.maybeOver(
                    rest, Map.of("PITCREW_GITHUB_MCP_URL", "http://127.0.0.1:1/mcp"), 1))
        .hasMessageContaining("PITCREW_GITHUB_MCP_TOKEN");
    assertThatThrownBy(
            () ->
                GitHubMcpForge.maybeOver(
                    rest, Map.of("PITCREW_GITHUB_MCP_URL", "stdio", "GITHUB_TOKEN", "t"), 1))
        .hasMessageContaining("http(s) URL");
    assertThatThrownBy(
            () ->
                GitHubMcpForge.maybeOver(
                    rest,
                    Map.of(
                        "PITCREW_GITHUB_MCP_URL",
                        "http://127.0.0.1:1/mcp",
                        "GITHUB_TOKEN",
                        "t",
                        "PITCREW_GITHUB_MCP_LOG_LINES",
                        "lots"),
                    1))
        .hasMessageContaining("PITCREW_GITHUB_MCP_LOG_LINES");
  }

  /**
   * Every Forge method must be answered by the MCP forge itself (through MCP or by handing it to
   * REST): a method left to the interface's default would silently lose the REST behaviour.
   */
  @Test
  void everyForgeMethodIsAnsweredNotLeftToTheInterfaceDefault() {
    List<String> missing = new ArrayList<>();
    for (Method m : Forge.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      try {
        Method own = GitHubMcpForge.class.getMethod(m.getName(), m.getParameterTypes());
        if (own.getDeclaringClass() != GitHubMcpForge.class) {
          missing.add(m.getName());
        }
      } catch (NoSuchMethodException e) {
        missing.add(m.getName());
      }
    }
    assertThat(missing)
        .as("GitHubMcpForge must read these through MCP or hand them to the REST forge")
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(GitHubMcp.Tools.class)
  void diagnoseARunUrlWithTheMcpOptionSet(GitHubMcp.Tools layout) throws Exception {
    runs();
    mcpSim = new GitHubMcpSim(gh, layout);
    var cl =
        Cli.commandLine(
            Map.of(
                "PITCREW_GITHUB_API_URL",
                gh.apiBase().toString(),
                "GITHUB_TOKEN",
                GitHubForgeIT.TOKEN,
                "PITCREW_GITHUB_MCP_URL",
                mcpSim.url().toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute("diagnose", "--json", "--no-llm", RUN_URL);

    assertThat(status).as(err.toString()).isZero();
    String[] lines = out.toString().strip().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode build = GitHubSim.JSON.readTree(lines[0]);
    JsonNode test = GitHubSim.JSON.readTree(lines[1]);
    assertThat(build.path("file").asText()).isEqualTo(RUN_URL + "/job/3043364201");
    assertThat(test.path("category").asText()).isEqualTo("dependency");
    assertThat(test.path("evidence").path(0).path("text").asText())
        .contains("No module named 'requests'");
    assertThat(gh.requests).as("the run, jobs and logs came through MCP").isEmpty();
    assertThat(mcpSim.calls("get_job_logs")).isNotEmpty();
    assertThat(out.toString() + err).doesNotContain(GitHubForgeIT.TOKEN);
  }
}
