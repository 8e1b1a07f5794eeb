package dev.pitcrew.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.config.PitcrewConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final RateLimiter.Rule twoPerSecondBurstThree = new RateLimiter.Rule(2, 3);

  RateLimiter limiter(Set<String> exempt) {
    return new RateLimiter(
        new RateLimiter.Settings(true, twoPerSecondBurstThree, twoPerSecondBurstThree, exempt),
        now::get);
  }

  @Test
  void aBurstPassesThenTheNextWaitsForTheRefill() {
    RateLimiter l = limiter(Set.of());
    for (int i = 0; i < 3; i++) {
      assertThat(l.take("1.2.3.4", twoPerSecondBurstThree, List.of("ip:1.2.3.4"))).isEmpty();
    }
    assertThat(l.take("1.2.3.4", twoPerSecondBurstThree, List.of("ip:1.2.3.4")))
        .contains(Duration.ofMillis(500));
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(l.take("1.2.3.4", twoPerSecondBurstThree, List.of("ip:1.2.3.4"))).isEmpty();
    assertThat(l.take("1.2.3.4", twoPerSecondBurstThree, List.of("ip:1.2.3.4"))).isPresent();
  }

  @Test
  void otherSourcesHaveTheirOwnBuckets() {
    RateLimiter l = limiter(Set.of());
    for (int i = 0; i < 3; i++) {
      l.take("a", twoPerSecondBurstThree, List.of("ip:a"));
    }
    assertThat(l.take("a", twoPerSecondBurstThree, List.of("ip:a"))).isPresent();
    assertThat(l.take("b", twoPerSecondBurstThree, List.of("ip:b"))).isEmpty();
  }

  @Test
  void aRefusedRequestSpendsNothingFromItsOtherBuckets() {
    RateLimiter l = limiter(Set.of());
    for (int i = 0; i < 3; i++) {
      l.take("a", twoPerSecondBurstThree, List.of("token"));
    }
    // "ip:b" is full, "token" empty: refused, and ip:b keeps its three tokens
    assertThat(l.take("b", twoPerSecondBurstThree, List.of("ip:b", "token"))).isPresent();
    for (int i = 0; i < 3; i++) {
      assertThat(l.take("b", twoPerSecondBurstThree, List.of("ip:b"))).isEmpty();
    }
  }

  @Test
  void exemptAddressesAndTheSwitchTurnItOff() {
    RateLimiter l = limiter(Set.of("127.0.0.1"));
    for (int i = 0; i < 10; i++) {
      assertThat(l.take("127.0.0.1", twoPerSecondBurstThree, List.of("ip:127.0.0.1"))).isEmpty();
    }
    RateLimiter off =
        new RateLimiter(
            RateLimiter.Settings.from(PitcrewConfig.of(Map.of("PITCREW_RATE_LIMIT", "false"))));
    for (int i = 0; i < 1000; i++) {
      assertThat(off.take("x", twoPerSecondBurstThree, List.of("ip:x"))).isEmpty();
    }
  }

  @Test
  void defaultsAllowTwoHundredDeliveriesASecondFromOneSource() {
    RateLimiter.Settings s = RateLimiter.Settings.from(PitcrewConfig.of(Map.of()));
    assertThat(s.enabled()).isTrue();
    assertThat(s.webhooks()).isEqualTo(new RateLimiter.Rule(300, 3000));
    assertThat(s.api()).isEqualTo(new RateLimiter.Rule(50, 100));
    RateLimiter l = new RateLimiter(s, now::get);
    // 60 s of 200 evenly spaced deliveries per second
    for (int i = 0; i < 12_000; i++) {
      assertThat(l.take("127.0.0.1", s.webhooks(), List.of("hook-ip:127.0.0.1"))).isEmpty();
      now.addAndGet(5_000_000L);
    }
  }

  @Test
  void badSettingsSayWhatToFix() {
    assertThatThrownBy(
            () ->
                RateLimiter.Settings.from(
                    PitcrewConfig.of(Map.of("PITCREW_RATE_LIMIT_API_BURST", "0"))))
        .hasMessage("PITCREW_RATE_LIMIT_API_BURST must be at least 1, got 0");
  }
}
