package dev.pitcrew.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.notify.Backoff;
import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.DeliveryReport;
import dev.pitcrew.notify.Notifications;
import dev.pitcrew.notify.Receiver;
import dev.pitcrew.notify.Receiver.Response;
import dev.pitcrew.notify.Samples;
import dev.pitcrew.notify.SecretScrubber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on loopback that answers as Slack's incoming webhooks do. */
class SlackNotifierIT {
  private static final String PATH = "/services/T000/B000/XXXXXXXX";

  @Test
  void postsTheBlockKitMessageAsJson() throws Exception {
    try (Receiver slack = new Receiver(PATH, Response.of(200, "ok"))) {
      new SlackNotifier(slack.url(PATH), Duration.ofSeconds(5)).deliver(Samples.autoFixed());
      Receiver.Request r = slack.requests().get(0);
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.header("Content-Type")).startsWith("application/json");
      var body = new ObjectMapper().readTree(r.body());
      assertThat(body.at("/blocks/0/text/text").asText()).isEqualTo("🔧 Pipeline Auto-Fixed");
    }
  }

  @Test
  void retriesRateLimitingThenDelivers() throws Exception {
    List<Duration> waits = new ArrayList<>();
    try (Receiver slack =
        new Receiver(
            PATH,
            new Response(429, "rate_limited", Map.of("Retry-After", "2")),
            Response.of(500, "internal_error"),
            Response.of(200, "ok"))) {
      Notifications n =
          new Notifications(
              List.of(),
              List.of(new SlackNotifier(slack.url(PATH), Duration.ofSeconds(5))),
              Map.of(),
              SecretScrubber.patternsOnly(),
              Backoff.standard(),
              waits::add,
              () -> 0.0,
              Runnable::run);
      DeliveryReport report = n.fanOut(Samples.manualReview());
      assertThat(report.userNotified()).isTrue();
      assertThat(slack.requests()).hasSize(3);
      assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofMillis(1000));
    }
  }

  @Test
  void aRefusalIsNotRetriedAndItsReasonIsKept() throws Exception {
    try (Receiver slack = new Receiver(PATH, Response.of(404, "no_service"))) {
      SlackNotifier notifier = new SlackNotifier(slack.url(PATH), Duration.ofSeconds(5));
      assertThatThrownBy(() -> notifier.deliver(Samples.autoFixed()))
          .isInstanceOf(DeliveryException.class)
          .hasMessage("HTTP 404 from 127.0.0.1: no_service")
          .satisfies(e -> assertThat(((DeliveryException) e).retryable()).isFalse());
    }
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    try (Receiver slack =
        new Receiver(PATH, new Response(302, "", Map.of("Location", "http://169.254.169.254/")))) {
      SlackNotifier notifier = new SlackNotifier(slack.url(PATH), Duration.ofSeconds(5));
      assertThatThrownBy(() -> notifier.deliver(Samples.autoFixed()))
          .hasMessageContaining("redirects are not followed");
      assertThat(slack.requests()).hasSize(1);
    }
  }

  @Test
  void refusesUnsafeWebhookUrlsAtConfiguration() {
    assertThatThrownBy(
            () -> new SlackNotifier("http://hooks.slack.com/services/x", Duration.ofSeconds(1)))
        .hasMessageContaining("must use https");
    assertThatThrownBy(
            () -> new SlackNotifier("https://169.254.169.254/latest", Duration.ofSeconds(1)))
        .hasMessageContaining("link-local or cloud-metadata");
    assertThatThrownBy(() -> new SlackNotifier("file:///etc/passwd", Duration.ofSeconds(1)))
        .hasMessageContaining("absolute http(s) URL");
  }
}
