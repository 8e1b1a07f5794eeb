package dev.pitcrew.forge.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Installs public npm packages that contract tests need (Prism, GitHub's descriptions and payload
 * examples) under a folder of {@code target/}, so the tests run on a clone without the shared
 * fixtures. A test is skipped, saying why, only when npm is missing or the registry is unreachable;
 * any other failure fails it.
 */
public final class Npm {
  private Npm() {}

  /**
   * @param forWhat what the packages are for, in the skip message ("Prism")
   */
  public static void install(Path dir, List<String> packages, String forWhat) throws Exception {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund"));
    cmd.add("--prefix");
    cmd.add(dir.toString());
    cmd.addAll(packages);
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("npm-install.log").toFile())
              .start();
    } catch (IOException e) {
      Assumptions.abort("npm is not installed, so " + forWhat + " cannot be: " + e.getMessage());
      return;
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("npm install " + packages + " took over 10 minutes");
    }
    if (p.exitValue() != 0) {
      String log = Files.readString(dir.resolve("npm-install.log"));
      boolean offline =
          log.contains("ENOTFOUND")
              || log.contains("EAI_AGAIN")
              || log.contains("ECONNREFUSED")
              || log.contains("ETIMEDOUT")
              || log.contains("ENETUNREACH");
      Assumptions.assumeFalse(
          offline,
          "the npm registry is unreachable, so " + forWhat + " cannot be installed: " + tail(log));
      throw new IllegalStateException("npm install " + packages + " failed: " + tail(log));
    }
  }

  static String tail(String s) {
    return s.length() > 600 ? s.substring(s.length() - 600) : s;
  }
}
