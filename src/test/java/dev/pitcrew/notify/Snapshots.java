package dev.pitcrew.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares rendered output with a checked-in snapshot under {@code
 * src/test/resources/dev/pitcrew/notify/snapshots/}. Run with {@code -Dsnapshots.update=true} to
 * rewrite them, then read the diff before committing.
 */
public final class Snapshots {
  private static final Path DIR = Path.of("src/test/resources/dev/pitcrew/notify/snapshots");

  private Snapshots() {}

  public static void assertMatches(String name, String actual) {
    Path file = DIR.resolve(name);
    try {
      if (Boolean.getBoolean("snapshots.update")) {
        Files.createDirectories(DIR);
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      }
      assertThat(file).as("snapshot %s (create it with -Dsnapshots.update=true)", name).exists();
      assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
