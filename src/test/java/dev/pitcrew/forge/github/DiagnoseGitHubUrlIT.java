package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code pitcrew diagnose URL} for GitHub Actions, against the loopback GitHub. */
class DiagnoseGitHubUrlIT {
  GitHubSim sim;

  @BeforeEach
  void start() throws IOException {
    sim = new GitHubSim();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  String[] run(String... args) {
    var cl =
        Cli.commandLine(
            Map.of(
                "PITCREW_GITHUB_API_URL",
                sim.apiBase().toString(),
                "GITHUB_TOKEN",
                GitHubForgeIT.TOKEN));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new String[] {String.valueOf(status), out.toString(), err.toString()};
  }

  @Test
  void diagnosesEachFailedJobOfARunAgainstTheLastSuccessfulRun() throws IOException {
    // the passing run printed the same deprecation warning: it must not be the evidence
    String warning = "2024-05-02T09:12:00.0000000Z ##[warning]Node.js 16 actions are deprecated\n";
    sim.addRun(
        "30433600",
        1,
        "main",
        "success",
        Map.of("test", warning + "2024-05-02T09:12:02.0000000Z 12 passed\n"),
        GitHubForgeIT.orderedMap("test", "success"));
    sim.addRun(
        "30433642",
        1,
        "main",
        "failure",
        Map.of("test", warning + GitHubForgeIT.FAILING_LOG, "build", "error: cannot find symbol\n"),
        GitHubForgeIT.orderedMap("build", "failure", "lint", "success", "test", "failure"));
    String[] r =
        run(
            "diagnose",
            "--json",
            "--no-llm",
            "https://github.com/octocat/Hello-World/actions/runs/30433642");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    String[] lines = r[1].strip().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode build = GitHubSim.JSON.readTree(lines[0]);
    JsonNode test = GitHubSim.JSON.readTree(lines[1]);
    assertThat(build.path("file").asText())
        .isEqualTo("https://github.com/octocat/Hello-World/actions/runs/30433642/job/3043364201");
    assertThat(test.path("file").asText()).endsWith("/job/3043364203");
    assertThat(test.path("category").asText()).isEqualTo("dependency");
    assertThat(test.path("evidence").path(0).path("text").asText())
        .contains("No module named 'requests'");
    // the previous success was fetched for the test job
    assertThat(sim.blobRequests)
        .anySatisfy(b -> assertThat(b.path()).isEqualTo("/logs/3043360001"));
  }

  @Test
  void diagnosesOneJobFromAJobUrl() throws IOException {
    sim.addRun(
        "30433642",
        1,
        "main",
        "failure",
        Map.of("test", GitHubForgeIT.FAILING_LOG, "build", "error: cannot find symbol\n"),
        GitHubForgeIT.orderedMap("build", "failure", "test", "failure"));
    String[] r =
        run(
            "diagnose",
            "--json",
            "--no-llm",
            "https://github.com/octocat/Hello-World/actions/runs/30433642/job/3043364202");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1].strip().split("\n"))
        .singleElement()
        .satisfies(
            l ->
                assertThat(GitHubSim.JSON.readTree(l).path("category").asText())
                    .isEqualTo("dependency"));
  }

  @Test
  void aRunThatCannotBeFetchedGivesAnErrorObjectAndStatusOne() throws IOException {
    String[] r =
        run(
            "diagnose",
            "--json",
            "--no-llm",
            "https://github.com/octocat/Hello-World/actions/runs/404");
    assertThat(r[0]).isEqualTo("1");
    JsonNode n = GitHubSim.JSON.readTree(r[1].strip());
    assertThat(n.path("category").asText()).isEqualTo("unknown");
    assertThat(n.path("error").asText()).contains("workflow run 404").contains("Actions: read");
    assertThat(r[1] + r[2]).doesNotContain(GitHubForgeIT.TOKEN);
  }

  @Test
  void aUrlThatNamesNoRunSaysWhatShapesAreUnderstood() throws IOException {
    String[] r =
        run("diagnose", "--json", "--no-llm", "https://github.com/octocat/Hello-World/pull/1");
    assertThat(r[0]).isEqualTo("1");
    assertThat(GitHubSim.JSON.readTree(r[1].strip()).path("error").asText())
        .contains("actions/runs/ID");
  }
}
