package dev.pitcrew.forge.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Turns GitLab Pipeline Hook and Job Hook payloads into {@link CiEvent}s. A GitLab retry keeps the
 * pipeline id, so every event of one pipeline has attempt 1 (see {@link RunRef}).
 */
public final class GitLabEvents {
  private static final DateTimeFormatter GITLAB_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

  private GitLabEvents() {}

  public static CiEvent normalise(JsonNode p) {
    String kind = p.path("object_kind").asText("");
    return switch (kind) {
      case "pipeline" -> pipeline(p);
      case "build" -> job(p);
      case "" -> throw new IllegalArgumentException("the payload has no 'object_kind'");
      default -> new CiEvent.Ignored(null, "GitLab '" + kind + "' events are not about CI runs");
    };
  }

  private static CiEvent pipeline(JsonNode p) {
    JsonNode a = required(p, "object_attributes");
    JsonNode project = required(p, "project");
    RepoRef repo =
        new RepoRef(
            Provider.GITLAB,
            host(project.path("web_url").asText("")),
            text(project, "path_with_namespace"),
            project.path("id").asText(null));
    RunRef run = new RunRef(repo, text(a, "id"), 1);
    String status = a.path("status").asText("");
    Instant at = time(a.path("finished_at").asText(""));
    String url =
        a.path("url").asText(project.path("web_url").asText() + "/-/pipelines/" + run.runId());
    if (status.equals("success")) {
      return new CiEvent.RunSucceeded(run, a.path("ref").asText(), a.path("sha").asText(), url, at);
    }
    if (!status.equals("failed")) {
      return new CiEvent.Ignored(run, "the pipeline is " + status + ", not failed");
    }
    String failedJob = null;
    for (JsonNode b : p.path("builds")) {
      if (b.path("status").asText().equals("failed") && !b.path("allow_failure").asBoolean(false)) {
        failedJob = b.path("id").asText();
        break;
      }
    }
    JsonNode mr = p.path("merge_request");
    boolean fork =
        mr.isObject()
            && mr.hasNonNull("source_project_id")
            && !mr.path("source_project_id").asText().equals(mr.path("target_project_id").asText());
    return new CiEvent.RunFailed(
        run,
        a.path("ref").asText(),
        a.path("sha").asText(),
        a.path("source").asText(null),
        url,
        p.path("user").path("username").asText(""),
        fork,
        failedJob,
        at,
        fork ? Optional.empty() : mergeRequest(repo, mr, project.path("web_url").asText("")));
  }

  /**
   * The merge request of a merge-request pipeline, from the hook's {@code merge_request} object;
   * the number is the project-scoped {@code iid} that the notes API takes.
   */
  static Optional<PullRequest> mergeRequest(RepoRef repo, JsonNode mr, String projectPage) {
    if (!mr.isObject() || !mr.hasNonNull("iid")) {
      return Optional.empty();
    }
    String iid = mr.path("iid").asText();
    String state = mr.path("state").asText("opened");
    return Optional.of(
        new PullRequest(
            repo,
            iid,
            mr.path("url").asText(projectPage + "/-/merge_requests/" + iid),
            mr.path("source_branch").asText(null),
            mr.path("target_branch").asText(null),
            "opened".equals(state) ? "open" : state));
  }

  private static CiEvent job(JsonNode p) {
    JsonNode project = p.path("project");
    String path =
        project.hasNonNull("path_with_namespace")
            ? project.get("path_with_namespace").asText()
            : text(p, "project_name").replace(" ", "");
    String web = project.path("web_url").asText(p.path("repository").path("homepage").asText(""));
    RepoRef repo = new RepoRef(Provider.GITLAB, host(web), path, p.path("project_id").asText(null));
    RunRef run = new RunRef(repo, text(p, "pipeline_id"), 1);
    String status = p.path("build_status").asText("");
    if (!status.equals("failed")) {
      return new CiEvent.Ignored(run, "the job is " + status + ", not failed");
    }
    if (p.path("build_allow_failure").asBoolean(false)) {
      return new CiEvent.Ignored(run, "the job failed but is allowed to fail");
    }
    return new CiEvent.RunFailed(
        run,
        p.path("ref").asText(),
        p.path("sha").asText(),
        null,
        web + "/-/pipelines/" + run.runId(),
        p.path("user").path("username").asText(p.path("user").path("name").asText("")),
        false,
        text(p, "build_id"),
        time(p.path("build_finished_at_iso").asText(p.path("build_finished_at").asText(""))));
  }

  private static String host(String webUrl) {
    if (webUrl.isEmpty()) {
      throw new IllegalArgumentException(
          "the payload has no project web_url to tell the GitLab host");
    }
    try {
      String h = URI.create(webUrl).getHost();
      if (h == null) {
        throw new IllegalArgumentException("project web_url has no host: " + webUrl);
      }
      int port = URI.create(webUrl).getPort();
      return port > 0 ? h + ":" + port : h;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("project web_url is not a URL: " + webUrl, e);
    }
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

  private static Instant time(String s) {
    if (s == null || s.isEmpty() || s.equals("null")) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(s, GITLAB_TIME).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("not a timestamp: " + s);
      }
    }
  }
}
