package dev.pitcrew.notify;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one fan-out. The workflow stores {@link #userNotified()} as the action's {@code
 * user_notified} and {@link #incidentUrl()} as its {@code incident_url}.
 */
public record DeliveryReport(List<SinkResult> results, Optional<String> incidentUrl) {
  public DeliveryReport {
    results = List.copyOf(results);
  }

  /** True when at least one person-facing sink (not an incident tracker) accepted it. */
  public boolean userNotified() {
    return results.stream().anyMatch(r -> r.delivered() && !r.sink().startsWith("incident:"));
  }

  /** The sinks that were tried and failed, with their reasons. */
  public List<SinkResult> failures() {
    return results.stream().filter(r -> !r.delivered() && !r.skipped()).toList();
  }
}
