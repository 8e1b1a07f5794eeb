package dev.pitcrew.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifyConfigTest {
  @Test
  void nothingConfiguredMeansEverySinkIsDisabledWithWhatToSet() {
    Notifications n = NotifyConfig.fromEnv(Map.of()).build(List.of(), Runnable::run);
    assertThat(n.health())
        .containsKeys(
            "slack",
            "email",
            "comment",
            "incident:forge-issue",
            "incident:pagerduty",
            "incident:opsgenie",
            "incident:webhook");
    assertThat(n.health().values()).allMatch(h -> h.state() == SinkHealth.State.DISABLED);
    assertThat(n.health().get("slack").reason()).contains("PITCREW_SLACK_WEBHOOK_URL");
  }

  @Test
  void aForgeEnablesCommentsAndIssuesByDefault() {
    Notifications n =
        NotifyConfig.fromEnv(Map.of()).build(List.of(new RecordingForge()), Runnable::run);
    assertThat(n.health().get("comment").state()).isEqualTo(SinkHealth.State.READY);
    assertThat(n.health().get("incident:forge-issue").state()).isEqualTo(SinkHealth.State.READY);
  }

  @Test
  void badSettingsAreReportedNotThrown() {
    NotifyConfig c =
        NotifyConfig.fromEnv(
            Map.of(
                "PITCREW_SLACK_WEBHOOK_URL", "http://hooks.slack.com/services/T/B/X",
                "PITCREW_SMTP_HOST", "smtp.acme.test",
                "PITCREW_SMTP_STARTTLS", "true",
                "PITCREW_SMTP_SSL", "true",
                "PITCREW_NOTIFY_RETRIES", "many",
                "PITCREW_PAGERDUTY_ROUTING_KEY", "short"));
    Notifications n = c.build(List.of(), Runnable::run);
    assertThat(n.health().get("slack").state()).isEqualTo(SinkHealth.State.FAILED);
    assertThat(n.health().get("slack").reason()).contains("must use https");
    assertThat(n.health().get("email").reason()).contains("pick one");
    assertThat(n.health().get("incident:pagerduty").reason()).contains("32-character");
    assertThat(c.problems())
        .anyMatch(p -> p.contains("PITCREW_NOTIFY_RETRIES must be a whole number"));
    assertThat(c.backoff().attempts()).isEqualTo(3);
    // the reasons never echo a secret value
    assertThat(n.health().toString()).doesNotContain("hooks.slack.com/services/T/B/X");
  }

  @Test
  void emailSettingsFollowTheVariables() {
    NotifyConfig c =
        NotifyConfig.fromEnv(
            Map.of(
                "PITCREW_SMTP_HOST", "smtp.acme.test",
                "PITCREW_SMTP_SSL", "true",
                "PITCREW_SMTP_USER", "pitcrew",
                "PITCREW_SMTP_PASSWORD", "pw-123456",
                "PITCREW_NOTIFY_EMAIL_FROM", "pitcrew@acme.test",
                "PITCREW_NOTIFY_EMAIL_TO", "a@acme.test, b@acme.test"));
    var s = c.email("smtp.acme.test");
    assertThat(s.port()).isEqualTo(465);
    assertThat(s.to()).containsExactly("a@acme.test", "b@acme.test");
    assertThat(s.toString()).doesNotContain("pw-123456");
    assertThat(c.knownSecrets()).contains("pw-123456");
  }
}
