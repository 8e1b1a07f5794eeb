package dev.pitcrew.web.dashboard;

import dev.pitcrew.diagnosis.Category;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * How long a person would have spent on a failure of each category: the basis of "time saved".
 * Configured with {@code PITCREW_MANUAL_MINUTES} as {@code dependency=30,test=20,...}; a category
 * not named takes the default.
 */
public record ManualEffort(Duration byDefault, Map<Category, Duration> perCategory) {

  /** 30 minutes for every category: a rough figure for finding, fixing and re-running by hand. */
  public static final ManualEffort DEFAULT = new ManualEffort(Duration.ofMinutes(30), Map.of());

  public ManualEffort {
    perCategory = Map.copyOf(perCategory);
  }

  public Duration of(String category) {
    try {
      return perCategory.getOrDefault(Category.parse(category), byDefault);
    } catch (IllegalArgumentException e) {
      return byDefault;
    }
  }

  /** Parses {@code category=minutes,...}; blank gives {@link #DEFAULT}. */
  public static ManualEffort parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return DEFAULT;
    }
    Map<Category, Duration> map = new EnumMap<>(Category.class);
    for (String part : spec.split(",")) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            "PITCREW_MANUAL_MINUTES: '"
                + p
                + "' is not category=minutes; write for example dependency=30,test=20");
      }
      Category c = Category.parse(p.substring(0, eq));
      String n = p.substring(eq + 1).strip();
      long minutes;
      try {
        minutes = Long.parseLong(n);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "PITCREW_MANUAL_MINUTES: '" + n + "' for " + c.wire() + " is not a whole number");
      }
      if (minutes < 0 || minutes > 10_000) {
        throw new IllegalArgumentException(
            "PITCREW_MANUAL_MINUTES: "
                + c.wire()
                + "="
                + minutes
                + " is out of range; give 0 to 10000 minutes");
      }
      map.put(c, Duration.ofMinutes(minutes));
    }
    return new ManualEffort(DEFAULT.byDefault(), map);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ManualEffort[default=%s, %s]", byDefault, perCategory);
  }
}
