package dev.pitcrew.notify.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.Egress;
import dev.pitcrew.notify.JsonPost;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Notifier;
import dev.pitcrew.notify.Text;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Triggers a PagerDuty alert through the Events API v2 ({@code POST /v2/enqueue}) with the action
 * id as {@code dedup_key}, so a retried escalation updates the same alert instead of paging twice.
 * PagerDuty answers 202 {@code {"status":"success","dedup_key":...}}; 400 means the event is
 * invalid (not retried), 429 and 5xx are retried.
 */
public final class PagerDutyTracker implements Notifier {
  public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String routingKey;
  private final JsonPost http;

  public PagerDutyTracker(String eventsUrl, String routingKey, Duration timeout) {
    this.endpoint = Egress.checked("PITCREW_PAGERDUTY_EVENTS_URL", eventsUrl);
    if (routingKey == null || !routingKey.strip().matches("[A-Za-z0-9]{32}")) {
      throw new IllegalArgumentException(
          "PITCREW_PAGERDUTY_ROUTING_KEY must be the 32-character integration key of an Events API"
              + " v2 integration");
    }
    this.routingKey = routingKey.strip();
    this.http = new JsonPost(timeout);
  }

  @Override
  public String name() {
    return "incident:pagerduty";
  }

  @Override
  public boolean accepts(Notification n) {
    return n.kind() == Notification.Kind.ESCALATED;
  }

  @Override
  public Optional<String> deliver(Notification n) throws DeliveryException {
    http.post(endpoint, event(n, routingKey), Map.of());
    return Optional.empty();
  }

  static String event(Notification n, String routingKey) {
    ObjectNode e = JSON.createObjectNode();
    e.put("routing_key", routingKey);
    e.put("event_action", "trigger");
    e.put("dedup_key", Text.clean(n.actionId(), 255, true));
    e.put("client", "Pitcrew");
    n.analysisUrl().flatMap(Text::safeUrl).ifPresent(u -> e.put("client_url", u));
    ObjectNode p = e.putObject("payload");
    p.put("summary", IncidentReport.summary(n, 1024));
    p.put("source", Text.clean(n.repository(), 255, true));
    p.put("severity", "high".equalsIgnoreCase(n.riskLevel()) ? "critical" : "error");
    p.put("component", Text.clean(n.repository(), 255, true));
    p.put("group", Text.clean(n.branch(), 255, true));
    p.put("class", Text.clean(n.category(), 255, true));
    p.set("custom_details", JSON.valueToTree(IncidentReport.details(n)));
    ArrayNode links = e.putArray("links");
    IncidentReport.links(n)
        .forEach(
            (label, url) -> {
              ObjectNode l = links.addObject();
              l.put("href", url);
              l.put("text", label);
            });
    return e.toString();
  }
}
