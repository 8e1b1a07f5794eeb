package dev.pitcrew.notify.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Samples;
import dev.pitcrew.notify.SecretScrubber;
import dev.pitcrew.notify.Snapshots;
import org.junit.jupiter.api.Test;

class IncidentReportTest {
  @Test
  void carriesTheFullDiagnostics() {
    Notification n = Samples.escalated();
    String md = IncidentReport.markdown(n);
    assertThat(md)
        .contains("### Root cause\n\nFlaky test OrderServiceTest\\.timesOut keeps failing")
        .contains("912: java.util.concurrent.TimeoutException")
        .contains("1. 1: retry\\_pipeline → run 12501 failed")
        .contains("3. 3: increase\\_timeout → run 12503 failed")
        .contains("- [Failed pipeline](https://github.com/acme/user-service/actions/runs/12500)");
    assertThat(IncidentReport.title(n))
        .isEqualTo(
            "Pitcrew incident ra-0004: pipeline #12500 of acme/user-service still fails after 3 fix"
                + " attempts");
  }

  @Test
  void hostileTextIsEscapedInEveryPayload() {
    Notification n =
        SecretScrubber.patternsOnly()
            .scrub(Samples.hostile(Notification.Kind.ESCALATED, Samples.HOSTILE));
    String md = IncidentReport.markdown(n);
    String outsideCode = md.replaceAll("(?s)```text\n.*?\n```", "");
    assertThat(outsideCode).doesNotContain("@octocat", "<script", "![", "](https://evil");
    assertThat(IncidentReport.title(n)).doesNotContain("\n").hasSizeLessThanOrEqualTo(250);
    Snapshots.assertMatches("incident-hostile.md", md);
    Snapshots.assertMatches(
        "incident-hostile-pagerduty.json",
        PagerDutyTracker.event(n, "R0UT1NGKEY0000000000000000000000") + "\n");
    Snapshots.assertMatches("incident-hostile-opsgenie.json", OpsgenieTracker.alert(n) + "\n");
    assertThat(PagerDutyTracker.event(n, "k")).doesNotContain("ghp_abcdef");
  }

  @Test
  void pagerSummariesRespectTheirLimits() {
    Notification n = Samples.hostile(Notification.Kind.ESCALATED, Samples.LONG_LINE);
    assertThat(IncidentReport.summary(n, 130)).hasSizeLessThanOrEqualTo(130);
    assertThat(IncidentReport.summary(n, 1024)).hasSizeLessThanOrEqualTo(1024);
  }
}
