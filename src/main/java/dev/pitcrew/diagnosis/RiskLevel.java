package dev.pitcrew.diagnosis;

import java.util.Locale;

/** How much harm an automatic remediation could do: low applies, medium announces, high asks. */
public enum RiskLevel {
  LOW,
  MEDIUM,
  HIGH;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RiskLevel parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown risk level '" + s + "'; expected low, medium or high");
    }
  }

  public RiskLevel max(RiskLevel other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
