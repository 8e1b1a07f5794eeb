package dev.pitcrew.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The API token check: {@code Authorization: Bearer <PITCREW_API_TOKEN>}, compared in constant
 * time.
 */
public final class Auth {
  private final Optional<byte[]> expected;

  public Auth(Optional<String> token) {
    this.expected = token.map(Auth::digest);
  }

  /** Empty when allowed; otherwise the reason for a 401. */
  public Optional<String> refuse(String authorization) {
    if (expected.isEmpty()) {
      return Optional.of("the API is closed: set PITCREW_API_TOKEN to open it");
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of("send Authorization: Bearer <PITCREW_API_TOKEN>");
    }
    byte[] given = digest(authorization.substring(7).strip());
    return MessageDigest.isEqual(expected.get(), given)
        ? Optional.empty()
        : Optional.of("wrong API token");
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
