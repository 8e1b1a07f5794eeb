package dev.pitcrew.cli;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.ForgeUrl;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.github.GitHubAuth;
import dev.pitcrew.forge.github.GitHubForge;
import dev.pitcrew.forge.github.GitHubMcpForge;
import dev.pitcrew.forge.gitlab.GitLabForge;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import dev.pitcrew.forge.http.Sleeper;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.LogSources;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a run, pipeline or job URL into the failed jobs' logs, each with the same job's log from
 * the last successful run of the workflow on the branch, for {@code pitcrew diagnose URL}.
 */
final class RemoteTargets {
  /** A log to diagnose and, when the forge has one, the passing log to compare it with. */
  record Target(LogSource log, Optional<LogSource> previous) {}

  private final Map<String, String> env;
  private final Clock clock;

  RemoteTargets(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  List<Target> resolve(String url) {
    Optional<ForgeUrl> parsed = ForgeUrl.parse(url);
    if (parsed.isEmpty()) {
      return List.of(
          failing(
              url,
              "not a GitHub Actions run or job URL (https://github.com/OWNER/REPO/actions/runs/ID"
                  + "[/job/JOB_ID]) nor a GitLab pipeline or job URL"
                  + " (https://HOST/GROUP/PROJECT/-/pipelines/ID or .../-/jobs/ID)"));
    }
    try {
      return resolve(url, parsed.get(), forge(parsed.get()));
    } catch (IOException | RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return List.of(failing(url, msg));
    }
  }

  private List<Target> resolve(String url, ForgeUrl u, Forge forge) throws IOException {
    Run run =
        u.runId() == null
            ? forge.runOfJob(u.repo(), u.jobId())
            : forge.run(new RunRef(u.repo(), u.runId(), u.attempt()));
    List<Run.Job> chosen = new ArrayList<>();
    for (Run.Job j : run.jobs()) {
      if (u.jobId() != null ? j.ref().jobId().equals(u.jobId()) : "failed".equals(j.outcome())) {
        chosen.add(j);
      }
    }
    if (chosen.isEmpty()) {
      return List.of(
          failing(
              url,
              u.jobId() != null
                  ? "job " + u.jobId() + " is not part of run " + run.ref().runId()
                  : "run "
                      + run.ref().runId()
                      + " has no failed jobs (it is "
                      + run.outcome()
                      + ")"));
    }
    Optional<Run> ok;
    try {
      ok = forge.lastSuccessfulRun(run);
    } catch (IOException e) {
      ok = Optional.empty(); // the comparison is a help, not a requirement
    }
    List<Target> out = new ArrayList<>();
    for (Run.Job j : chosen) {
      LogSource log = forge.jobLog(j.ref());
      LogSource named = j.url() == null ? log : renamed(log, j.url());
      Optional<LogSource> prev = Optional.empty();
      if (ok.isPresent()) {
        for (Run.Job pj : ok.get().jobs()) {
          if (pj.ref().name().equals(j.ref().name())) {
            prev = Optional.of(forge.jobLog(pj.ref()));
            break;
          }
        }
      }
      out.add(new Target(named, prev));
    }
    return out;
  }

  Forge forge(ForgeUrl u) {
    long cap = LogSources.DEFAULT_MAX_LOG_BYTES;
    String host = u.repo().host();
    if (u.provider() == Provider.GITHUB) {
      URI api = GitHubForge.apiBase(host, env);
      ForgeHttp http = http("GitHub");
      // with PITCREW_GITHUB_MCP_URL, runs, jobs and logs are read through GitHub's MCP server
      return GitHubMcpForge.maybeOver(
          new GitHubForge(api, host, GitHubAuth.fromEnv(env, http, api, clock), http, cap),
          env,
          cap);
    }
    return new GitLabForge(
        GitLabForge.apiBase(host, env), host, env.get("GITLAB_TOKEN"), http("GitLab"), cap);
  }

  private ForgeHttp http(String name) {
    return new ForgeHttp(
        name, ForgeHttp.defaultClient(), HttpPolicy.defaults(), clock, Sleeper.REAL);
  }

  private static LogSource renamed(LogSource log, String name) {
    return new LogSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() throws IOException {
        return log.open();
      }

      @Override
      public boolean truncated() {
        return log.truncated();
      }
    };
  }

  private static Target failing(String name, String why) {
    return new Target(
        new LogSource() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public InputStream open() throws IOException {
            throw new IOException(why);
          }
        },
        Optional.empty());
  }
}
