package dev.pitcrew.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.forge.http.ForgeApiException;
import dev.pitcrew.forge.http.ForgeHttp;
import java.io.IOException;
import java.net.URI;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GitHub App: signs a short JWT with the App's private key, finds the installation for the
 * repository and exchanges the JWT for an installation token (valid one hour), cached and replaced
 * ten minutes before it expires so that a long step never runs with a dying token.
 */
final class GitHubAppAuth implements GitHubAuth {
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(10);

  private final String appId;
  private final PrivateKey key;
  private final String fixedInstallation;
  private final ForgeHttp http;
  private final URI api;
  private final Clock clock;
  private final Map<String, String> installations = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  private record Token(String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[*** until " + expiresAt + "]";
    }
  }

  GitHubAppAuth(
      String appId,
      PrivateKey key,
      String fixedInstallation,
      ForgeHttp http,
      URI api,
      Clock clock) {
    this.appId = appId;
    this.key = key;
    this.fixedInstallation = fixedInstallation;
    this.http = http;
    this.api = api;
    this.clock = clock;
  }

  @Override
  public Optional<String> authorization(String owner, String repo) throws IOException {
    String installation = installation(owner, repo);
    Token t = tokens.get(installation);
    if (t == null || !clock.instant().isBefore(t.expiresAt().minus(REFRESH_BEFORE))) {
      t = mint(installation);
      tokens.put(installation, t);
    }
    return Optional.of("Bearer " + t.value());
  }

  @Override
  public String describe() {
    return "the GitHub App " + appId + " (PITCREW_GITHUB_APP_ID, PITCREW_GITHUB_APP_PRIVATE_KEY)";
  }

  @Override
  public String toString() {
    return "GitHubAppAuth[app " + appId + "]";
  }

  private String installation(String owner, String repo) throws IOException {
    if (fixedInstallation != null) {
      return fixedInstallation;
    }
    String k = owner + "/" + repo;
    String cached = installations.get(k);
    if (cached != null) {
      return cached;
    }
    var req =
        ForgeHttp.Request.get(
            GitHubForge.uri(api, "repos", owner, repo, "installation"),
            appHeaders(),
            "the App installed on " + k);
    var resp = http.send(req);
    if (resp.status() == 404) {
      throw new ForgeApiException(
          ForgeApiException.Kind.NOT_FOUND,
          404,
          "the GitHub App "
              + appId
              + " is not installed on "
              + k
              + ": install it on the repository");
    }
    if (resp.status() != 200) {
      throw http.unexpected(req, resp);
    }
    String id = http.json(req, resp).path("id").asText();
    installations.put(k, id);
    return id;
  }

  private Token mint(String installation) throws IOException {
    var req =
        new ForgeHttp.Request(
            "POST",
            GitHubForge.uri(api, "app", "installations", installation, "access_tokens"),
            appHeaders(),
            new byte[0],
            // a second token is harmless, so a lost answer may be asked again
            true,
            "a valid App private key");
    var resp = http.send(req);
    if (resp.status() != 201) {
      throw http.unexpected(req, resp);
    }
    JsonNode n = http.json(req, resp);
    String token = n.path("token").asText("");
    if (token.isEmpty()) {
      throw new ForgeApiException(
          ForgeApiException.Kind.INVALID,
          201,
          "GitHub returned an installation token without a token");
    }
    Instant exp;
    try {
      exp = Instant.parse(n.path("expires_at").asText());
    } catch (RuntimeException e) {
      exp = clock.instant().plus(Duration.ofHours(1));
    }
    return new Token(token, exp);
  }

  private Map<String, String> appHeaders() {
    return Map.of(
        "Authorization",
        "Bearer " + Jwt.appToken(key, appId, clock.instant()),
        "Accept",
        "application/vnd.github+json",
        "X-GitHub-Api-Version",
        GitHubForge.API_VERSION,
        "User-Agent",
        GitHubForge.USER_AGENT);
  }
}
