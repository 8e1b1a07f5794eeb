package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keeps the benchmark runnable: a small run must render real pages (no timing asserted). */
class DashboardBenchIT {
  @Test
  void benchmarkRendersTheOverviewAndADeepPage() throws Exception {
    var f = DashboardBench.run(3000, 3);
    assertThat(f.actions()).isEqualTo(3000);
    assertThat(f.bytes()).isGreaterThan(5000);
    assertThat(f.toString()).startsWith("dashboard bench: 3,000 actions");
  }
}
