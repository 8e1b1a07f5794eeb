package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.store.Database;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pitcrew export} on a real embedded store holding remediation actions. */
class ExportCommandIT {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The execution-history record of docs/contracts.md, field for field. */
  static final List<String> ACTION_FIELDS =
      List.of(
          "action_id",
          "pipeline_id",
          "pipeline_url",
          "repository",
          "provider",
          "branch",
          "commit_sha",
          "failure_category",
          "root_cause",
          "confidence",
          "evidence",
          "playbook_used",
          "risk_level",
          "status",
          "auto_fix_applied",
          "approval_required",
          "remediation_steps_executed",
          "outcome",
          "new_pipeline_id",
          "new_pipeline_url",
          "new_pipeline_status",
          "pull_request_url",
          "incident_url",
          "attempt",
          "time_to_fix",
          "timestamp",
          "user_notified");

  /** The playbook record of docs/contracts.md. */
  static final List<String> PLAYBOOK_FIELDS =
      List.of(
          "playbook_id",
          "category",
          "failure_pattern",
          "risk_level",
          "auto_fix_enabled",
          "remediation_steps",
          "success_rate",
          "usage_count",
          "created_by",
          "last_updated");

  @TempDir Path tmp;

  @Test
  void writesActionsAndPlaybooksInTheUserStoryLayout() throws Exception {
    Map<String, String> env = TestDatabases.h2(tmp.resolve("data"));
    String first;
    try (Database db = TestDatabases.open(env)) {
      Incidents incidents = new Incidents(db.jdbi(), Clock.systemUTC(), Incidents.randomIds());
      RepoRef repo = new RepoRef(Provider.GITHUB, "github.com", "acme/user-service");
      first =
          incidents
              .open(
                  new Incidents.Seed(
                      new RunRef(repo, "12345", 1),
                      null,
                      "dev",
                      "https://github.com/acme/user-service/actions/runs/12345",
                      "main",
                      "abc123",
                      1))
              .incidentId();
      incidents.update(
          first,
          Map.of(),
          Map.of(
              "failure_category", "dependency",
              "root_cause", "Missing requests library",
              "playbook_used", "pb-dependency-missing-python",
              "risk_level", "low",
              "status", "succeeded",
              "outcome", "success",
              "auto_fix_applied", true,
              "new_pipeline_id", "12346",
              "new_pipeline_status", "passed",
              "time_to_fix", 125.8));
      incidents.open(
          new Incidents.Seed(
              new RunRef(repo, "12400", 1), null, "dev", "https://x/12400", "main", "def", 1));
    }
    Path out = tmp.resolve("export");
    StringWriter text = new StringWriter();
    var cl = Cli.commandLine(env);
    cl.setOut(new PrintWriter(text));

    assertThat(cl.execute("export", "--out", out.toString())).isZero();

    assertThat(text.toString())
        .contains("exported 2 actions to " + out.resolve("remediation_actions.json"));
    JsonNode actions = JSON.readTree(out.resolve("remediation_actions.json").toFile());
    assertThat(actions.isArray()).isTrue();
    assertThat(actions).hasSize(2);
    for (JsonNode a : actions) {
      assertThat(names(a)).containsExactlyInAnyOrderElementsOf(ACTION_FIELDS);
    }
    JsonNode fixed = null;
    for (JsonNode a : actions) {
      if (a.path("action_id").asText().equals(first)) {
        fixed = a;
      }
    }
    assertThat(fixed).isNotNull();
    assertThat(fixed.path("pipeline_id").asText()).isEqualTo("12345");
    assertThat(fixed.path("failure_category").asText()).isEqualTo("dependency");
    assertThat(fixed.path("auto_fix_applied").asBoolean()).isTrue();
    assertThat(fixed.path("time_to_fix").asDouble()).isEqualTo(125.8);
    assertThat(fixed.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    JsonNode playbooks = JSON.readTree(out.resolve("remediation_playbooks.json").toFile());
    assertThat(playbooks.isArray()).isTrue();
    assertThat(playbooks.size()).isGreaterThan(5);
    for (JsonNode p : playbooks) {
      assertThat(names(p)).containsAll(PLAYBOOK_FIELDS);
    }
    JsonNode used = null;
    for (JsonNode p : playbooks) {
      if (p.path("playbook_id").asText().equals("pb-dependency-missing-python")) {
        used = p;
      }
    }
    assertThat(used).isNotNull();
    assertThat(used.path("usage_count").asLong()).isEqualTo(1);
    assertThat(used.path("success_rate").asDouble()).isEqualTo(1.0);
    assertThat(Files.list(out).map(p -> p.getFileName().toString()).toList())
        .containsExactlyInAnyOrder("remediation_actions.json", "remediation_playbooks.json");
  }

  @Test
  void defaultsToTheDataDirectorysDbFolderAndRefusesAFileAsOut() throws Exception {
    Map<String, String> env = TestDatabases.h2(tmp.resolve("data"));
    assertThat(Cli.commandLine(env).execute("export")).isZero();
    assertThat(tmp.resolve("data/db/remediation_actions.json")).exists();
    assertThat(JSON.readTree(tmp.resolve("data/db/remediation_actions.json").toFile())).isEmpty();

    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    StringWriter err = new StringWriter();
    var cl = Cli.commandLine(env);
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("export", "--out", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is a file, not a folder");
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
