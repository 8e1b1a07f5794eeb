package dev.pitcrew.forge.http;

import java.time.Duration;

/**
 * How patient a forge client is.
 *
 * @param maxAttempts attempts for a read (writes are sent once unless the forge refused them)
 * @param baseDelay first back-off step; doubles each retry, with full jitter
 * @param maxDelay the largest single back-off
 * @param maxWait the longest Pitcrew waits for a rate limit to reset before giving up with an error
 * @param requestTimeout per request, until the response headers arrive
 * @param breakerThreshold consecutive failures (5xx, timeouts, refused connections) that open the
 *     circuit
 * @param breakerCooldown how long the circuit stays open before one trial call
 */
public record HttpPolicy(
    int maxAttempts,
    Duration baseDelay,
    Duration maxDelay,
    Duration maxWait,
    Duration requestTimeout,
    int breakerThreshold,
    Duration breakerCooldown) {
  public HttpPolicy {
    if (maxAttempts < 1 || breakerThreshold < 1) {
      throw new IllegalArgumentException("maxAttempts and breakerThreshold must be at least 1");
    }
  }

  public static HttpPolicy defaults() {
    return new HttpPolicy(
        4,
        Duration.ofMillis(500),
        Duration.ofSeconds(20),
        Duration.ofMinutes(2),
        Duration.ofSeconds(30),
        8,
        Duration.ofSeconds(30));
  }

  public HttpPolicy withRequestTimeout(Duration d) {
    return new HttpPolicy(
        maxAttempts, baseDelay, maxDelay, maxWait, d, breakerThreshold, breakerCooldown);
  }

  public HttpPolicy withBreaker(int threshold, Duration cooldown) {
    return new HttpPolicy(
        maxAttempts, baseDelay, maxDelay, maxWait, requestTimeout, threshold, cooldown);
  }
}
