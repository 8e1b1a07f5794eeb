package dev.pitcrew.notify.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.Egress;
import dev.pitcrew.notify.JsonPost;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Notifier;
import dev.pitcrew.notify.Text;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts the escalation as JSON to any incident system ({@code PITCREW_INCIDENT_WEBHOOK_URL}). With
 * {@code PITCREW_INCIDENT_WEBHOOK_SECRET} the body is signed ({@code X-Pitcrew-Signature-256:
 * sha256=<hex HMAC>}). When the receiver answers with {@code {"url": "https://..."}} that URL is
 * the incident URL.
 */
public final class WebhookTracker implements Notifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final Optional<String> secret;
  private final JsonPost http;

  public WebhookTracker(String url, Optional<String> secret, Duration timeout) {
    this.endpoint = Egress.checked("PITCREW_INCIDENT_WEBHOOK_URL", url);
    this.secret = secret.filter(s -> !s.isBlank());
    this.http = new JsonPost(timeout);
  }

  @Override
  public String name() {
    return "incident:webhook";
  }

  @Override
  public boolean accepts(Notification n) {
    return n.kind() == Notification.Kind.ESCALATED;
  }

  @Override
  public Optional<String> deliver(Notification n) throws DeliveryException {
    String body = body(n);
    Map<String, String> headers =
        secret
            .map(s -> Map.of("X-Pitcrew-Signature-256", "sha256=" + hmac(s, body)))
            .orElse(Map.of());
    JsonPost.Answer a = http.post(endpoint, body, headers);
    try {
      JsonNode answer = JSON.readTree(a.body() == null || a.body().isBlank() ? "{}" : a.body());
      return Text.safeUrl(answer.path("url").asText(null));
    } catch (IOException e) {
      // a receiver that answers 2xx with something other than JSON still accepted the incident
      return Optional.empty();
    }
  }

  static String body(Notification n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event", "pitcrew.escalation");
    o.put("title", IncidentReport.title(n));
    o.put("summary", IncidentReport.summary(n, 1024));
    o.setAll((ObjectNode) JSON.valueToTree(IncidentReport.details(n)));
    o.set("links", JSON.valueToTree(IncidentReport.links(n)));
    o.put("markdown", IncidentReport.markdown(n));
    return o.toString();
  }

  static String hmac(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
