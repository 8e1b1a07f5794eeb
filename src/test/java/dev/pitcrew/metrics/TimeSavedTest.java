package dev.pitcrew.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.metrics.TimeSaved.Fixes;
import dev.pitcrew.web.Stats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeSavedTest {
  final TimeSaved effort = TimeSaved.fromMinutes(Map.of("dependency", 30.0, "test", 2.5));

  @Test
  void takesTheConfiguredMinutesPerCategory() {
    assertThat(effort.manual("dependency")).isEqualTo(Duration.ofMinutes(30));
    assertThat(effort.manual("test")).isEqualTo(Duration.ofSeconds(150));
    assertThat(effort.manual("resource")).isEqualTo(Duration.ZERO);
  }

  @Test
  void isTheManualEffortMinusTheAutomaticTimePerCategory() {
    Duration saved =
        effort.saved(
            List.of(
                new Fixes("dependency", 2, Duration.ofSeconds(180)),
                new Fixes("dependency", 1, Duration.ofSeconds(20))));
    assertThat(saved).isEqualTo(Duration.ofMinutes(90).minusSeconds(200));
  }

  @Test
  void aCategorySlowerThanAPersonGainsNothingButCostsTheOthersNothing() {
    Duration saved =
        effort.saved(
            List.of(
                new Fixes("test", 1, Duration.ofMinutes(10)),
                new Fixes("dependency", 1, Duration.ofMinutes(5)),
                new Fixes("code", 4, Duration.ZERO)));
    assertThat(saved).isEqualTo(Duration.ofMinutes(25));
    assertThat(effort.savedBy("test", Duration.ofMinutes(10))).isEqualTo(Duration.ZERO);
  }

  @Test
  void statesMinutesToOneDecimal() {
    assertThat(TimeSaved.minutes(Duration.ofSeconds(90))).isEqualTo(1.5);
    assertThat(TimeSaved.minutes(Duration.ofSeconds(100))).isEqualTo(1.7);
  }

  @Test
  void usesTheServiceDefaults() {
    TimeSaved d = TimeSaved.fromMinutes(Stats.minutesSaved(k -> Optional.empty()));
    assertThat(d.manual("dependency")).isEqualTo(Duration.ofMinutes(30));
    assertThat(d.manual("code")).isEqualTo(Duration.ZERO);
  }
}
