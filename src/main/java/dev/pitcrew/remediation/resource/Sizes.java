package dev.pitcrew.remediation.resource;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scaling of sizes ({@code 4Gi}, {@code 2048m}, {@code -Xmx3g}) and durations by a factor. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([A-Za-z]*)");

  private Sizes() {}

  /** {@code 4Gi} × 1.5 = {@code 6Gi}; {@code 3g} × 1.5 = {@code 4608m}; null if unreadable. */
  static String scale(String size, double factor) {
    Matcher m = SIZE.matcher(size.strip());
    if (!m.matches()) {
      return null;
    }
    double n = Double.parseDouble(m.group(1)) * factor;
    String unit = m.group(2);
    if (n == Math.floor(n)) {
      return (long) n + unit;
    }
    String u = unit.toLowerCase(Locale.ROOT);
    String down =
        switch (u) {
          case "gi" -> "Mi";
          case "g" -> unit.equals("G") ? "M" : "m";
          case "gb" -> "MB";
          default -> null;
        };
    if (down == null) {
      return (long) Math.ceil(n) + unit;
    }
    return (long) Math.ceil(n * 1024) + down;
  }

  /** The factor from the playbook, between 1 and 4; 1.5 when absent or unreadable. */
  static double factor(String param) {
    try {
      double f = param == null ? 1.5 : Double.parseDouble(param);
      return f > 1.0 && f <= 4.0 ? f : 1.5;
    } catch (NumberFormatException e) {
      return 1.5;
    }
  }
}
