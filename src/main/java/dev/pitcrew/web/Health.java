package dev.pitcrew.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Readiness of each dependency, {@code ready}, {@code disabled} or {@code failed} with a reason.
 * Only a failed dependency makes the service unready (503); a disabled one is a choice.
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

  public Health add(String name, Supplier<Check> check) {
    checks.put(name, check);
    return this;
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
