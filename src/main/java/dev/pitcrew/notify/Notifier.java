package dev.pitcrew.notify;

import java.util.Optional;

/**
 * Tells people what happened. Implementations (Slack, e-mail, a pull-request comment, incident
 * tickets) must never block or fail the remediation: delivery is retried and failures are recorded
 * by {@link Notifications}, which is what the workflow calls.
 */
public interface Notifier {
  /** The sink's name for records and health ({@code slack}, {@code email}, ...). */
  String name();

  /** Whether this sink has something to say about this notification (a comment needs a PR). */
  default boolean accepts(Notification notification) {
    return true;
  }

  /**
   * Delivers once, without retrying; returns the URL of what was created when there is one (the
   * comment, the incident ticket).
   *
   * @throws DeliveryException when the sink refused or could not be reached; its {@code retryable}
   *     flag tells the fan-out whether another attempt can help
   */
  default Optional<String> deliver(Notification notification) throws DeliveryException {
    // for implementations that only say yes or no (override one of deliver and send)
    if (!send(notification)) {
      throw new DeliveryException(name() + " did not accept the notification", true);
    }
    return Optional.empty();
  }

  /**
   * Delivers once; returns true when the sink accepted it. Never throws. Implementations override
   * {@link #deliver} (preferred: it says why and whether to retry) or this method.
   */
  default boolean send(Notification notification) {
    try {
      deliver(notification);
      return true;
    } catch (DeliveryException | RuntimeException e) {
      return false;
    }
  }
}
