package dev.pitcrew.web.dashboard;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How long {@code GET /}, {@code GET /actions?page=N} and {@code GET /api/stats} (the last 30 days,
 * through {@code pitcrew serve}'s own routes) take with many actions, in embedded H2 or in
 * PostgreSQL. A figure to watch, not a test: {@link DashboardBenchIT} prints it, so run
 *
 * <pre>
 * ./mvnw -B -o -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DashboardBenchIT \
 *     -Dbench.actions=100000 -Dbench.db=h2 verify      # or -Dbench.db=postgres
 * </pre>
 *
 * Before every request one action changes, as in a running service, so H2's result cache (which
 * serves a repeated query over an unchanged table) is not what is measured.
 */
public final class DashboardBench {
  /** Median milliseconds of each measured request. */
  record Figures(
      String db,
      int actions,
      double seedSeconds,
      double overviewMs,
      double overviewMaxMs,
      double overviewCpuMs,
      double deepPageMs,
      int bytes,
      double statsMs,
      double statsMaxMs,
      double statsCpuMs,
      double statsAllocatedMb) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "dashboard bench: %,d actions in %s (seeded in %.1f s): GET / median %.1f ms (slowest"
              + " %.1f ms, this JVM's CPU %.1f ms, %,d bytes), GET /actions?page=2000 median %.1f ms,"
              + " GET /api/stats median %.1f ms (slowest %.1f ms, this JVM's CPU %.1f ms,"
              + " allocating %.1f MB); load average %.1f on %d cores",
          actions,
          db,
          seedSeconds,
          overviewMs,
          overviewMaxMs,
          overviewCpuMs,
          bytes,
          deepPageMs,
          statsMs,
          statsMaxMs,
          statsCpuMs,
          statsAllocatedMb,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    }
  }

  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    System.out.println(run(args.length > 1 ? args[1] : "h2", n, 15));
  }

  static Figures run(int actions, int rounds) throws Exception {
    return run("h2", actions, rounds);
  }

  static Figures run(String db, int actions, int rounds) throws Exception {
    TestStore store =
        switch (db) {
          case "h2" -> TestStore.h2();
          case "postgres" -> TestStore.postgres();
          default -> throw new IllegalArgumentException("bench.db is h2 or postgres, not " + db);
        };
    try {
      return measure(db, store, actions, rounds);
    } finally {
      store.drop();
    }
  }

  private static Figures measure(String db, TestStore store, int actions, int rounds)
      throws Exception {
    Instant now = Instant.now();
    long t0 = System.nanoTime();
    store.seedMany(actions, now, 42);
    store.analyze();
    double seed = (System.nanoTime() - t0) / 1e9;
    SqlDashboardData data = new SqlDashboardData(store.db, Clock.systemUTC(), TestStore.EFFORT);
    if (Boolean.getBoolean("bench.breakdown")) {
      System.out.printf(
          Locale.ROOT,
          "  trend %.1f ms, categories %.1f ms, timeSaved %.1f ms, pending %.1f ms, recent %.1f ms,"
              + " playbooks %.1f ms%n",
          median(5, () -> data.failureTrend(30)),
          median(5, data::categories),
          median(5, data::timeSaved),
          median(5, () -> data.pendingApprovals(50)),
          median(5, () -> data.recentActions(1, 10)),
          median(5, data::playbooks));
    }
    Dashboard d = new Dashboard(data, Optional.empty());
    Javalin app = Javalin.create(cfg -> d.routes().accept(cfg)).start("127.0.0.1", 0);
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + app.port();
      int deep = Math.max(1, Math.min(2000, actions / ActionsPage.SIZE));
      int[] bytes = {0};
      double[] cpu = new double[rounds];
      double[] overview =
          times(
              cpu,
              () -> {
                store.touch();
                return () -> bytes[0] = get(http, base + "/").length();
              });
      double page =
          times(
              new double[rounds],
              () -> {
                store.touch();
                return () -> get(http, base + "/actions?page=" + deep);
              })[rounds / 2];
      double[] statsCpu = new double[rounds];
      double[] statsAllocated = new double[rounds];
      double[] stats = stats(store, statsCpu, statsAllocated);
      return new Figures(
          db,
          actions,
          seed,
          overview[rounds / 2],
          overview[rounds - 1],
          cpu[rounds / 2],
          page,
          bytes[0],
          stats[rounds / 2],
          stats[rounds - 1],
          statsCpu[rounds / 2],
          statsAllocated[rounds / 2]);
    } finally {
      app.stop();
    }
  }

  /**
   * {@code GET /api/stats} of a service started over the bench's database, as in production; {@code
   * allocated} gets the sorted megabytes this JVM allocated for each request (all threads: H2 runs
   * in-process), the memory that loading whole records costs.
   */
  private static double[] stats(TestStore store, double[] cpu, double[] allocated)
      throws Exception {
    var threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int[] round = {-1}; // the first call is the warm-up
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("stats-bench");
    java.util.Map<String, String> settings = new java.util.HashMap<>(store.serviceSettings());
    settings.put("PITCREW_DATA_DIR", dir.toString());
    settings.put("PITCREW_API_TOKEN", "bench-token");
    var playbooks = dev.pitcrew.playbook.PlaybookLoader.loadDefault(java.util.List.of());
    var parts =
        new dev.pitcrew.cli.PitcrewService.Parts(
            java.util.List.of(),
            Optional.empty(),
            Optional.empty(),
            java.util.List.of(),
            new dev.pitcrew.diagnosis.Diagnoser(
                new dev.pitcrew.diagnosis.rules.RuleEngine(playbooks.catalog()),
                java.util.List.of()),
            playbooks.catalog(),
            Clock.systemUTC());
    try (var service =
        dev.pitcrew.cli.PitcrewService.start(
            dev.pitcrew.config.PitcrewConfig.of(settings), parts, "127.0.0.1", 0)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/api/stats"))
              .header("Authorization", "Bearer bench-token")
              .build();
      double[] ms =
          times(
              cpu,
              () -> {
                store.touch();
                return () -> {
                  long bytes = threads.getTotalThreadAllocatedBytes();
                  HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                  bytes = threads.getTotalThreadAllocatedBytes() - bytes;
                  if (r.statusCode() != 200 || !r.body().contains("\"time_to_remediation\"")) {
                    throw new IllegalStateException("/api/stats answered " + r.statusCode());
                  }
                  if (round[0] >= 0) {
                    allocated[round[0]] = bytes / 1e6;
                  }
                  round[0]++;
                };
              });
      Arrays.sort(allocated);
      return ms;
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private interface Prepared {
    Call prepare() throws Exception;
  }

  /**
   * Sorted wall milliseconds of {@code cpu.length} timed calls, each prepared (untimed) first;
   * {@code cpu} gets the sorted CPU milliseconds this JVM spent on each (the whole request with H2,
   * which runs in-process; a figure that a busy machine does not inflate).
   */
  private static double[] times(double[] cpu, Prepared prepared) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    prepared.prepare().run(); // warm-up
    int rounds = cpu.length;
    double[] ms = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      Call call = prepared.prepare();
      long c = os.getProcessCpuTime();
      long t = System.nanoTime();
      call.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
      cpu[i] = (os.getProcessCpuTime() - c) / 1e6;
    }
    Arrays.sort(ms);
    Arrays.sort(cpu);
    return ms;
  }

  private static double median(int rounds, Call call) throws Exception {
    call.run(); // warm-up
    double[] ms = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      call.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms[rounds / 2];
  }

  private static String get(HttpClient http, String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode());
    }
    return r.body();
  }
}
