package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pitcrew demo} end to end on two scenarios: the local forge's signed webhooks reach the
 * in-process service, which opens incidents and diagnoses them; the report is read back from its
 * records.
 */
class DemoCommandIT {
  @TempDir Path tmp;

  @Test
  void theDemoRunsScenariosThroughTheServiceAndReportsWhatItRecorded() throws Exception {
    Path report = tmp.resolve("report.json");
    CommandLine cl = Cli.commandLine(Map.of("PATH", System.getenv("PATH")));
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    int code =
        cl.execute(
            "demo",
            "--scenario",
            "network-reset-first-connection",
            "--scenario",
            "python-assertion-failure",
            "--lab-dir",
            tmp.resolve("lab").toString(),
            "--report",
            report.toString(),
            "--timeout",
            "240");
    assertThat(code).as(out.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(Files.readString(report));
    assertThat(json.get("scenarios")).hasSize(2);
    JsonNode infra = json.get("scenarios").get(0);
    assertThat(infra.get("name").asText()).isEqualTo("network-reset-first-connection");
    assertThat(infra.get("diagnosed_category").asText()).isEqualTo("infrastructure");
    assertThat(infra.get("playbook_id").asText()).isEqualTo("pb-infra-connection-reset");
    JsonNode code1 = json.get("scenarios").get(1);
    assertThat(code1.get("diagnosed_category").asText()).isEqualTo("code");
    assertThat(code1.get("auto_fix_applied").asBoolean())
        .as("a genuine code defect is never fixed automatically")
        .isFalse();
    assertThat(json.get("wrong_action_count").asInt()).isZero();
    assertThat(json.get("misdiagnosed_count").asInt()).isZero();
    // with no Slack webhook configured, the demo's loopback receiver got each scenario's message
    assertThat(json.get("notified_count").asInt()).isEqualTo(2);
    for (JsonNode s : json.get("scenarios")) {
      assertThat(s.get("notifications_received").asInt()).as(s.toString()).isPositive();
      assertThat(s.get("audit_complete").asBoolean()).as(s.toString()).isTrue();
    }
    assertThat(out.toString()).contains("scenario", "expected", "diagnosed", "auto-fix rate");
  }
}
