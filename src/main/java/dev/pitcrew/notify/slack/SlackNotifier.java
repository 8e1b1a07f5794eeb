package dev.pitcrew.notify.slack;

import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.Egress;
import dev.pitcrew.notify.JsonPost;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Notifier;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Posts Block Kit messages to a Slack incoming webhook ({@code PITCREW_SLACK_WEBHOOK_URL}). Plain
 * {@code java.net.http}: the webhook needs no client library. Slack answers {@code ok} on success
 * and a short error word (invalid_blocks, channel_not_found, ...) with a 4xx otherwise; 429 carries
 * {@code Retry-After}.
 */
public final class SlackNotifier implements Notifier {
  private final URI webhook;
  private final JsonPost http;

  public SlackNotifier(String webhookUrl, Duration timeout) {
    this.webhook = Egress.checked("PITCREW_SLACK_WEBHOOK_URL", webhookUrl);
    this.http = new JsonPost(timeout);
  }

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public Optional<String> deliver(Notification notification) throws DeliveryException {
    // the webhook URL is itself the secret: errors name only its host
    http.post(webhook, SlackMessages.render(notification), Map.of());
    return Optional.empty();
  }
}
