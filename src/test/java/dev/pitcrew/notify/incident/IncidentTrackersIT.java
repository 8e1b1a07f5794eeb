package dev.pitcrew.notify.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.notify.Backoff;
import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.DeliveryReport;
import dev.pitcrew.notify.Notifications;
import dev.pitcrew.notify.Receiver;
import dev.pitcrew.notify.Receiver.Response;
import dev.pitcrew.notify.RecordingForge;
import dev.pitcrew.notify.Samples;
import dev.pitcrew.notify.SecretScrubber;
import dev.pitcrew.notify.comment.PullRequestCommenter;
import dev.pitcrew.notify.slack.SlackNotifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Incident trackers against real loopback HTTP servers answering in the documented formats of
 * PagerDuty's Events API v2 (202 {"status":"success","message":"Event processed","dedup_key":...},
 * 400 {"status":"invalid event",...}) and Opsgenie's Alert API (202 {"result":"Request will be
 * processed","took":...,"requestId":...}).
 */
class IncidentTrackersIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "R0UT1NGKEY0000000000000000000000";
  private static final Duration T = Duration.ofSeconds(5);

  @Test
  void pagerDutyGetsATriggerEventKeyedByTheAction() throws Exception {
    try (Receiver pd =
        new Receiver(
            "/v2/enqueue",
            Response.of(
                202,
                "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"ra-0004\"}"))) {
      new PagerDutyTracker(pd.url("/v2/enqueue"), KEY, T).deliver(Samples.escalated());
      JsonNode e = JSON.readTree(pd.requests().get(0).body());
      assertThat(e.get("routing_key").asText()).isEqualTo(KEY);
      assertThat(e.get("event_action").asText()).isEqualTo("trigger");
      assertThat(e.get("dedup_key").asText()).isEqualTo("ra-0004");
      assertThat(e.at("/payload/severity").asText()).isEqualTo("error");
      assertThat(e.at("/payload/source").asText()).isEqualTo("acme/user-service");
      assertThat(e.at("/payload/summary").asText())
          .startsWith("Auto-fix failed for acme/user-service");
      assertThat(e.at("/payload/custom_details/attempts")).hasSize(3);
      assertThat(e.at("/links/0/href").asText())
          .isEqualTo("https://github.com/acme/user-service/actions/runs/12500");
    }
  }

  @Test
  void pagerDutyRejectsAnInvalidEventWithoutRetry() throws Exception {
    try (Receiver pd =
        new Receiver(
            "/v2/enqueue",
            Response.of(
                400,
                "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"'payload.summary' is missing\"]}"))) {
      PagerDutyTracker t = new PagerDutyTracker(pd.url("/v2/enqueue"), KEY, T);
      assertThatThrownBy(() -> t.deliver(Samples.escalated()))
          .isInstanceOf(DeliveryException.class)
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining("Event object is invalid")
          .hasMessageNotContaining(KEY);
    }
  }

  @Test
  void aRoutingKeyOfTheWrongShapeFailsAtStartUp() {
    assertThatThrownBy(() -> new PagerDutyTracker(PagerDutyTracker.DEFAULT_URL, "short", T))
        .hasMessageContaining("32-character integration key");
  }

  @Test
  void opsgenieGetsAnAlertWithTheGenieKeyAndTheActionAsAlias() throws Exception {
    try (Receiver og =
        new Receiver(
            "/v2/alerts",
            Response.of(
                202,
                "{\"result\":\"Request will be processed\",\"took\":0.302,\"requestId\":\"43a29c5c-3dbf-4fa4-9c26-f4f71023e120\"}"))) {
      new OpsgenieTracker(og.url("/v2/alerts"), "eb243592-faa2-4ba2-a551q-1afdf565c889", T)
          .deliver(Samples.escalated());
      Receiver.Request r = og.requests().get(0);
      assertThat(r.header("Authorization"))
          .isEqualTo("GenieKey eb243592-faa2-4ba2-a551q-1afdf565c889");
      JsonNode a = JSON.readTree(r.body());
      assertThat(a.get("alias").asText()).isEqualTo("ra-0004");
      assertThat(a.get("message").asText().length()).isLessThanOrEqualTo(130);
      assertThat(a.get("description").asText()).contains("Attempt 3: 3: increase_timeout");
      assertThat(a.get("priority").asText()).isEqualTo("P3");
    }
  }

  @Test
  void theGenericWebhookIsSignedAndItsAnswerGivesTheIncidentUrl() throws Exception {
    try (Receiver hook =
        new Receiver(
            "/incidents", Response.of(201, "{\"url\":\"https://tickets.acme.test/INC-7\"}"))) {
      Optional<String> url =
          new WebhookTracker(hook.url("/incidents"), Optional.of("hook-secret"), T)
              .deliver(Samples.escalated());
      assertThat(url).contains("https://tickets.acme.test/INC-7");
      Receiver.Request r = hook.requests().get(0);
      assertThat(r.header("X-Pitcrew-Signature-256"))
          .isEqualTo("sha256=" + WebhookTracker.hmac("hook-secret", r.body()));
      assertThat(JSON.readTree(r.body()).get("event").asText()).isEqualTo("pitcrew.escalation");
    }
  }

  @Test
  void anEscalationOpensTheIssuePagesAndLinksTheIssueEverywhere() throws Exception {
    RecordingForge forge = new RecordingForge();
    forge.failuresLeft = 1;
    try (Receiver pd =
            new Receiver(
                "/v2/enqueue",
                Response.of(429, "{\"status\":\"throttle event\"}"),
                Response.of(202, "{\"status\":\"success\",\"dedup_key\":\"ra-0004\"}"));
        Receiver slack = new Receiver("/services/T/B/X", Response.of(200, "ok"))) {
      Notifications n =
          new Notifications(
              List.of(
                  new ForgeIssueTracker(List.of(forge)),
                  new PagerDutyTracker(pd.url("/v2/enqueue"), KEY, T)),
              List.of(
                  new SlackNotifier(slack.url("/services/T/B/X"), T),
                  new PullRequestCommenter(List.of(forge))),
              Map.of(),
              SecretScrubber.patternsOnly(),
              Backoff.standard(),
              d -> {},
              () -> 0.0,
              Runnable::run);
      DeliveryReport report = n.fanOut(Samples.escalated());
      String issue = "https://github.com/acme/user-service/issues/1";
      assertThat(report.incidentUrl()).contains(issue);
      assertThat(report.userNotified()).isTrue();
      assertThat(report.failures()).isEmpty();
      assertThat(forge.issues).hasSize(1);
      assertThat(pd.requests()).hasSize(2);
      assertThat(JSON.readTree(pd.requests().get(1).body()).at("/links/0/href").asText())
          .isEqualTo(issue);
      assertThat(slack.requests().get(0).body()).contains(issue);
      assertThat(forge.comments.get(0)).contains("[Incident](" + issue + ")");

      // a retried escalation finds the same issue rather than opening another
      n.fanOut(Samples.escalated());
      assertThat(forge.issues).hasSize(1);
    }
  }
}
