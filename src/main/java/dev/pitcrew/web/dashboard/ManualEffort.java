package dev.pitcrew.web.dashboard;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a person would have spent on a failure of each category: the basis of "time saved". The
 * figures are the service's ({@code PITCREW_MINUTES_SAVED_<CATEGORY>}, {@code
 * web.Stats#minutesSaved}), so the dashboard and {@code /api/stats} start from the same numbers; a
 * category without a figure saves nothing.
 */
public record ManualEffort(Map<String, Duration> perCategory) {

  public ManualEffort {
    perCategory = Map.copyOf(perCategory);
  }

  public Duration of(String category) {
    return perCategory.getOrDefault(category, Duration.ZERO);
  }

  /** From minutes per category name, as the service's configuration gives them. */
  public static ManualEffort fromMinutes(Map<String, Double> minutes) {
    Map<String, Duration> m = new HashMap<>();
    minutes.forEach((c, v) -> m.put(c, Duration.ofMillis(Math.round(v * 60_000))));
    return new ManualEffort(m);
  }
}
