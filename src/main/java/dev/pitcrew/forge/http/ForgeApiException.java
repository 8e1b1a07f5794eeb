package dev.pitcrew.forge.http;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * A forge answered in a way Pitcrew cannot act on. The message tells the operator what to do next
 * (which permission is missing, when the rate limit resets); it never contains a credential.
 */
public class ForgeApiException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the call failed, so callers can decide without parsing messages. */
  public enum Kind {
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    INVALID,
    RATE_LIMITED,
    UNAVAILABLE,
    SERVER_ERROR,
    UNKNOWN_OUTCOME
  }

  private final Kind kind;
  private final int status;
  private final transient Instant retryAt;

  public ForgeApiException(Kind kind, int status, String message) {
    this(kind, status, message, null, null);
  }

  public ForgeApiException(
      Kind kind, int status, String message, Instant retryAt, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.retryAt = retryAt;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when no answer arrived. */
  public int status() {
    return status;
  }

  /** When a rate limit or an open circuit lets calls through again, if known. */
  public Optional<Instant> retryAt() {
    return Optional.ofNullable(retryAt);
  }
}
