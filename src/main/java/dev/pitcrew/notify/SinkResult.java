package dev.pitcrew.notify;

import java.util.Optional;

/**
 * What happened at one sink for one notification, for the action's record and for /health.
 *
 * @param sink the sink's name
 * @param delivered whether it accepted the notification
 * @param tries how many tries were made (0 when the sink had nothing to say)
 * @param link what the sink created (comment, issue), when it says
 * @param error why it failed, safe to store and show
 */
public record SinkResult(
    String sink, boolean delivered, int tries, Optional<String> link, Optional<String> error) {
  static SinkResult skipped(String sink) {
    return new SinkResult(sink, false, 0, Optional.empty(), Optional.empty());
  }

  /** True when the sink was not tried because the notification was not for it. */
  public boolean skipped() {
    return tries == 0;
  }
}
