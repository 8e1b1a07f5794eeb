package dev.pitcrew.notify.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Samples;
import dev.pitcrew.notify.SecretScrubber;
import dev.pitcrew.notify.Snapshots;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EmailTemplatesTest {
  @Test
  void autoFixedCarriesRootCauseEvidenceFixAndLinks() {
    String text = EmailTemplates.plain(Samples.autoFixed());
    assertThat(text)
        .contains("Pipeline Auto-Fixed")
        .contains("Root cause: Missing dependency: requests")
        .contains("Fix applied: Added requests==2.31.0 to requirements.txt")
        .contains("347: ModuleNotFoundError: No module named 'requests'")
        .contains("New pipeline: https://github.com/acme/user-service/actions/runs/12346")
        .contains("Changes: https://github.com/acme/user-service/pull/88")
        .contains("Time saved: ~15 minutes");
    assertThat(EmailTemplates.subject(Samples.autoFixed()))
        .isEqualTo("[Pitcrew] Pipeline auto-fixed: acme/user-service main #12345");
  }

  @Test
  void manualReviewListsSuggestionsInBothParts() {
    String html = EmailTemplates.html(Samples.manualReview());
    assertThat(html)
        .contains("<li>Review migration script for data integrity issues</li>")
        .contains("<th align=\"left\">Confidence</th><td>87%</td>")
        .contains("<a href=\"https://pitcrew.acme.test/api/actions/ra-0002\">Analysis</a>");
  }

  @ParameterizedTest
  @EnumSource(Notification.Kind.class)
  void hostileTextIsEscapedInTheHtmlPartAndNeverBreaksTheSubject(Notification.Kind kind) {
    Notification n =
        SecretScrubber.patternsOnly()
            .scrub(Samples.hostile(kind, Samples.HOSTILE + "\r\nBcc: x@y"));
    String html = EmailTemplates.html(n);
    assertThat(html).doesNotContain("<script", "<img", "onerror=alert(1)>", "javascript:");
    assertThat(html).doesNotContainPattern("<a href=\"https://evil");
    assertThat(html).doesNotContain("ghp_abcdef", "\u202E");
    String subject = EmailTemplates.subject(n);
    assertThat(subject).doesNotContain("\r", "\n").hasSizeLessThanOrEqualTo(200);
    String name = kind.name().toLowerCase(Locale.ROOT);
    Snapshots.assertMatches("email-hostile-" + name + ".html", html);
    Snapshots.assertMatches(
        "email-hostile-" + name + ".txt", subject + "\n\n" + EmailTemplates.plain(n));
  }

  @Test
  void tenThousandCharacterLinesAreCut() {
    Notification n = Samples.hostile(Notification.Kind.MANUAL_REVIEW, Samples.LONG_LINE);
    assertThat(EmailTemplates.html(n).length()).isLessThan(20_000);
    assertThat(EmailTemplates.plain(n)).contains("E…");
  }

  @Test
  void authorAddressesFromCommitsMustBePlainMailboxes() {
    assertThat(EmailNotifier.authorAddress("dev@acme.test")).isPresent();
    assertThat(EmailNotifier.authorAddress("a@b.test, victim@c.test")).isEmpty();
    assertThat(EmailNotifier.authorAddress("a@b.test\r\nBcc: x@y.test")).isEmpty();
    assertThat(EmailNotifier.authorAddress("\"Evil\" <a@b.test>")).isEmpty();
    assertThat(EmailNotifier.authorAddress("12+octo@users.noreply.github.com")).isEmpty();
  }
}
