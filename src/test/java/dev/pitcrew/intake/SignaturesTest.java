package dev.pitcrew.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturesTest {
  /**
   * The test vector of the Standard Webhooks specification (github.com/standard-webhooks), whose
   * scheme GitLab's signing tokens follow.
   */
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final String TIMESTAMP = "1614265330";
  static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  static final List<byte[]> KEYS = List.of(Signatures.signingKey("S", SECRET));

  @Test
  void theSpecificationsVectorVerifies() {
    assertThat(Signatures.standardWebhookHeader(KEYS.get(0), ID, TIMESTAMP, BODY))
        .isEqualTo(SIGNATURE);
    assertThat(Signatures.standardWebhook(BODY, ID, TIMESTAMP, SIGNATURE, KEYS)).isTrue();
  }

  @Test
  void anyChangeToIdTimestampBodyOrKeyFails() {
    assertThat(Signatures.standardWebhook(BODY, ID + "x", TIMESTAMP, SIGNATURE, KEYS)).isFalse();
    assertThat(Signatures.standardWebhook(BODY, ID, "1614265331", SIGNATURE, KEYS)).isFalse();
    assertThat(
            Signatures.standardWebhook(
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8),
                ID,
                TIMESTAMP,
                SIGNATURE,
                KEYS))
        .isFalse();
    List<byte[]> other =
        List.of(Signatures.signingKey("S", "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q="));
    assertThat(Signatures.standardWebhook(BODY, ID, TIMESTAMP, SIGNATURE, other)).isFalse();
    assertThat(Signatures.standardWebhook(BODY, ID, TIMESTAMP, null, KEYS)).isFalse();
    assertThat(Signatures.standardWebhook(BODY, ID, TIMESTAMP, "v1,not base64!", KEYS)).isFalse();
    assertThat(Signatures.standardWebhook(BODY, ID, TIMESTAMP, SIGNATURE.substring(3), KEYS))
        .as("a signature without its version")
        .isFalse();
  }

  @Test
  void oneValidSignatureAmongSeveralAndOneKeyAmongSeveralIsEnough() {
    List<byte[]> rotating =
        List.of(
            Signatures.signingKey("S", "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q="),
            KEYS.get(0));
    assertThat(
            Signatures.standardWebhook(
                BODY,
                ID,
                TIMESTAMP,
                "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + SIGNATURE,
                rotating))
        .isTrue();
  }

  @Test
  void aSigningTokenInAnotherFormSaysWhatItShouldBe() {
    assertThatThrownBy(() -> Signatures.signingKey("PITCREW_X", "plain-secret"))
        .hasMessage(
            "PITCREW_X must be a signing token as GitLab shows it, whsec_ followed by base64");
    assertThatThrownBy(() -> Signatures.signingKey("PITCREW_X", "whsec_***"))
        .hasMessage(
            "PITCREW_X must be whsec_ followed by base64; the part after whsec_ is not base64");
    assertThatThrownBy(() -> Signatures.signingKey("PITCREW_X", "whsec_c2hvcnQ="))
        .hasMessage("PITCREW_X holds a key of 5 bytes; GitLab's are 32");
  }

  @Test
  void githubsHeaderAndGitLabsPlainTokenStillVerify() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(Signatures.github(body, Signatures.githubHeader("new", body), List.of("old", "new")))
        .isTrue();
    assertThat(Signatures.github(body, Signatures.githubHeader("gone", body), List.of("new")))
        .isFalse();
    assertThat(Signatures.token("gl-token", List.of("gl-token"))).isTrue();
    assertThat(Signatures.token("gl-tokeN", List.of("gl-token"))).isFalse();
  }
}
