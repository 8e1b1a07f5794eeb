package dev.pitcrew.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PitcrewConfigTest {
  @TempDir Path dir;

  @Test
  void environmentWinsOverDotEnvWhichWinsOverTheYamlFile() throws Exception {
    Files.writeString(
        dir.resolve("pitcrew.yml"),
        """
        port: 9000
        retry_base_delay: 2s
        github:
          webhook_secret: [old, new]
        repositories:
          - octo/*
        """);
    Files.writeString(
        dir.resolve(".env"), "# local\nexport PITCREW_PORT=9100\nPITCREW_API_TOKEN='t0k'\n");
    PitcrewConfig c = PitcrewConfig.load(Map.of("PITCREW_PORT", "9200", "HOME", "/root"), dir);

    assertThat(c.port()).isEqualTo(9200);
    assertThat(c.apiToken()).contains("t0k");
    assertThat(c.githubWebhookSecrets()).containsExactly("old", "new");
    assertThat(c.repositories()).containsExactly("octo/*");
    assertThat(c.retryBaseDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.get("HOME")).isEmpty();
  }

  @Test
  void defaultsMatchTheDocumentation() {
    PitcrewConfig c = PitcrewConfig.of(Map.of());
    assertThat(c.port()).isEqualTo(8002);
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.dbUrl()).startsWith("jdbc:h2:file:").endsWith("/data/pitcrew");
    assertThat(c.retryBaseDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.maxBodyBytes()).isEqualTo(25L * 1024 * 1024);
    assertThat(c.allowForks()).isFalse();
  }

  @Test
  void secretsAreNeverRendered() {
    PitcrewConfig c =
        PitcrewConfig.of(
            Map.of(
                "PITCREW_GITHUB_WEBHOOK_SECRET", "s3cr3t",
                "GITHUB_TOKEN", "ghp_abc",
                "PITCREW_DB_URL", "jdbc:postgresql://h/db?password=pw",
                "PITCREW_PORT", "8002"));
    assertThat(c.toString())
        .doesNotContain("s3cr3t", "ghp_abc", "pw")
        .contains("PITCREW_PORT=8002", "GITHUB_TOKEN=****");
  }

  @Test
  void badValuesSayWhatToWrite() {
    assertThatThrownBy(
            () -> PitcrewConfig.of(Map.of("PITCREW_RETRY_BASE_DELAY", "soon")).retryBaseDelay())
        .hasMessage(
            "PITCREW_RETRY_BASE_DELAY='soon' is not a duration; write e.g. 500ms, 1s, 2m, 1h or 30d");
    assertThatThrownBy(() -> PitcrewConfig.of(Map.of("PITCREW_PORT", "80a")).port())
        .hasMessage("PITCREW_PORT='80a' is not a whole number");
    assertThatThrownBy(
            () ->
                PitcrewConfig.load(
                    Map.of("PITCREW_CONFIG", dir.resolve("nope.yml").toString()), dir))
        .hasMessageContaining("does not exist");
  }

  @Test
  void aDotEnvLineWithoutEqualsIsNamedByLine() throws Exception {
    Files.writeString(dir.resolve(".env"), "A=1\nbroken\n");
    assertThatThrownBy(() -> PitcrewConfig.load(Map.of(), dir))
        .hasMessageEndingWith(".env:2: expected KEY=value, found a line without '='");
  }

  @Test
  void inboxRetentionIsThirtyDaysByDefaultAndZeroOrOffKeepsEverything() {
    assertThat(PitcrewConfig.of(Map.of()).inboxRetention())
        .isEqualTo(java.time.Duration.ofDays(30));
    assertThat(PitcrewConfig.of(Map.of("PITCREW_INBOX_RETENTION", "7d")).inboxRetention())
        .isEqualTo(java.time.Duration.ofDays(7));
    assertThat(PitcrewConfig.of(Map.of("PITCREW_INBOX_RETENTION", "0")).inboxRetention()).isZero();
    assertThat(PitcrewConfig.of(Map.of("PITCREW_INBOX_RETENTION", "off")).inboxRetention())
        .isZero();
    assertThatThrownBy(
            () -> PitcrewConfig.of(Map.of("PITCREW_INBOX_RETENTION", "a month")).inboxRetention())
        .hasMessageStartingWith("PITCREW_INBOX_RETENTION='a month' is not a duration");
  }
}
