package dev.pitcrew.forge.gitlab;

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

/** {@code pitcrew diagnose URL} for GitLab pipelines and jobs, against the loopback GitLab. */
class DiagnoseGitLabUrlIT {
  static final String PYTHON_LOG =
      """
      $ pytest -q
      E   ModuleNotFoundError: No module named 'requests'
      ERROR: Job failed: exit code 1
      """;

  GitLabSim sim;

  @BeforeEach
  void start() throws IOException {
    sim = new GitLabSim();
    sim.addPipeline(
        "46",
        "main",
        "success",
        GitLabForgeIT.ordered("build", "success"),
        Map.of("build", "added 12 packages\n"));
    sim.addPipeline(
        "48",
        "main",
        "failed",
        GitLabForgeIT.ordered("build", "failed", "lint", "success"),
        Map.of("build", PYTHON_LOG));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  String[] run(String url) {
    var cl =
        Cli.commandLine(
            Map.of(
                "PITCREW_GITLAB_API_URL",
                sim.apiBase().toString(),
                "GITLAB_TOKEN",
                GitLabForgeIT.TOKEN));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute("diagnose", "--json", "--no-llm", url);
    return new String[] {String.valueOf(status), out.toString(), err.toString()};
  }

  @Test
  void diagnosesTheFailedJobOfAPipeline() throws IOException {
    String[] r = run("https://gitlab.example.com/group/sub/project/-/pipelines/48");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode n = GitLabSim.JSON.readTree(r[1].strip());
    assertThat(n.path("file").asText())
        .isEqualTo("https://gitlab.example.com/group/sub/project/-/jobs/4801");
    assertThat(n.path("category").asText()).isEqualTo("dependency");
    assertThat(n.path("evidence").path(0).path("text").asText())
        .contains("No module named 'requests'");
    assertThat(sim.calls("GET", ".*/jobs/4601/trace")).hasSize(1);
  }

  @Test
  void diagnosesAJobUrlByFindingItsPipeline() throws IOException {
    String[] r = run("https://gitlab.example.com/group/sub/project/-/jobs/4801");
    assertThat(r[0]).isEqualTo("0");
    assertThat(GitLabSim.JSON.readTree(r[1].strip()).path("file").asText())
        .endsWith("/-/jobs/4801");
  }
}
