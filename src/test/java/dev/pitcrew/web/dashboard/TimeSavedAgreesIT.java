package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.playbook.PlaybookLoader;
import dev.pitcrew.service.Http;
import dev.pitcrew.web.dashboard.TestStore.Action;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's "Time saved" tile and {@code /api/stats}' {@code time_saved_minutes} are one
 * figure: the same service, the same actions, the same number.
 */
class TimeSavedAgreesIT {
  static final String TOKEN = "stats-token";

  @TempDir Path tmp;

  @Test
  void theDashboardAndApiStatsShowTheSameTimeSaved() throws Exception {
    PitcrewConfig config =
        PitcrewConfig.of(
            Map.of(
                "PITCREW_DATA_DIR", tmp.toString(),
                "PITCREW_API_TOKEN", TOKEN,
                "PITCREW_MINUTES_SAVED_TEST", "20",
                "PITCREW_MINUTES_SAVED_DEPENDENCY", "30",
                "PITCREW_MINUTES_SAVED_ENVIRONMENT", "25"));
    var playbooks = PlaybookLoader.loadDefault(List.of());
    PitcrewService.Parts parts =
        new PitcrewService.Parts(
            List.of(),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            new Diagnoser(new RuleEngine(playbooks.catalog()), List.of()),
            playbooks.catalog(),
            Clock.systemUTC());
    try (PitcrewService service = PitcrewService.start(config, parts, "127.0.0.1", 0)) {
      Instant now = Instant.now();
      TestStore.over(service.database().dataSource())
          .insert(
              Action.of(
                      "ts-1", now.minus(Duration.ofHours(1)), "dependency", "succeeded", "success")
                  .withTimeToFix(120.0),
              Action.of("ts-2", now.minus(Duration.ofDays(2)), "dependency", "succeeded", "success")
                  .withTimeToFix(60.0),
              // slower than a person: saves nothing, costs the others nothing
              Action.of("ts-3", now.minus(Duration.ofDays(3)), "test", "succeeded", "success")
                  .withTimeToFix(3000.0),
              Action.of(
                      "ts-4", now.minus(Duration.ofDays(4)), "environment", "succeeded", "success")
                  .withTimeToFix(null),
              // outside the 30-day window both use
              Action.of(
                      "ts-5", now.minus(Duration.ofDays(40)), "dependency", "succeeded", "success")
                  .withTimeToFix(10.0),
              Action.of("ts-6", now.minus(Duration.ofDays(1)), "code", "failed", "failure"),
              Action.of("ts-7", now.minus(Duration.ofDays(1)), "resource", "skipped", "manual"));

      Http http = new Http(service.port());
      var stats = http.get("/api/stats", Map.of("Authorization", "Bearer " + TOKEN));
      assertThat(stats.status()).isEqualTo(200);
      double api = stats.json().path("time_saved_minutes").asDouble();

      var page = http.get("/", Map.of());
      assertThat(page.status()).isEqualTo(200);
      Matcher m =
          Pattern.compile("id=\"time-saved\" data-minutes=\"([0-9.]+)\"").matcher(page.text());
      assertThat(m.find()).as("the time-saved tile").isTrue();
      double dashboard = Double.parseDouble(m.group(1));

      // 2 × 30 min − 180 s for dependency, 0 for test, 25 min for environment
      assertThat(api).isEqualTo(82.0);
      assertThat(dashboard).isEqualTo(api);
      assertThat(page.text()).contains("1 h 22 min", "4 automatic fixes in the last 30 days");
    }
  }
}
