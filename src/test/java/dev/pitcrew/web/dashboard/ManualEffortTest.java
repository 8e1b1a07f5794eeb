package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.web.Stats;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManualEffortTest {
  @Test
  void takesTheServiceMinutesPerCategory() {
    ManualEffort e = ManualEffort.fromMinutes(Map.of("dependency", 45.0, "test", 2.5));
    assertThat(e.of("dependency")).isEqualTo(Duration.ofMinutes(45));
    assertThat(e.of("test")).isEqualTo(Duration.ofSeconds(150));
  }

  @Test
  void aCategoryWithoutAFigureSavesNothing() {
    assertThat(ManualEffort.fromMinutes(Map.of()).of("resource")).isEqualTo(Duration.ZERO);
  }

  @Test
  void usesTheSameDefaultsAsApiStats() {
    ManualEffort e = ManualEffort.fromMinutes(Stats.minutesSaved(k -> Optional.empty()));
    assertThat(e.of("dependency")).isEqualTo(Duration.ofMinutes(30));
    assertThat(e.of("code")).isEqualTo(Duration.ZERO);
  }
}
