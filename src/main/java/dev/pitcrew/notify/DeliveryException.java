package dev.pitcrew.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * A sink could not deliver. The message is safe to record: it never contains the notification's
 * text or a credential, only what went wrong ("HTTP 404 from hooks.slack.com: channel_not_found").
 */
public final class DeliveryException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final transient Optional<Duration> retryAfter;

  public DeliveryException(String message, boolean retryable) {
    this(message, retryable, Optional.empty(), null);
  }

  public DeliveryException(
      String message, boolean retryable, Optional<Duration> retryAfter, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** True for timeouts, 429 and 5xx; false for a refusal another attempt would repeat. */
  public boolean retryable() {
    return retryable;
  }

  /** How long the receiver asked us to wait (HTTP {@code Retry-After}), if it said. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
