package dev.pitcrew.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.local.LocalForge;
import dev.pitcrew.incident.IncidentWorkflow;
import dev.pitcrew.lab.DemoReport;
import dev.pitcrew.lab.Lab;
import dev.pitcrew.lab.Scenario;
import dev.pitcrew.lab.ScenarioCatalog;
import dev.pitcrew.lab.SlackReceiver;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.Incident;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pitcrew demo}: every lab scenario through the production loop on this machine. A local
 * forge runs the broken pipelines and sends signed GitHub-format webhooks to an in-process {@code
 * pitcrew serve} on a fresh embedded database, which diagnoses, plans, judges, applies, verifies
 * and notifies with whatever remediation, policy and notifiers this build has. The table and the
 * report are read back from the service's execution-history records.
 */
@Command(
    name = "demo",
    description =
        "Run every lab scenario through the whole loop (local forge → webhook → diagnosis → fix →"
            + " re-run → record → notify) and print what happened.",
    mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here.")
  Path report;

  @Option(
      names = "--keep-running",
      description = "Leave the server and dashboard up at http://localhost:8002 afterwards.")
  boolean keepRunning;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description = "Run only these scenarios (repeatable); default: all.")
  List<String> only;

  @Option(
      names = "--port",
      description = "The server's port (default 8002 with --keep-running, otherwise a free one).")
  Integer port;

  @Option(
      names = "--lab-dir",
      paramLabel = "DIR",
      description = "Where the repositories, runs and database go (default: a new temp folder).")
  Path labDir;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "How long to wait for all incidents to settle (default ${DEFAULT-VALUE}).")
  int timeoutSeconds = 600;

  private final CliContext ctx;

  DemoCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Scenario> scenarios = selected(ScenarioCatalog.shipped());
    Path dir = labDir != null ? labDir : Files.createTempDirectory("pitcrew-demo-");
    if (Files.exists(dir.resolve("forge"))) {
      throw new IllegalArgumentException(
          dir + " holds an earlier demo; pass an empty --lab-dir or none");
    }
    int p = port != null ? port : keepRunning ? 8002 : freePort();
    String secret = random();
    Map<String, String> settings = new LinkedHashMap<>(ctx.env());
    settings.put("PITCREW_DATA_DIR", dir.resolve("data").toString());
    // a fresh embedded database for every demo, whatever the environment says
    settings.put("PITCREW_DB_URL", "jdbc:h2:file:" + dir.resolve("data/pitcrew").toAbsolutePath());
    settings.remove("PITCREW_DB_USER");
    settings.remove("PITCREW_DB_PASSWORD");
    settings.put("PITCREW_GITHUB_WEBHOOK_SECRET", secret);
    settings.putIfAbsent("PITCREW_VERIFY_POLL_INTERVAL", "2s");
    settings.putIfAbsent("PITCREW_RETRY_BASE_DELAY", "1s");
    settings.putIfAbsent("PITCREW_POLL_INTERVAL", "200ms");
    settings.put("PITCREW_PUBLIC_URL", "http://localhost:" + p);
    // with no Slack webhook configured, notifications go to a Slack receiver on loopback, so the
    // table shows what each scenario really delivered
    Optional<SlackReceiver> receiver = Optional.empty();
    String slack = settings.get("PITCREW_SLACK_WEBHOOK_URL");
    if (slack == null || slack.isBlank()) {
      receiver = Optional.of(new SlackReceiver());
      settings.put("PITCREW_SLACK_WEBHOOK_URL", receiver.get().url());
    }
    try {
      return run(out, scenarios, dir, p, secret, settings, receiver);
    } finally {
      receiver.ifPresent(SlackReceiver::close);
    }
  }

  private Integer run(
      PrintWriter out,
      List<Scenario> scenarios,
      Path dir,
      int p,
      String secret,
      Map<String, String> settings,
      Optional<SlackReceiver> receiver)
      throws Exception {
    PitcrewConfig config = PitcrewConfig.of(settings);

    String base = "http://localhost:" + p + "/lab";
    LocalForge.Options options =
        Lab.runnerOptions(LocalForge.Options.defaults())
            .withWebBase(base, base + "/api")
            .presentedAs(Provider.GITHUB)
            .withWebhook(URI.create("http://127.0.0.1:" + p + "/webhooks/github"), secret);
    var playbooks = ctx.playbooks();
    try (LocalForge forge = new LocalForge(dir.resolve("forge"), options);
        Lab lab = new Lab(forge)) {
      PitcrewService.Parts parts =
          new PitcrewService.Parts(
              List.of(forge),
              ctx.remediation(),
              Optional.of(ctx.riskPolicy()),
              ctx.notifiers(config, List.of(forge)),
              ctx.diagnoser(true),
              playbooks.catalog(),
              Clock.systemUTC());
      PitcrewService service = PitcrewService.start(config, parts, "127.0.0.1", p);
      try {
        out.printf(
            "pitcrew demo: %d scenarios, service on http://localhost:%d, lab in %s%n",
            scenarios.size(), service.port(), dir);
        out.println(describeParts(parts));
        receiver.ifPresent(
            r ->
                out.println(
                    "  no Slack webhook configured: notifications go to the demo's receiver at"
                        + " http://127.0.0.1:"
                        + URI.create(r.url()).getPort()));
        out.flush();
        Map<Scenario, RunRef> started = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
          Lab.Prepared prepared = lab.prepare(s);
          List<RunRef> runs = lab.start(prepared);
          started.put(s, runs.get(0));
        }
        List<DemoReport.Row> rows = await(service, started, out);
        if (receiver.isPresent()) {
          rows = counted(rows, started, receiver.get());
        }
        rows = audited(rows, started, service);
        DemoReport result = new DemoReport(rows);
        out.println();
        result.print(out);
        if (report != null) {
          Json.MAPPER
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValue(report.toFile(), result.json());
          out.println("report written to " + report);
        }
        out.flush();
        if (keepRunning) {
          out.println(
              "the server and dashboard stay up at http://localhost:"
                  + service.port()
                  + "; Ctrl-C stops them");
          out.flush();
          CountDownLatch stop = new CountDownLatch(1);
          Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
          stop.await();
        }
        return 0;
      } finally {
        service.close();
      }
    }
  }

  private List<Scenario> selected(List<Scenario> all) {
    if (only == null || only.isEmpty()) {
      return all;
    }
    List<Scenario> out = new ArrayList<>();
    for (String n : only) {
      out.add(
          all.stream()
              .filter(s -> s.name().equals(n))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no scenario '"
                              + n
                              + "'; the lab has "
                              + String.join(", ", all.stream().map(Scenario::name).toList()))));
    }
    return out;
  }

  /** Waits until every scenario's incident has settled (done, or waiting for a person). */
  private List<DemoReport.Row> await(
      PitcrewService service, Map<Scenario, RunRef> started, PrintWriter out)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(timeoutSeconds));
    Map<Scenario, DemoReport.Row> done = new LinkedHashMap<>();
    while (done.size() < started.size() && Instant.now().isBefore(deadline)) {
      for (var e : started.entrySet()) {
        if (done.containsKey(e.getKey())) {
          continue;
        }
        Optional<String> id = service.incidents().idForRun(e.getValue().key());
        Optional<Incident> inc = id.flatMap(service.incidents()::incident);
        if (inc.isPresent() && settled(inc.get().step())) {
          Optional<ActionRecord> a = service.incidents().action(id.get());
          DemoReport.Row row = DemoReport.row(e.getKey(), a);
          done.put(e.getKey(), row);
          out.printf(
              "  %-32s %s → %s (%s)%n",
              row.name(), row.diagnosedCategory(), row.action(), row.status());
          out.flush();
        }
      }
      Thread.sleep(500);
    }
    List<DemoReport.Row> rows = new ArrayList<>();
    for (var e : started.entrySet()) {
      if (done.containsKey(e.getKey())) {
        rows.add(done.get(e.getKey()));
        continue;
      }
      Optional<String> id = service.incidents().idForRun(e.getValue().key());
      DemoReport.Row row = DemoReport.row(e.getKey(), id.flatMap(service.incidents()::action));
      rows.add(row);
    }
    return rows;
  }

  /**
   * The rows with the deliveries the receiver counted per scenario, after waiting a little for
   * notifications still in flight (a sink retries with backoff).
   */
  private static List<DemoReport.Row> counted(
      List<DemoReport.Row> rows, Map<Scenario, RunRef> started, SlackReceiver receiver)
      throws InterruptedException {
    List<Scenario> scenarios = new ArrayList<>(started.keySet());
    Instant until = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(until)
        && scenarios.stream().anyMatch(s -> receiver.deliveriesFor(s.repository()) == 0)) {
      Thread.sleep(250);
    }
    List<DemoReport.Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(
          rows.get(i)
              .withNotificationsReceived(receiver.deliveriesFor(scenarios.get(i).repository())));
    }
    return out;
  }

  /** The rows with the audit events the service recorded for each scenario's incident. */
  private static List<DemoReport.Row> audited(
      List<DemoReport.Row> rows, Map<Scenario, RunRef> started, PitcrewService service) {
    List<RunRef> runs = new ArrayList<>(started.values());
    List<DemoReport.Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      List<String> events =
          service
              .incidents()
              .idForRun(runs.get(i).key())
              .map(id -> service.audit().trail(id).stream().map(e -> e.event()).toList())
              .orElse(List.of());
      out.add(rows.get(i).withAuditEvents(events));
    }
    return out;
  }

  private static boolean settled(String step) {
    return step.equals(IncidentWorkflow.DONE) || step.equals(IncidentWorkflow.AWAITING_APPROVAL);
  }

  private static String describeParts(PitcrewService.Parts parts) {
    return "  remediation: "
        + (parts.remediation().isPresent() ? "installed" : "none in this build (diagnosis only)")
        + "; risk policy: "
        + (parts.policy().isPresent() ? "installed" : "none (every plan waits for a person)")
        + "; notifiers: "
        + (parts.notifiers().isEmpty()
            ? "none"
            : String.join(", ", parts.notifiers().stream().map(n -> n.name()).toList()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String random() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
