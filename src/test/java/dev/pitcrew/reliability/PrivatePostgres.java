package dev.pitcrew.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL 15 server of the test's own, in a temporary folder on a free loopback port, so a
 * test can stop and start it without touching the machine's shared cluster on 5432. Made with the
 * installed {@code initdb} and {@code pg_ctl}; PostgreSQL refuses to run as root, so as root they
 * run as the {@code postgres} user through {@code runuser}.
 */
final class PrivatePostgres implements AutoCloseable {
  static final Path BIN =
      Path.of(System.getenv().getOrDefault("PITCREW_PG_BIN", "/usr/lib/postgresql/15/bin"));

  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  private PrivatePostgres(Path dir, int port, boolean asPostgres) {
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** Creates the cluster and starts it; skips the test (with the reason) when it cannot. */
  static PrivatePostgres start() throws IOException, InterruptedException {
    if (!Files.isExecutable(BIN.resolve("initdb"))) {
      abort("no PostgreSQL server binaries at " + BIN + " (set PITCREW_PG_BIN)");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("pitcrew-pg-");
    if (root) {
      run(List.of("chown", "postgres:", dir.toString()), null);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PrivatePostgres pg = new PrivatePostgres(dir, port, root);
    pg.pg(
        List.of(
            BIN.resolve("initdb").toString(),
            "-D",
            pg.data(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync"));
    pg.startServer();
    return pg;
  }

  private static void abort(String why) {
    if (System.getenv("CI") != null) {
      throw new IllegalStateException(why);
    }
    Assumptions.abort(why);
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** {@code pg_ctl start}, waiting until it accepts connections. */
  void startServer() throws IOException, InterruptedException {
    pg(
        List.of(
            BIN.resolve("pg_ctl").toString(),
            "-D",
            data(),
            "-l",
            dir.resolve("server.log").toString(),
            "-o",
            "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir,
            "-w",
            "-t",
            "60",
            "start"));
  }

  /**
   * {@code pg_ctl stop -m fast}: every session is disconnected, the server is down when it returns.
   */
  void stop() throws IOException, InterruptedException {
    pg(List.of(BIN.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "stop"));
  }

  private void pg(List<String> cmd) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(cmd);
    run(full, dir);
  }

  private static void run(List<String> cmd, Path cwd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (cwd != null) {
      pb.directory(cwd.toFile());
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
  }

  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        stop();
      }
    } catch (IOException | InterruptedException | IllegalStateException e) {
      // best effort: the folder goes either way
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }
}
