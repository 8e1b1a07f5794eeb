package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualEffortTest {
  @Test
  void namedCategoriesOverrideTheDefault() {
    ManualEffort e = ManualEffort.parse("dependency=45, test=10");
    assertThat(e.of("dependency")).isEqualTo(Duration.ofMinutes(45));
    assertThat(e.of("test")).isEqualTo(Duration.ofMinutes(10));
    assertThat(e.of("resource")).isEqualTo(Duration.ofMinutes(30));
    assertThat(e.of("not-a-category")).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void blankMeansTheDefault() {
    assertThat(ManualEffort.parse(" ")).isEqualTo(ManualEffort.DEFAULT);
  }

  @Test
  void saysWhatIsWrongWithABadSpec() {
    assertThatThrownBy(() -> ManualEffort.parse("dependency"))
        .hasMessageContaining("'dependency' is not category=minutes");
    assertThatThrownBy(() -> ManualEffort.parse("dependency=ten"))
        .hasMessageContaining("'ten' for dependency is not a whole number");
    assertThatThrownBy(() -> ManualEffort.parse("flaky=3"))
        .hasMessageContaining("unknown category 'flaky'");
    assertThatThrownBy(() -> ManualEffort.parse("test=-1")).hasMessageContaining("out of range");
  }
}
