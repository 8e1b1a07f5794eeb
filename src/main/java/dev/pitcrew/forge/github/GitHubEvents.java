package dev.pitcrew.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Turns GitHub webhook payloads ({@code workflow_run}, {@code workflow_job}, {@code check_suite},
 * {@code ping}) into {@link CiEvent}s. Only this adapter knows GitHub's words; a payload that does
 * not have the fields of its event is a {@link IllegalArgumentException} with the missing field.
 */
public final class GitHubEvents {
  private static final Set<String> FAILED = Set.of("failure", "timed_out", "startup_failure");

  private GitHubEvents() {}

  public static CiEvent normalise(String event, JsonNode p) {
    return switch (event) {
      case "workflow_run" -> workflowRun(p);
      case "workflow_job" -> workflowJob(p);
      case "check_suite" -> checkSuite(p);
      case "ping" -> new CiEvent.Ignored(null, "ping: the webhook is set up");
      default -> new CiEvent.Ignored(null, "event '" + event + "' is not about CI runs");
    };
  }

  private static CiEvent workflowRun(JsonNode p) {
    JsonNode r = required(p, "workflow_run");
    RepoRef repo = repo(p);
    RunRef run = new RunRef(repo, text(r, "id"), r.path("run_attempt").asInt(1));
    String action = p.path("action").asText();
    String conclusion = r.path("conclusion").asText("");
    if (!action.equals("completed") || !r.path("status").asText().equals("completed")) {
      return new CiEvent.Ignored(
          run, "the run is " + r.path("status").asText(action) + ", not completed");
    }
    Instant at = time(r, "updated_at");
    if (conclusion.equals("success")) {
      return new CiEvent.RunSucceeded(
          run,
          r.path("head_branch").asText(),
          r.path("head_sha").asText(),
          r.path("html_url").asText(),
          at);
    }
    if (!FAILED.contains(conclusion)) {
      return new CiEvent.Ignored(run, "the run ended '" + conclusion + "', which is not a failure");
    }
    String headRepo = r.path("head_repository").path("full_name").asText(repo.fullName());
    JsonNode actor = r.hasNonNull("triggering_actor") ? r.get("triggering_actor") : r.path("actor");
    return new CiEvent.RunFailed(
        run,
        r.path("head_branch").asText(),
        r.path("head_sha").asText(),
        r.path("path").asText(r.path("workflow_id").asText()),
        r.path("html_url").asText(),
        actor.path("login").asText(p.path("sender").path("login").asText()),
        !headRepo.equalsIgnoreCase(repo.fullName()),
        null,
        at,
        pullRequest(
            repo,
            r,
            p.path("repository")
                .path("html_url")
                .asText("https://" + repo.host() + "/" + repo.fullName())));
  }

  /**
   * The pull request a run belongs to, from the run's {@code pull_requests} (in a delivery and in
   * {@code GET .../actions/runs/{id}} alike): the one whose head is the run's commit, else the
   * first. Entries whose base is another repository (a fork's own requests) are not ours.
   *
   * @param repoPage the repository's web page, for the request's link
   */
  public static Optional<PullRequest> pullRequest(RepoRef repo, JsonNode run, String repoPage) {
    JsonNode prs = run.path("pull_requests");
    if (!prs.isArray() || prs.isEmpty()) {
      return Optional.empty();
    }
    JsonNode chosen = null;
    for (JsonNode pr : prs) {
      // a fork's run can list the fork's own requests: a number is only ours if its base is us
      String base = pr.path("base").path("repo").path("url").asText("");
      if (!base.isEmpty()
          && !base.toLowerCase(java.util.Locale.ROOT)
              .endsWith("/repos/" + repo.fullName().toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      if (chosen == null
          || pr.path("head").path("sha").asText("").equals(run.path("head_sha").asText())) {
        chosen = pr;
      }
    }
    String number = chosen == null ? "" : chosen.path("number").asText("");
    if (number.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new PullRequest(
            repo,
            number,
            repoPage + "/pull/" + number,
            chosen.path("head").path("ref").asText(null),
            chosen.path("base").path("ref").asText(null),
            // the run lists only open requests
            "open"));
  }

  private static CiEvent workflowJob(JsonNode p) {
    JsonNode j = required(p, "workflow_job");
    RepoRef repo = repo(p);
    RunRef run = new RunRef(repo, text(j, "run_id"), j.path("run_attempt").asInt(1));
    if (!p.path("action").asText().equals("completed")) {
      return new CiEvent.Ignored(
          run, "the job is " + p.path("action").asText() + ", not completed");
    }
    String conclusion = j.path("conclusion").asText("");
    if (!FAILED.contains(conclusion)) {
      // a passing job says nothing about the run: other jobs may still fail
      return new CiEvent.Ignored(run, "a job ended '" + conclusion + "'; the run's result decides");
    }
    String runUrl =
        p.path("repository")
                .path("html_url")
                .asText("https://" + repo.host() + "/" + repo.fullName())
            + "/actions/runs/"
            + run.runId();
    return new CiEvent.RunFailed(
        run,
        j.path("head_branch").asText(),
        j.path("head_sha").asText(),
        j.path("workflow_name").asText(null),
        runUrl,
        p.path("sender").path("login").asText(),
        false,
        text(j, "id"),
        time(j, "completed_at"));
  }

  private static CiEvent checkSuite(JsonNode p) {
    JsonNode s = required(p, "check_suite");
    String app = s.path("app").path("slug").asText("an app");
    // GitHub Actions reports the same failure as workflow_run, which carries the run id we need
    return new CiEvent.Ignored(
        null,
        "check suite "
            + s.path("id").asText()
            + " from "
            + app
            + " "
            + s.path("conclusion").asText(s.path("status").asText())
            + "; Pitcrew acts on workflow_run and workflow_job");
  }

  static RepoRef repo(JsonNode p) {
    JsonNode r = required(p, "repository");
    String full = text(r, "full_name");
    String host = "github.com";
    String html = r.path("html_url").asText("");
    if (!html.isEmpty()) {
      try {
        host = URI.create(html).getHost();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("repository.html_url is not a URL: " + html);
      }
    }
    return new RepoRef(Provider.GITHUB, host, full);
  }

  private static JsonNode required(JsonNode p, String field) {
    JsonNode n = p.get(field);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("the payload has no '" + field + "' object");
    }
    return n;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("the payload has no '" + field + "'");
    }
    return v.asText();
  }

  private static Instant time(JsonNode n, String field) {
    String s = n.path(field).asText("");
    try {
      return s.isEmpty() ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + field + "' is not a timestamp: " + s);
    }
  }
}
