package dev.pitcrew.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretScrubberTest {
  private final SecretScrubber scrubber = new SecretScrubber(List.of("s3cr3t-smtp-pass"));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "glpat-abcdefghij0123456789",
        "xoxb-1234567890-abcdefghijkl",
        "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX",
        "AKIAIOSFODNN7EXAMPLE",
        "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
        "git clone https://ci:hunter2hunter2@git.acme.test/x.git",
        "DB_PASSWORD=correcthorsebattery",
        "\"api_key\": \"abcdef123456\"",
        "Authorization: Bearer abcdefghijklmnop",
        "smtp login with s3cr3t-smtp-pass failed",
        "base64 czNjcjN0LXNtdHAtcGFzcw== leaked"
      })
  void masksTokenLookAlikesAndKnownSecrets(String line) {
    String out = scrubber.scrub(line);
    assertThat(out).contains("[REDACTED");
    assertThat(out)
        .doesNotContain("abcdefghijklmnopqrstuvwxyz0123456789")
        .doesNotContain("hunter2")
        .doesNotContain("correcthorse")
        .doesNotContain("s3cr3t")
        .doesNotContain("czNjcjN0")
        .doesNotContain("MIIEpAIBAAKCAQEA");
  }

  @Test
  void leavesOrdinaryLogLinesAlone() {
    String line = "ModuleNotFoundError: No module named 'requests' at line 347 (token count 12)";
    assertThat(scrubber.scrub(line)).isEqualTo(line);
  }
}
