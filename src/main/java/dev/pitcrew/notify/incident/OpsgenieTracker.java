package dev.pitcrew.notify.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Creates an Opsgenie alert ({@code POST /v2/alerts}, {@code Authorization: GenieKey ...}) with the
 * action id as {@code alias}, which Opsgenie de-duplicates on. It answers 202 {@code {"result":
 * "Request will be processed", "requestId": ...}}; processing is asynchronous, so there is no alert
 * URL to record.
 */
public final class OpsgenieTracker implements Notifier {
  public static final String DEFAULT_URL = "https://api.opsgenie.com/v2/alerts";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String apiKey;
  private final JsonPost http;

  public OpsgenieTracker(String alertsUrl, String apiKey, Duration timeout) {
    this.endpoint = Egress.checked("PITCREW_OPSGENIE_API_URL", alertsUrl);
    if (apiKey == null || apiKey.isBlank() || apiKey.strip().matches(".*\\s.*")) {
      throw new IllegalArgumentException("PITCREW_OPSGENIE_API_KEY is empty or contains spaces");
    }
    this.apiKey = apiKey.strip();
    this.http = new JsonPost(timeout);
  }

  @Override
  public String name() {
    return "incident:opsgenie";
  }

  @Override
  public boolean accepts(Notification n) {
    return n.kind() == Notification.Kind.ESCALATED;
  }

  @Override
  public Optional<String> deliver(Notification n) throws DeliveryException {
    http.post(endpoint, alert(n), Map.of("Authorization", "GenieKey " + apiKey));
    return Optional.empty();
  }

  static String alert(Notification n) {
    ObjectNode a = JSON.createObjectNode();
    a.put("message", IncidentReport.summary(n, 130));
    a.put("alias", Text.clean(n.actionId(), 512, true));
    StringBuilder description = new StringBuilder();
    description.append("Root cause: ").append(Text.clean(n.rootCause(), 1000, true)).append('\n');
    description.append("Evidence: ").append(Text.clean(n.evidenceLine(), 1000, true)).append('\n');
    description
        .append("What Pitcrew did: ")
        .append(Text.clean(n.actionTaken(), 1000, true))
        .append('\n');
    int i = 1;
    for (String attempt : n.attempts()) {
      description
          .append("Attempt ")
          .append(i++)
          .append(": ")
          .append(Text.clean(attempt, 300, true))
          .append('\n');
    }
    IncidentReport.links(n)
        .forEach((k, v) -> description.append(k).append(": ").append(v).append('\n'));
    a.put("description", Text.clean(description.toString(), 15000, false));
    a.put("source", "Pitcrew");
    a.put("entity", Text.clean(n.repository(), 512, true));
    a.put("priority", "high".equalsIgnoreCase(n.riskLevel()) ? "P2" : "P3");
    a.putArray("tags").add("pitcrew").add(Text.clean(n.category(), 50, true));
    ObjectNode details = a.putObject("details");
    IncidentReport.details(n)
        .forEach((k, v) -> details.put(k, Text.clean(String.valueOf(v), 8000, true)));
    return a.toString();
  }
}
