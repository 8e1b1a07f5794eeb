package dev.pitcrew.forge;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run, pipeline or job named by the URL a person copies from the browser: {@code
 * https://github.com/OWNER/REPO/actions/runs/ID[/attempts/N][/job/JOB]} (also on GitHub Enterprise
 * hosts), {@code https://HOST/GROUP/PROJECT/-/pipelines/ID} and {@code .../-/jobs/ID}.
 *
 * @param attempt the run attempt when the URL names one, else 0 (the latest)
 * @param runId null for a GitLab job URL, which does not name its pipeline
 * @param jobId null for a run or pipeline URL
 */
public record ForgeUrl(RepoRef repo, String runId, int attempt, String jobId) {
  private static final Pattern GITHUB =
      Pattern.compile(
          "^/([^/]+)/([^/]+)/actions/runs/(\\d+)(?:/attempts/(\\d+))?(?:/job/(\\d+))?/?$");
  private static final Pattern GITLAB_PIPELINE = Pattern.compile("^/(.+?)/-/pipelines/(\\d+)/?$");
  private static final Pattern GITLAB_JOB = Pattern.compile("^/(.+?)/-/jobs/(\\d+)/?$");

  public Provider provider() {
    return repo.provider();
  }

  /** The URL's meaning, or empty when it names no run, pipeline or job. */
  public static Optional<ForgeUrl> parse(String url) {
    URI u;
    try {
      u = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String host = u.getHost();
    String path = u.getPath();
    if (host == null || path == null || u.getScheme() == null) {
      return Optional.empty();
    }
    String h = host.toLowerCase(java.util.Locale.ROOT);
    Matcher m = GITHUB.matcher(path);
    if (m.matches()) {
      RepoRef repo = new RepoRef(Provider.GITHUB, h, m.group(1) + "/" + m.group(2));
      int attempt = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
      return Optional.of(new ForgeUrl(repo, m.group(3), attempt, m.group(5)));
    }
    m = GITLAB_PIPELINE.matcher(path);
    if (m.matches()) {
      return Optional.of(
          new ForgeUrl(new RepoRef(Provider.GITLAB, h, m.group(1)), m.group(2), 1, null));
    }
    m = GITLAB_JOB.matcher(path);
    if (m.matches()) {
      return Optional.of(
          new ForgeUrl(new RepoRef(Provider.GITLAB, h, m.group(1)), null, 1, m.group(2)));
    }
    return Optional.empty();
  }
}
