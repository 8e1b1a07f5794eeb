package dev.pitcrew.remediation.dependency;

import dev.pitcrew.diagnosis.RiskLevel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How risky a version change is, by semantic versioning: a patch is low, a minor medium, a major
 * (or anything we cannot read as numbers) high.
 */
public final class Versions {
  private static final Pattern NUM =
      Pattern.compile("^[v=^~<>]*(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

  private Versions() {}

  public static RiskLevel risk(String from, String to) {
    int[] a = parse(from);
    int[] b = parse(to);
    if (a == null || b == null) {
      return RiskLevel.HIGH;
    }
    if (a[0] != b[0]) {
      return RiskLevel.HIGH;
    }
    if (a[1] != b[1]) {
      return RiskLevel.MEDIUM;
    }
    return RiskLevel.LOW;
  }

  static int[] parse(String v) {
    if (v == null) {
      return null;
    }
    Matcher m = NUM.matcher(v.strip());
    if (!m.find()) {
      return null;
    }
    return new int[] {
      Integer.parseInt(m.group(1)),
      m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
      m.group(3) == null ? 0 : Integer.parseInt(m.group(3))
    };
  }

  /** A version string that is safe to write into a manifest (npm may prefix ^ or ~). */
  public static boolean valid(String v) {
    return v != null && v.matches("[\\^~]?[0-9A-Za-z][0-9A-Za-z.+_-]{0,40}");
  }
}
