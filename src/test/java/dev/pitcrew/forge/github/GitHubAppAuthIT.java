package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A GitHub App signs a JWT, gets an installation token, and re-mints it before it expires. */
class GitHubAppAuthIT {
  static final KeyPair KEYS = keys();

  GitHubSim sim;
  FakeTime time;

  static KeyPair keys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key as GitHub hands it out: PKCS#1, "BEGIN RSA PRIVATE KEY". */
  static String pkcs1Pem() {
    byte[] pkcs8 = KEYS.getPrivate().getEncoded();
    byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    return "-----BEGIN RSA PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs1)
        + "\n-----END RSA PRIVATE KEY-----\n";
  }

  @BeforeEach
  void start() throws Exception {
    sim = new GitHubSim();
    sim.installationId = "4711";
    time = new FakeTime();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  GitHubForge forge(Map<String, String> env) {
    ForgeHttp http =
        new ForgeHttp("GitHub", ForgeHttp.defaultClient(), HttpPolicy.defaults(), time, time);
    GitHubAuth auth = GitHubAuth.fromEnv(env, http, sim.apiBase(), time);
    return new GitHubForge(sim.apiBase(), "github.com", auth, http, 1 << 20);
  }

  @Test
  void wrapsAPkcs1KeyIntoTheSamePkcs8TheJdkReads() {
    byte[] pkcs8 = KEYS.getPrivate().getEncoded();
    assertThat(Pem.wrapPkcs1(Arrays.copyOfRange(pkcs8, 26, pkcs8.length))).isEqualTo(pkcs8);
    assertThat(Pem.rsaPrivateKey(pkcs1Pem()).getEncoded()).isEqualTo(pkcs8);
  }

  @Test
  void rejectsAKeyThatIsNotPemWithAMessageSayingWhatIsExpected() {
    assertThatThrownBy(() -> Pem.rsaPrivateKey("ssh-rsa AAAA"))
        .hasMessageContaining("BEGIN RSA PRIVATE KEY");
  }

  @Test
  void signsAJwtGitHubAcceptsAndUsesTheInstallationTokenUntilNearExpiry() throws Exception {
    GitHubForge forge =
        forge(
            Map.of("PITCREW_GITHUB_APP_ID", "12345", "PITCREW_GITHUB_APP_PRIVATE_KEY", pkcs1Pem()));
    assertThat(forge.defaultBranch(GitHubForgeIT.REPO)).isEqualTo("main");
    assertThat(forge.defaultBranch(GitHubForgeIT.REPO)).isEqualTo("main");

    var mint = sim.calls("POST", "/app/installations/4711/access_tokens");
    assertThat(mint).hasSize(1);
    String jwt = mint.get(0).header("authorization").substring("Bearer ".length());
    String[] parts = jwt.split("\\.");
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initVerify(KEYS.getPublic());
    s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(s.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    JsonNode claims = GitHubSim.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(claims.path("iss").asText()).isEqualTo("12345");
    long now = time.instant().getEpochSecond();
    assertThat(claims.path("iat").asLong()).isEqualTo(now - 60);
    assertThat(claims.path("exp").asLong()).isEqualTo(now + 540);

    var repoCalls = sim.calls("GET", "/repos/octocat/Hello-World");
    assertThat(repoCalls)
        .allSatisfy(r -> assertThat(r.header("authorization")).isEqualTo("Bearer ghs_simulated1"));

    time.advance(Duration.ofMinutes(51)); // the sim's tokens live an hour; refresh 10 min early
    forge.defaultBranch(GitHubForgeIT.REPO);
    assertThat(sim.calls("POST", "/app/installations/4711/access_tokens")).hasSize(2);
    assertThat(sim.calls("GET", "/repos/octocat/Hello-World").getLast().header("authorization"))
        .isEqualTo("Bearer ghs_simulated2");
    assertThat(sim.calls("GET", "/repos/octocat/Hello-World/installation")).hasSize(1);
  }

  @Test
  void anAppWithoutItsKeyIsAConfigurationErrorThatNamesTheVariable() {
    assertThatThrownBy(() -> forge(Map.of("PITCREW_GITHUB_APP_ID", "1")))
        .hasMessageContaining("PITCREW_GITHUB_APP_PRIVATE_KEY");
  }
}
