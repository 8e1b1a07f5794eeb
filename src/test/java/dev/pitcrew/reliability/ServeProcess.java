package dev.pitcrew.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Pitcrew server in its own JVM, as an operator runs it: {@code java -jar pitcrew-*-all.jar
 * serve} (the shaded jar that {@code package} built; the test classpath when there is none), or a
 * {@link dev.pitcrew.service.ReplicaMain} replica whose forge lives in database tables. The
 * environment is built from scratch, so no token or URL of the developer's shell reaches it and it
 * cannot call a real forge. Its output goes to a log file under {@code target/reliability/}.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("serving on http://[^:]+:(\\d+)");
  private static final Pattern READY = Pattern.compile("^READY (\\d+)", Pattern.MULTILINE);

  private final Process process;
  private final Path log;
  private final int port;

  private ServeProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  static Path outputDir() throws IOException {
    return Files.createDirectories(Path.of("target", "reliability"));
  }

  /** {@code pitcrew serve} on a free loopback port, with {@code settings} as its whole config. */
  static ServeProcess serve(String name, Path workDir, Map<String, String> settings, String heap)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-XX:+UseG1GC"));
    cmd.add("--enable-native-access=ALL-UNNAMED");
    // -Dpitcrew.serve.jvm-args='-XX:StartFlightRecording=filename=target/x.jfr' to profile a run
    String extra = System.getProperty("pitcrew.serve.jvm-args", "").strip();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    Path jar = shadedJar();
    if (jar != null) {
      cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.pitcrew.Pitcrew"));
    }
    cmd.addAll(List.of("serve", "--host", "127.0.0.1", "--port", "0"));
    return start(name, workDir, settings, cmd, SERVING);
  }

  /** A {@code ReplicaMain} replica (service with the table forge) on a free loopback port. */
  static ServeProcess replica(String name, Path workDir, Map<String, String> settings)
      throws IOException, InterruptedException {
    Map<String, String> s = new HashMap<>(settings);
    s.put("PITCREW_REPLICA_NAME", name);
    List<String> cmd =
        List.of(
            java(),
            "-Xmx512m",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.pitcrew.service.ReplicaMain");
    return start(name, workDir, s, cmd, READY);
  }

  private static ServeProcess start(
      String name, Path workDir, Map<String, String> settings, List<String> cmd, Pattern ready)
      throws IOException, InterruptedException {
    Path log = outputDir().resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    pb.environment().put("HOME", workDir.toString());
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().putAll(settings);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = ready.matcher(out);
      if (m.find()) {
        return new ServeProcess(p, log, Integer.parseInt(m.group(1)));
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + p.exitValue() + " before it served:\n" + tail(out));
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        name + " did not start within 90 s:\n" + tail(Files.readString(log)));
  }

  private static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path shadedJar() throws IOException {
    Path target = Path.of("target");
    if (!Files.isDirectory(target)) {
      return null;
    }
    try (Stream<Path> s = Files.list(target)) {
      return s.filter(p -> p.getFileName().toString().matches("pitcrew-.*-all\\.jar"))
          .findFirst()
          .orElse(null);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as an orchestrator stops it; waits for the shutdown hook to close the database. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
