package dev.pitcrew.cli;

import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.github.GitHubAuth;
import dev.pitcrew.forge.github.GitHubForge;
import dev.pitcrew.forge.github.GitHubMcpForge;
import dev.pitcrew.forge.gitlab.GitLabForge;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import dev.pitcrew.forge.http.Sleeper;
import dev.pitcrew.notify.NotifyConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    description =
        "Run the service: webhooks, durable jobs, the API, /health and /metrics (port 8002).",
    mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", description = "Port to listen on (default: PITCREW_PORT or 8002).")
  Integer port;

  @Option(
      names = "--host",
      description = "Address to listen on (default: PITCREW_HOST or 0.0.0.0).")
  String host;

  @Option(names = "--print-config", description = "Print the settings (secrets masked) and exit.")
  boolean printConfig;

  private final CliContext ctx;

  ServeCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** The forges whose credentials are configured; the others stay off (see /health). */
  static List<Forge> forges(PitcrewConfig config) {
    List<Forge> out = new ArrayList<>();
    long logCap = config.integer("PITCREW_MAX_LOG_MB", 64) * 1024L * 1024L;
    long reportCap =
        config.integer("PITCREW_MAX_TEST_REPORTS_MB", (int) (GitHubForge.DEFAULT_REPORT_CAP >> 20))
            * 1024L
            * 1024L;
    Map<String, String> env = new HashMap<>();
    config.get("PITCREW_GITHUB_API_URL").ifPresent(v -> env.put("PITCREW_GITHUB_API_URL", v));
    config.get("PITCREW_GITLAB_API_URL").ifPresent(v -> env.put("PITCREW_GITLAB_API_URL", v));
    // area: forge — reading GitHub runs, jobs and logs through GitHub's MCP server (ADR 0012)
    for (String k :
        List.of(
            "PITCREW_GITHUB_MCP_URL",
            "PITCREW_GITHUB_MCP_TOKEN",
            "PITCREW_GITHUB_MCP_LOG_LINES",
            "GITHUB_TOKEN")) {
      config.get(k).ifPresent(v -> env.put(k, v));
    }
    config
        .get("GITHUB_TOKEN")
        .ifPresent(
            t -> {
              String host = config.get("PITCREW_GITHUB_HOST", "github.com");
              out.add(
                  GitHubMcpForge.maybeOver(
                      new GitHubForge(
                          GitHubForge.apiBase(host, env),
                          host,
                          GitHubAuth.token(t),
                          new ForgeHttp(
                              "github",
                              ForgeHttp.defaultClient(),
                              HttpPolicy.defaults(),
                              Clock.systemUTC(),
                              Sleeper.REAL),
                          logCap,
                          reportCap),
                      env,
                      logCap));
            });
    config
        .get("GITLAB_TOKEN")
        .ifPresent(
            t -> {
              String host = config.get("PITCREW_GITLAB_HOST", "gitlab.com");
              out.add(
                  new GitLabForge(
                      GitLabForge.apiBase(host, env),
                      host,
                      t,
                      new ForgeHttp(
                          "gitlab",
                          ForgeHttp.defaultClient(),
                          HttpPolicy.defaults(),
                          Clock.systemUTC(),
                          Sleeper.REAL),
                      logCap));
            });
    return out;
  }

  @Override
  public Integer call() throws Exception {
    PitcrewConfig config = PitcrewConfig.load(ctx.env(), Path.of("."));
    if (printConfig) {
      spec.commandLine().getOut().print(config);
      spec.commandLine().getOut().flush();
      return 0;
    }
    var playbooks = ctx.playbooks();
    for (String e : playbooks.errors()) {
      spec.commandLine().getErr().println("pitcrew: playbook skipped: " + e);
    }
    // notifications: every configured sink behind one retrying, secret-scrubbing fan-out
    NotifyConfig notify = NotifyConfig.fromLookup(config::get);
    for (String e : notify.problems()) {
      spec.commandLine().getErr().println("pitcrew: notifications: " + e);
    }
    List<Forge> forgeList = forges(config);
    PitcrewService.Parts parts =
        new PitcrewService.Parts(
            forgeList,
            ctx.remediation(),
            java.util.Optional.of(ctx.riskPolicy()),
            List.of(notify.build(forgeList, Executors.newVirtualThreadPerTaskExecutor())),
            ctx.diagnoser(true),
            playbooks.catalog(),
            Clock.systemUTC());
    String h = host != null ? host : config.get("PITCREW_HOST", "0.0.0.0");
    int p = port != null ? port : config.port();
    PitcrewService service = PitcrewService.start(config, parts, h, p);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  stopped.countDown();
                }));
    spec.commandLine().getOut().println("pitcrew: serving on http://" + h + ":" + service.port());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
