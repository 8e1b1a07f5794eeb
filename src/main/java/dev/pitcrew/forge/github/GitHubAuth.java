package dev.pitcrew.forge.github;

import dev.pitcrew.forge.http.ForgeHttp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * How Pitcrew proves who it is to GitHub: a personal or fine-grained token ({@code GITHUB_TOKEN}),
 * a GitHub App ({@code PITCREW_GITHUB_APP_ID} + {@code PITCREW_GITHUB_APP_PRIVATE_KEY}), or nothing
 * (public repositories only). Implementations never expose the secret through {@code toString}.
 */
public interface GitHubAuth {
  /** The {@code Authorization} header value for calls about {@code owner/repo}, if any. */
  Optional<String> authorization(String owner, String repo) throws IOException;

  /** What to tell an operator when GitHub answers 401: which variable to check. */
  String describe();

  static GitHubAuth token(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the GitHub token is empty");
    }
    String value = "Bearer " + token.strip();
    return new GitHubAuth() {
      @Override
      public Optional<String> authorization(String owner, String repo) {
        return Optional.of(value);
      }

      @Override
      public String describe() {
        return "GITHUB_TOKEN";
      }

      @Override
      public String toString() {
        return "GitHubAuth[token ***]";
      }
    };
  }

  static GitHubAuth anonymous() {
    return new GitHubAuth() {
      @Override
      public Optional<String> authorization(String owner, String repo) {
        return Optional.empty();
      }

      @Override
      public String describe() {
        return "no credential (set GITHUB_TOKEN or a GitHub App)";
      }

      @Override
      public String toString() {
        return "GitHubAuth[anonymous]";
      }
    };
  }

  /**
   * From the environment: a GitHub App when {@code PITCREW_GITHUB_APP_ID} is set (the private key
   * as PEM text or the path of a PEM file), else {@code GITHUB_TOKEN}, else anonymous.
   */
  static GitHubAuth fromEnv(Map<String, String> env, ForgeHttp http, URI apiBase, Clock clock) {
    String appId = env.get("PITCREW_GITHUB_APP_ID");
    if (appId != null && !appId.isBlank()) {
      String key = env.get("PITCREW_GITHUB_APP_PRIVATE_KEY");
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            "PITCREW_GITHUB_APP_ID is set but PITCREW_GITHUB_APP_PRIVATE_KEY is not: give the App's"
                + " private key as PEM text or the path of the .pem file");
      }
      String pem = key.contains("-----BEGIN") ? key : readPemFile(key);
      String installation = env.get("PITCREW_GITHUB_APP_INSTALLATION_ID");
      return new GitHubAppAuth(
          appId.strip(),
          Pem.rsaPrivateKey(pem),
          installation == null || installation.isBlank() ? null : installation.strip(),
          http,
          apiBase,
          clock);
    }
    String token = env.get("GITHUB_TOKEN");
    if (token != null && !token.isBlank()) {
      return token(token);
    }
    return anonymous();
  }

  private static String readPemFile(String path) {
    try {
      return Files.readString(Path.of(path.strip()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "PITCREW_GITHUB_APP_PRIVATE_KEY is neither PEM text nor a readable file ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }
}
