package dev.pitcrew.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one definition of "time saved" that the dashboard, {@code /api/stats} and the notifications
 * share: for the successful automatic fixes of each category, the manual effort a person would have
 * spent ({@code PITCREW_MINUTES_SAVED_<CATEGORY>}) minus the time the fixes took automatically. A
 * category whose fixes took longer than a person would gains nothing but does not count against the
 * others; a category without a figure saves nothing.
 */
public final class TimeSaved {
  /** The window the dashboard shows, and {@code /api/stats} uses when no {@code since} is given. */
  public static final Duration WINDOW = Duration.ofDays(30);

  private final Map<String, Duration> manual;

  private TimeSaved(Map<String, Duration> manual) {
    this.manual = Map.copyOf(manual);
  }

  /** From minutes of manual effort per category name, as the configuration gives them. */
  public static TimeSaved fromMinutes(Map<String, Double> minutes) {
    Map<String, Duration> m = new HashMap<>();
    minutes.forEach((c, v) -> m.put(c, Duration.ofMillis(Math.round(v * 60_000))));
    return new TimeSaved(m);
  }

  /** What one failure of this category costs a person. */
  public Duration manual(String category) {
    return manual.getOrDefault(category, Duration.ZERO);
  }

  /** The successful automatic fixes of one category and the automatic time they took together. */
  public record Fixes(String category, long count, Duration automatic) {}

  /** Time saved by these fixes (categories may repeat; they are added up first). */
  public Duration saved(Collection<Fixes> fixes) {
    Map<String, long[]> byCategory = new TreeMap<>();
    Map<String, Duration> automatic = new HashMap<>();
    for (Fixes f : fixes) {
      String c = f.category() == null ? "unknown" : f.category();
      byCategory.computeIfAbsent(c, k -> new long[1])[0] += f.count();
      automatic.merge(c, f.automatic(), Duration::plus);
    }
    Duration total = Duration.ZERO;
    for (var e : byCategory.entrySet()) {
      Duration net =
          manual(e.getKey()).multipliedBy(e.getValue()[0]).minus(automatic.get(e.getKey()));
      total = total.plus(net.isNegative() ? Duration.ZERO : net);
    }
    return total;
  }

  /** Time saved by one fix of this category that took {@code automatic}. */
  public Duration savedBy(String category, Duration automatic) {
    return saved(java.util.List.of(new Fixes(category, 1, automatic)));
  }

  /** Minutes to one decimal: how {@code /api/stats} and the dashboard both state a duration. */
  public static double minutes(Duration d) {
    return Math.round(d.toMillis() / 6_000.0) / 10.0;
  }

  /** Seconds as a stored {@code time_to_fix} (may be null) to a duration. */
  public static Duration seconds(Double s) {
    return s == null ? Duration.ZERO : Duration.ofMillis(Math.round(s * 1000));
  }
}
