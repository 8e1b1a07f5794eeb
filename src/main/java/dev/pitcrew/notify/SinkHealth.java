package dev.pitcrew.notify;

/**
 * One sink's line in /health: ready, disabled (not configured, with what to set) or failed (bad
 * configuration, or the last delivery failed after its retries).
 */
public record SinkHealth(State state, String reason) {
  public enum State {
    READY,
    DISABLED,
    FAILED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static SinkHealth ready(String reason) {
    return new SinkHealth(State.READY, reason);
  }

  public static SinkHealth disabled(String reason) {
    return new SinkHealth(State.DISABLED, reason);
  }

  public static SinkHealth failed(String reason) {
    return new SinkHealth(State.FAILED, reason);
  }
}
