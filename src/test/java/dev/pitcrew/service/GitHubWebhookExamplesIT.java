package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.github.Npm;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example payload of every GitHub webhook event (octokit's index of real deliveries: 58
 * events, workflow runs and jobs among pull requests, pushes, issues, stars...) signed and posted
 * to a real {@code pitcrew serve}, as a repository or organisation hook that sends "everything"
 * would. None may be refused as malformed or break the service: a failed run or job opens one
 * incident per run (the job and run deliveries of the same failure are one), a fork's failure and
 * everything else is recorded and ignored. The expected answer of each is worked out here from the
 * payload's own fields, independently of the adapter.
 */
class GitHubWebhookExamplesIT {
  static final String SECRET = "examples-secret";
  static final String OCTOKIT = "@octokit/webhooks-examples@7.6.1";
  static final Set<String> FAILED = Set.of("failure", "timed_out", "startup_failure");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  PitcrewService service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** The index: a list of {name, examples[]}; the shared fixture, or the npm package. */
  static JsonNode index() throws Exception {
    Path shared =
        Path.of("../shared/fixtures/github-webhooks/all-examples-api.github.com.json")
            .toAbsolutePath()
            .normalize();
    if (Files.isReadable(shared)) {
      return JSON.readTree(shared.toFile());
    }
    Path dir = Path.of("target/octokit-webhooks").toAbsolutePath();
    Path file = dir.resolve("node_modules/@octokit/webhooks-examples/api.github.com/index.json");
    if (!Files.isReadable(file)) {
      Npm.install(dir, List.of(OCTOKIT), "GitHub's webhook examples");
    }
    return JSON.readTree(file.toFile());
  }

  /** What the service should answer, from the payload alone. */
  record Expected(int status, String state, String runKey) {}

  static Expected expected(String event, JsonNode p) {
    String repo = p.path("repository").path("full_name").asText();
    switch (event) {
      case "workflow_run" -> {
        JsonNode r = p.path("workflow_run");
        String key = repo + "/" + r.path("id").asText() + "/" + r.path("run_attempt").asInt(1);
        boolean completed =
            p.path("action").asText().equals("completed")
                && r.path("status").asText().equals("completed");
        boolean fork =
            !r.path("head_repository").path("full_name").asText(repo).equalsIgnoreCase(repo);
        if (completed && FAILED.contains(r.path("conclusion").asText()) && !fork) {
          return new Expected(202, "accepted", key);
        }
        return new Expected(
            200,
            "ignored",
            completed && r.path("conclusion").asText().equals("success") ? "passed:" + key : null);
      }
      case "workflow_job" -> {
        JsonNode j = p.path("workflow_job");
        String key = repo + "/" + j.path("run_id").asText() + "/" + j.path("run_attempt").asInt(1);
        if (p.path("action").asText().equals("completed")
            && FAILED.contains(j.path("conclusion").asText())) {
          return new Expected(202, "accepted", key);
        }
        return new Expected(200, "ignored", null);
      }
      default -> {
        return new Expected(200, "ignored", null);
      }
    }
  }

  @Test
  void everyExampleOfEveryEventIsAnsweredAsItsFieldsSay() throws Exception {
    JsonNode index = index();
    Map<String, String> s = new HashMap<>(TestDatabases.h2(tmp));
    s.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    s.put("PITCREW_POLL_INTERVAL", "200ms");
    service = PitcrewService.start(PitcrewConfig.of(s), TestParts.rulesOnly(), "127.0.0.1", 0);
    Http http = new Http(service.port());

    Set<String> failedRuns = new HashSet<>();
    Set<String> passedRuns = new HashSet<>();
    List<String> wrong = new ArrayList<>();
    Map<String, Integer> perEvent = new TreeMap<>();
    int n = 0;
    for (JsonNode event : index) {
      String name = event.path("name").asText();
      for (JsonNode example : event.path("examples")) {
        byte[] body = JSON.writeValueAsBytes(example);
        Expected want = expected(name, example);
        // a second delivery of a failure already received (the job and the run) is a duplicate
        String state = want.state();
        if (want.status() == 202 && !failedRuns.add(want.runKey())) {
          want = new Expected(200, "duplicate", want.runKey());
        } else if (want.runKey() != null
            && want.runKey().startsWith("passed:")
            && !passedRuns.add(want.runKey())) {
          want = new Expected(200, "duplicate", want.runKey());
        }
        Http.Reply got = http.github(SECRET, name, "example-" + n++, body);
        String answer = got.status() + " " + got.json().path("status").asText();
        if (!answer.equals(want.status() + " " + want.state())) {
          wrong.add(
              name
                  + " #"
                  + n
                  + " ("
                  + example.path("action").asText("no action")
                  + "): expected "
                  + want.status()
                  + " "
                  + want.state()
                  + " (from "
                  + state
                  + "), got "
                  + got.status()
                  + " "
                  + got.text());
        }
        perEvent.merge(name, 1, Integer::sum);
      }
    }

    assertThat(perEvent).as("events in the index").hasSizeGreaterThanOrEqualTo(58);
    assertThat(perEvent).containsKeys("workflow_run", "workflow_job", "check_suite", "ping");
    assertThat(wrong).as("answers that differ from the payloads' own fields").isEmpty();
    assertThat(failedRuns).as("the examples include real failures").isNotEmpty();

    // every failure became exactly one incident; nothing else opened one
    await().atMost(Duration.ofSeconds(20)).until(() -> service.inbox().pending(50).isEmpty());
    var actions =
        service
            .incidents()
            .actions(
                new Incidents.Query(Optional.empty(), Optional.empty(), Optional.empty(), 500, 0));
    assertThat(actions).hasSize(failedRuns.size());
    System.out.println(
        "GitHubWebhookExamplesIT: "
            + n
            + " examples of "
            + perEvent.size()
            + " events, "
            + failedRuns.size()
            + " distinct failed runs");
  }
}
