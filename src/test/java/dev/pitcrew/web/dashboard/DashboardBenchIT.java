package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Keeps the benchmark runnable and prints its figure: a small run by default; {@code
 * -Dbench.actions=100000 -Dbench.db=postgres} for the real measure. No timing is asserted.
 */
class DashboardBenchIT {
  @Test
  void benchmarkRendersTheOverviewADeepPageAndTheStatsAndPrintsTheFigure() throws Exception {
    int actions = Integer.getInteger("bench.actions", 1000);
    String db = System.getProperty("bench.db", "h2");
    var f = DashboardBench.run(db, actions, Integer.getInteger("bench.rounds", 5));
    System.out.println(f);
    assertThat(f.actions()).isEqualTo(actions);
    assertThat(f.bytes()).isGreaterThan(5000);
    assertThat(f.statsMs()).isPositive();
    assertThat(f.toString())
        .startsWith(String.format(java.util.Locale.ROOT, "dashboard bench: %,d actions", actions));
  }
}
