package dev.pitcrew.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Readiness of each dependency, {@code ready}, {@code disabled} or {@code failed} with a reason.
 * Only a failed required dependency (the database, the job scheduler) makes the service unready
 * (503); a failed optional one makes it {@code degraded}, and a disabled one is a choice.
 */
public final class Health {
  /** One dependency's state. */
  public record Check(String state, String reason) {
    public static Check ready(String reason) {
      return new Check("ready", reason);
    }

    public static Check disabled(String reason) {
      return new Check("disabled", reason);
    }

    public static Check failed(String reason) {
      return new Check("failed", reason);
    }
  }

  private final Map<String, Supplier<Check>> checks = new LinkedHashMap<>();
  private final java.util.Set<String> optional = new java.util.HashSet<>();

  /** A dependency the service cannot work without: its failure makes the service unready. */
  public Health add(String name, Supplier<Check> check) {
    checks.put(name, check);
    return this;
  }

  /**
   * A dependency the service keeps working without (a forge, the model, a notification sink): its
   * failure is reported, and the service is {@code degraded} but still ready.
   */
  public Health addOptional(String name, Supplier<Check> check) {
    checks.put(name, check);
    optional.add(name);
    return this;
  }

  /** {@code ready}, {@code degraded} (an optional dependency failed) or {@code unready}. */
  public String status(Map<String, Check> results) {
    boolean degraded = false;
    for (var e : results.entrySet()) {
      if (e.getValue().state().equals("failed")) {
        if (!optional.contains(e.getKey())) {
          return "unready";
        }
        degraded = true;
      }
    }
    return degraded ? "degraded" : "ready";
  }

  /** Runs every check; a check that throws counts as failed with its message. */
  public Map<String, Check> run() {
    Map<String, Check> out = new LinkedHashMap<>();
    checks.forEach(
        (name, c) -> {
          try {
            out.put(name, c.get());
          } catch (RuntimeException e) {
            out.put(name, Check.failed(String.valueOf(e.getMessage())));
          }
        });
    return out;
  }

  public static boolean healthy(Map<String, Check> results) {
    return results.values().stream().noneMatch(c -> c.state().equals("failed"));
  }
}
