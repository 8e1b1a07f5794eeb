package dev.pitcrew.forge.http;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the rate-limit headers both forges send: {@code Retry-After} (seconds or an HTTP date),
 * GitHub's {@code x-ratelimit-remaining}/{@code x-ratelimit-reset} and GitLab's {@code
 * RateLimit-Remaining}/{@code RateLimit-Reset} (epoch seconds).
 */
public final class RateLimits {
  /** GitHub asks for at least a minute when a secondary limit has no {@code Retry-After}. */
  static final Duration SECONDARY_DEFAULT = Duration.ofSeconds(60);

  private RateLimits() {}

  /** {@code Retry-After} as a wait from {@code now}. */
  public static Optional<Duration> retryAfter(HttpHeaders h, Instant now) {
    Optional<String> v = h.firstValue("retry-after").map(String::strip);
    if (v.isEmpty() || v.get().isEmpty()) {
      return Optional.empty();
    }
    try {
      long s = Long.parseLong(v.get());
      return Optional.of(Duration.ofSeconds(Math.max(0, s)));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(v.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  /** Requests left in the current window, if the forge says. */
  public static Optional<Long> remaining(HttpHeaders h) {
    return number(h, "x-ratelimit-remaining").or(() -> number(h, "ratelimit-remaining"));
  }

  /** When the current window resets, if the forge says. */
  public static Optional<Instant> reset(HttpHeaders h) {
    return number(h, "x-ratelimit-reset")
        .or(() -> number(h, "ratelimit-reset"))
        .map(Instant::ofEpochSecond);
  }

  /**
   * How long to hold off after this answer, if it was a rate-limit refusal: 429, or a 403 that is
   * GitHub's primary (remaining 0) or secondary ("secondary rate limit", {@code Retry-After})
   * limit.
   */
  public static Optional<Duration> refusal(int status, HttpHeaders h, String body, Instant now) {
    if (status != 429 && status != 403) {
      return Optional.empty();
    }
    Optional<Duration> after = retryAfter(h, now);
    if (after.isPresent()) {
      return after;
    }
    boolean exhausted = remaining(h).map(r -> r == 0).orElse(false);
    if (exhausted) {
      Duration d = reset(h).map(r -> Duration.between(now, r)).orElse(SECONDARY_DEFAULT);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    }
    String lower = body == null ? "" : body.toLowerCase(java.util.Locale.ROOT);
    if (status == 429 || lower.contains("secondary rate limit") || lower.contains("abuse")) {
      return Optional.of(SECONDARY_DEFAULT);
    }
    return Optional.empty();
  }

  private static Optional<Long> number(HttpHeaders h, String name) {
    try {
      return h.firstValue(name).map(String::strip).map(Long::parseLong);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
