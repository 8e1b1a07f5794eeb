package dev.pitcrew.notify;

/**
 * Tells people what happened. Implementations (Slack, e-mail, a pull-request comment, incident
 * tickets) must never block or fail the remediation: delivery is retried and failures are recorded.
 */
public interface Notifier {
  /** The sink's name for records and health ({@code slack}, {@code email}, ...). */
  String name();

  /** Delivers the notification; returns true when the sink accepted it. */
  boolean send(Notification notification);
}
