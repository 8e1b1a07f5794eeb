package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code pitcrew diagnose} contract of docs/contracts.md. */
class DiagnoseCommandTest {
  @TempDir Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    var cl = Cli.commandLine(Map.of());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void printsOneJsonObjectPerLogWithTheContractFields() throws IOException {
    Path log = dir.resolve("job.log");
    Files.writeString(
        log,
        """
        2024-05-02T09:12:01.1000000Z ##[group]Run pytest -q
        2024-05-02T09:12:03.4700000Z E   ModuleNotFoundError: No module named 'requests'
        2024-05-02T09:12:03.6000000Z ##[error]Process completed with exit code 2.
        """);
    Run r = run("diagnose", "--json", "--no-llm", log.toString());
    assertThat(r.status()).isZero();
    JsonNode n = new ObjectMapper().readTree(r.out().strip());
    assertThat(n.fieldNames())
        .toIterable()
        .containsExactly(
            "file",
            "category",
            "root_cause",
            "confidence",
            "risk_level",
            "remediation_strategy",
            "remediation_params",
            "playbook_id",
            "analyzer",
            "evidence",
            "explanation");
    assertThat(n.get("file").asText()).isEqualTo(log.toString());
    assertThat(n.get("category").asText()).isEqualTo("dependency");
    assertThat(n.get("playbook_id").asText()).isEqualTo("pb-dependency-missing-python");
    assertThat(n.get("evidence").get(0).get("line").asInt()).isEqualTo(2);
    assertThat(n.get("evidence").get(0).get("text").asText())
        .endsWith("No module named 'requests'");
    assertThat(n.get("remediation_params").get("module").asText()).isEqualTo("requests");
  }

  @Test
  void anUnreadableLogGivesAnUnknownRecordAndExitOneWhileOthersAreStillDiagnosed()
      throws IOException {
    Path good = dir.resolve("good.log");
    Files.writeString(good, "java.lang.OutOfMemoryError: Java heap space\n");
    Run r = run("diagnose", "--json", dir.resolve("missing.log").toString(), good.toString());
    assertThat(r.status()).isEqualTo(1);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode bad = new ObjectMapper().readTree(lines.get(0));
    assertThat(bad.get("category").asText()).isEqualTo("unknown");
    assertThat(bad.get("error").asText()).contains("no such file");
    assertThat(new ObjectMapper().readTree(lines.get(1)).get("category").asText())
        .isEqualTo("resource");
  }

  @Test
  void aUsageErrorExitsWithTwo() {
    assertThat(run("diagnose").status()).isEqualTo(2);
    assertThat(run("diagnose", "--bogus", "x").status()).isEqualTo(2);
  }

  @Test
  void ignoresLinesThatAlsoAppearInThePassingRun() throws IOException {
    Path failing = dir.resolve("failing.log");
    Path passing = dir.resolve("passing.log");
    Files.writeString(
        failing,
        """
        npm ERR! network request to https://registry.npmjs.org/x failed, reason: connect ETIMEDOUT 1.2.3.4:443
        java.lang.OutOfMemoryError: Java heap space
        """);
    Files.writeString(
        passing,
        "npm ERR! network request to https://registry.npmjs.org/x failed, reason: connect ETIMEDOUT 5.6.7.8:443\n");
    Run without = run("diagnose", "--json", failing.toString());
    Run with =
        run("diagnose", "--json", "--previous-success", passing.toString(), failing.toString());
    assertThat(new ObjectMapper().readTree(with.out()).get("category").asText())
        .isEqualTo("resource");
    assertThat(new ObjectMapper().readTree(with.out()).get("notes").toString())
        .contains("also appear in the passing run");
    assertThat(without.status()).isZero();
  }

  @Test
  void printsAHumanReportWithEvidence() throws IOException {
    Path log = dir.resolve("job.log");
    Files.writeString(log, "KeyError: 'DATABASE_URL'\n");
    Run r = run("diagnose", log.toString());
    assertThat(r.out())
        .contains("environment")
        .contains("line 1: KeyError: 'DATABASE_URL'")
        .contains("fix: set_ci_variable");
  }
}
