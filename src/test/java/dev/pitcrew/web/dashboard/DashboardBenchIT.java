package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the benchmark runnable: a small run must render real pages (no timing asserted). */
class DashboardBenchIT {
  @Test
  void benchmarkRendersTheOverviewAndADeepPage() throws Exception {
    var f = DashboardBench.run(1000, 3);
    assertThat(f.actions()).isEqualTo(1000);
    assertThat(f.bytes()).isGreaterThan(5000);
    assertThat(f.toString()).startsWith("dashboard bench: 1,000 actions");
  }
}
