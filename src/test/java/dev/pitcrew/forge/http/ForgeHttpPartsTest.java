package dev.pitcrew.forge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of the HTTP layer: rate-limit headers, back-off bounds, the breaker's states. */
class ForgeHttpPartsTest {
  static final Instant NOW = Instant.parse("2026-11-29T03:00:00Z");

  static HttpHeaders headers(String... kv) {
    Map<String, List<String>> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1]));
    }
    return HttpHeaders.of(m, (a, b) -> true);
  }

  @Test
  void readsRetryAfterAsSecondsOrAsAnHttpDate() {
    assertThat(RateLimits.retryAfter(headers("Retry-After", "30"), NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(RateLimits.retryAfter(headers("retry-after", "Sun, 29 Nov 2026 03:01:00 GMT"), NOW))
        .contains(Duration.ofMinutes(1));
    assertThat(RateLimits.retryAfter(headers("Retry-After", "soon"), NOW)).isEmpty();
  }

  @Test
  void tellsARateLimitRefusalFromAPermissionRefusal() {
    assertThat(RateLimits.refusal(403, headers(), "{\"message\":\"Resource not accessible\"}", NOW))
        .isEmpty();
    assertThat(
            RateLimits.refusal(
                403, headers(), "{\"message\":\"You have exceeded a secondary rate limit\"}", NOW))
        .contains(Duration.ofSeconds(60));
    long reset = NOW.plusSeconds(900).getEpochSecond();
    assertThat(
            RateLimits.refusal(
                403,
                headers("x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(reset)),
                "",
                NOW))
        .contains(Duration.ofSeconds(900));
    assertThat(RateLimits.refusal(429, headers("RateLimit-Remaining", "0"), "", NOW))
        .contains(Duration.ofSeconds(60));
    assertThat(RateLimits.remaining(headers("RateLimit-Remaining", "12"))).contains(12L);
  }

  @Test
  void backOffGrowsByDoublingUpToTheCapWithFullJitter() {
    Backoff top = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20), () -> 0.999999);
    assertThat(top.ceiling(0)).isEqualTo(Duration.ofMillis(500));
    assertThat(top.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(top.ceiling(10)).isEqualTo(Duration.ofSeconds(20));
    assertThat(top.ceiling(200)).isEqualTo(Duration.ofSeconds(20));
    assertThat(top.delay(3))
        .isLessThan(Duration.ofSeconds(4))
        .isGreaterThan(Duration.ofMillis(3990));
    Backoff bottom = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(20), () -> 0.0);
    assertThat(bottom.delay(5)).isZero();
  }

  @Test
  void theBreakerOpensAfterTheThresholdLetsOneTrialThroughAndClosesOnSuccess() {
    FakeTime t = new FakeTime(NOW);
    CircuitBreaker b = new CircuitBreaker(3, Duration.ofSeconds(30), t);
    b.failure();
    b.failure();
    assertThat(b.allow()).isTrue();
    b.failure();
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(b.allow()).isFalse();
    t.advance(Duration.ofSeconds(30));
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(b.allow()).isTrue();
    assertThat(b.allow()).isFalse(); // one trial at a time
    b.failure();
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
    t.advance(Duration.ofSeconds(30));
    assertThat(b.allow()).isTrue();
    b.success();
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(b.allow()).isTrue();
  }

  @Test
  void describesARequestWithoutItsHeadersOrQuery() {
    var r =
        ForgeHttp.Request.get(
            java.net.URI.create("https://api.github.com/repos/o/r?token=x"),
            Map.of("Authorization", "Bearer secret"),
            "Actions: read");
    assertThat(r.toString()).isEqualTo("GET /repos/o/r").doesNotContain("secret");
  }
}
