package dev.pitcrew.diagnosis;

import java.util.Locale;

/** Why a job failed. Everything but {@link #CODE} and {@link #UNKNOWN} can lead to an action. */
public enum Category {
  DEPENDENCY,
  ENVIRONMENT,
  TEST,
  RESOURCE,
  INFRASTRUCTURE,
  CODE,
  UNKNOWN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether Pitcrew may act on a diagnosis in this category. */
  public boolean fixable() {
    return this != CODE && this != UNKNOWN;
  }

  public static Category parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown category '"
              + s
              + "'; expected one of dependency, environment, test, resource, infrastructure, code,"
              + " unknown");
    }
  }
}
