package dev.pitcrew.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

public class RedactorTest {

  /** A canary: a fake secret and the realistic log line it hides in. */
  public record Canary(String name, String secret, String line) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String REGISTERED = "s3cr3t-Deploy-Passw0rd-7731";
  static final String REGISTERED_ENV = "hvs.CAESIJ4mQ2xV9kLpW7rT0zYbN1";

  /** The canary corpus, for tests elsewhere that check what reaches a model. */
  public static List<Canary> canariesForIt() {
    return canaries();
  }

  public static Redactor redactorForIt() {
    return redactor();
  }

  static Redactor redactor() {
    return Redactor.fromEnvironment(
        Map.of("VAULT_TOKEN", REGISTERED_ENV, "HOME", "/home/runner", "CI", "true"),
        List.of(REGISTERED));
  }

  /** The canary corpus (the T5 list of the threat model): at least 30 secrets in log lines. */
  static List<Canary> canaries() {
    String b64Registered =
        Base64.getEncoder().encodeToString(REGISTERED.getBytes(StandardCharsets.UTF_8));
    return List.of(
        new Canary(
            "registered in a config dump",
            REGISTERED,
            "2026-11-28T10:00:01.123Z deploy: using password " + REGISTERED + " for registry"),
        new Canary(
            "registered from the environment",
            REGISTERED_ENV,
            "vault login -method=token " + REGISTERED_ENV + " && echo ok"),
        new Canary(
            "registered, base64-encoded",
            b64Registered,
            "Setting header X-Deploy: " + b64Registered),
        new Canary(
            "registered, URL-encoded",
            "s3cr3t-Deploy-Passw0rd-7731",
            "GET /login?user=ci&pw=s3cr3t-Deploy-Passw0rd-7731 HTTP/1.1"),
        new Canary(
            "AWS access key id",
            "AKIAZ7Q3KXV2LMN4PRS5",
            "Found credentials in environment variables: AWS_ACCESS_KEY_ID=AKIAZ7Q3KXV2LMN4PRS5"),
        new Canary(
            "AWS session key id",
            "ASIAQWERTYUIOPASDFGH",
            "botocore.credentials: key ASIAQWERTYUIOPASDFGH expired at 10:00"),
        new Canary(
            "AWS secret access key",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY9",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY9"),
        new Canary(
            "GitHub classic PAT",
            "ghp_R4nd0mT0k3nV4lu3Xyz1234567890abcdEF",
            "fatal: could not read Password for 'https://ghp_R4nd0mT0k3nV4lu3Xyz1234567890abcdEF@github.com'"),
        new Canary(
            "GitHub OAuth token",
            "gho_16C7e42F292c6912E7710c838347Ae178B4a",
            "curl -H 'X-Token: gho_16C7e42F292c6912E7710c838347Ae178B4a' https://api.github.com/user"),
        new Canary(
            "GitHub installation token",
            "ghs_aB3dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3zA6",
            "##[debug]Using token ghs_aB3dE6fG9hJ2kL5mN8pQ1rS4tU7vW0xY3zA6 for checkout"),
        new Canary(
            "GitHub fine-grained PAT",
            "github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuV",
            "remote: Invalid credentials github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuV"),
        new Canary(
            "GitLab PAT",
            "glpat-xK9mP2vL7nQ4wR8tY1zB",
            "$ git remote set-url origin https://oauth2:glpat-xK9mP2vL7nQ4wR8tY1zB@gitlab.com/g/p.git"),
        new Canary(
            "GitLab PAT alone",
            "glpat-Zz3Yy8Xx1Ww6Vv4Uu2Tt",
            "PRIVATE-TOKEN: glpat-Zz3Yy8Xx1Ww6Vv4Uu2Tt"),
        new Canary(
            "GitLab runner token",
            "glrt-t1_AbCdEfGhIjKlMnOpQrStUv",
            "Registering runner... token=glrt-t1_AbCdEfGhIjKlMnOpQrStUv"),
        new Canary(
            "Slack bot token",
            "xoxb-2481623546-8346523476234-AbCdEfGhIjKlMnOpQrStUvWx",
            "slack: posting with xoxb-2481623546-8346523476234-AbCdEfGhIjKlMnOpQrStUvWx failed: invalid_auth"),
        new Canary(
            "Slack user token",
            "xoxp-1234567890-0987654321-1122334455-abcdef0123456789abcdef0123456789",
            "SLACK=xoxp-1234567890-0987654321-1122334455-abcdef0123456789abcdef0123456789"),
        new Canary(
            "Slack webhook URL",
            "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            "Error: POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX returned 404"),
        new Canary(
            "JWT in a header dump",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkNJIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "> cookie: session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkNJIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        new Canary(
            "Bearer header",
            "mF_9.B5f-4.1JqM7tQ2zXk8wLp0",
            "> Authorization: Bearer mF_9.B5f-4.1JqM7tQ2zXk8wLp0"),
        new Canary(
            "Bearer in curl verbose",
            "8f3KxQ2mZ7vLp1RtY6wNcB9s",
            "* curl -sS -H \"authorization: bearer 8f3KxQ2mZ7vLp1RtY6wNcB9s\" https://internal/api"),
        new Canary(
            "Basic auth header",
            "Y2k6aHVudGVyMmh1bnRlcjI=",
            "< Authorization: Basic Y2k6aHVudGVyMmh1bnRlcjI="),
        new Canary(
            "password in a database URL",
            "Pg_pass-4471",
            "psql: error: connection to server failed: postgres://app:Pg_pass-4471@db:5432/app"),
        new Canary(
            "password in a git URL",
            "hunter2hunter",
            "Cloning into 'repo'... https://deploy:hunter2hunter@git.example.com/org/repo.git"),
        new Canary(
            "PEM private key header with body on one line",
            "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Exzy",
            "\"private_key\": \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Exzy\\n-----END RSA PRIVATE KEY-----\\n\""),
        new Canary(
            "PEM body line",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"),
        new Canary(
            "JSON credentials blob",
            "9f8Qx2LmN4pR7tV1wY5zB3cD6",
            "{\"type\": \"service_account\", \"client_secret\": \"9f8Qx2LmN4pR7tV1wY5zB3cD6\"}"),
        new Canary(
            "password assignment",
            "correct-horse-battery",
            "DB_PASSWORD=correct-horse-battery npm run migrate"),
        new Canary("password in YAML", "Tr0ub4dor&3", "  password: Tr0ub4dor&3"),
        new Canary(
            "api key flag",
            "a1B2c3D4e5F6g7H8i9J0kLmN",
            "Running: deploy --api-key a1B2c3D4e5F6g7H8i9J0kLmN --env staging"),
        new Canary(
            "Anthropic key",
            "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
            "anthropic.AuthenticationError: invalid x-api-key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
        new Canary(
            "OpenAI key",
            "sk-proj-Q1w2E3r4T5y6U7i8O9p0AsDfGhJk",
            "openai.error: Incorrect API key provided: sk-proj-Q1w2E3r4T5y6U7i8O9p0AsDfGhJk"),
        new Canary(
            "Stripe live key",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "stripe: using key sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        new Canary(
            "Google API key",
            "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
            "maps: request denied for key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
        new Canary(
            "npm token in .npmrc echo",
            "npm_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2",
            "//registry.npmjs.org/:_authToken=npm_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2"),
        new Canary(
            "PyPI token",
            "pypi-AgEIcHlwaS5vcmcCJGI4ZmM2ZTQ5LWRhNmUtNDk2Ny1iZjA2LTRhOTM3",
            "twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcCJGI4ZmM2ZTQ5LWRhNmUtNDk2Ny1iZjA2LTRhOTM3 dist/*"),
        new Canary(
            "unlabelled high-entropy string",
            "Zx8Kq2Wv9Lm4Tn7Rb1Yc5Hd3Jf6Gp0Ns",
            "export SIGNING=Zx8Kq2Wv9Lm4Tn7Rb1Yc5Hd3Jf6Gp0Ns; ./sign.sh"),
        new Canary(
            "token assignment with quotes",
            "tok_9Hq2Lx7Vb4Nm1Kz8Wr3Ty6",
            "config = {'auth_token': 'tok_9Hq2Lx7Vb4Nm1Kz8Wr3Ty6', 'retries': 3}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("canaries")
  void masksTheCanary(Canary c) {
    Redactor.Result r = redactor().redact(c.line());
    assertThat(r.text()).doesNotContain(c.secret()).contains(Redactor.MARK);
    assertThat(r.changed()).isTrue();
  }

  @Test
  void theCorpusHasAtLeastThirtyCanariesAndNoneLeaks() {
    List<Canary> all = canaries();
    assertThat(all).hasSizeGreaterThanOrEqualTo(30);
    Redactor r = redactor();
    long leaked =
        all.stream().filter(c -> r.mask(String.join("\n", c.line())).contains(c.secret())).count();
    assertThat(leaked).isZero();
  }

  @Test
  void namesTheKindOfSecret() {
    Redactor r = Redactor.lookAlikesOnly();
    assertThat(r.mask("key AKIAZ7Q3KXV2LMN4PRS5 used"))
        .isEqualTo("key [REDACTED:aws_access_key] used");
    assertThat(r.mask("https://u:p4ssw0rd@host/x"))
        .isEqualTo("https://[REDACTED:url_credentials]@host/x");
    assertThat(r.mask("PASSWORD=hunter22")).isEqualTo("PASSWORD=[REDACTED:assignment]");
  }

  @ParameterizedTest
  @MethodSource("ordinaryLines")
  void leavesOrdinaryLogLinesAlone(String line) {
    assertThat(Redactor.lookAlikesOnly().mask(line)).isEqualTo(line);
  }

  static List<String> ordinaryLines() {
    return List.of(
        "ModuleNotFoundError: No module named 'requests'",
        "npm ERR! notarget No matching version found for lodash@9.9.9",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test",
        "HEAD is now at 3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a Merge pull request #88",
        "Digest: sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
        "at org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.doCreateBean(AbstractAutowireCapableBeanFactory.java:617)",
        "/home/runner/work/project2024/project2024/src/test/java/com/acme/OrderServiceTest.java:42",
        "Run id 0b7d2c1e-9a8f-4e3d-b2c1-0a9f8e7d6c5b finished",
        "SyntaxError: Unexpected token '<' in JSON at position 0",
        "KeyError: 'DATABASE_URL'",
        "Error: Environment variable API_TOKEN is not set",
        "password authentication failed for user \"postgres\"",
        "Process completed with exit code 1.",
        "java.lang.OutOfMemoryError: Java heap space");
  }
}
