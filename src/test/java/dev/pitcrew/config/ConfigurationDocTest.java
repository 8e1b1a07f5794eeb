package dev.pitcrew.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every setting the service reads is documented in docs/configuration.md, "## Service". */
class ConfigurationDocTest {
  private static final List<String> SERVICE_SOURCES =
      List.of(
          "src/main/java/dev/pitcrew/config",
          "src/main/java/dev/pitcrew/store",
          "src/main/java/dev/pitcrew/intake",
          "src/main/java/dev/pitcrew/incident",
          "src/main/java/dev/pitcrew/web",
          "src/main/java/dev/pitcrew/cli/ServeCommand.java",
          "src/main/java/dev/pitcrew/cli/PitcrewService.java");

  @Test
  void everyServiceSettingIsInTheServiceSection() throws IOException {
    Set<String> read = new TreeSet<>();
    Pattern key = Pattern.compile("\"(PITCREW_[A-Z_]*[A-Z])_?\"");
    for (String s : SERVICE_SOURCES) {
      try (Stream<Path> files = Files.walk(Path.of(s))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = key.matcher(Files.readString(f));
          while (m.find()) {
            read.add(m.group(1));
          }
        }
      }
    }
    String doc = Files.readString(Path.of("docs/configuration.md"));
    int start = doc.indexOf("## Service");
    int end = doc.indexOf("\n## ", start + 1);
    String section = doc.substring(start, end < 0 ? doc.length() : end);
    assertThat(read).isNotEmpty().contains("PITCREW_PORT", "PITCREW_DB_URL");
    assertThat(read)
        .allSatisfy(
            k -> assertThat(section).as("docs/configuration.md mentions " + k).contains("`" + k));
  }
}
