package dev.pitcrew.notify.comment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.RecordingForge;
import dev.pitcrew.notify.Samples;
import dev.pitcrew.notify.SecretScrubber;
import dev.pitcrew.notify.Snapshots;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PullRequestCommenterTest {
  @Test
  void commentsOnThePullRequestTheFailureBelongsTo() throws Exception {
    RecordingForge forge = new RecordingForge();
    PullRequestCommenter c = new PullRequestCommenter(List.of(forge));
    Notification n = Samples.escalated();
    assertThat(c.accepts(n)).isTrue();
    c.deliver(n);
    assertThat(forge.comments)
        .singleElement()
        .asString()
        .startsWith("41:### 🚨 Pipeline Escalated - Auto-Fix Failed")
        .contains("**Root cause:** Flaky test OrderServiceTest\\.timesOut keeps failing")
        .contains("912: java.util.concurrent.TimeoutException: after 30000 ms")
        .contains("[Failed pipeline](https://github.com/acme/user-service/actions/runs/12500)");
  }

  @Test
  void aSecondDeliveryOfTheSameMessageFindsTheFirstCommentAndAddsNone() throws Exception {
    RecordingForge forge = new RecordingForge();
    PullRequestCommenter c = new PullRequestCommenter(List.of(forge));
    Notification n = Samples.escalated();
    c.deliver(n);
    c.deliver(n);
    assertThat(forge.comments)
        .singleElement()
        .asString()
        .endsWith("\n<!-- pitcrew:" + n.actionId() + ":escalated -->\n");
  }

  @Test
  void anotherKindOfMessageForTheSameActionIsItsOwnComment() throws Exception {
    RecordingForge forge = new RecordingForge();
    PullRequestCommenter c = new PullRequestCommenter(List.of(forge));
    c.deliver(Samples.hostile(Notification.Kind.AWAITING_APPROVAL, "plain text"));
    c.deliver(Samples.hostile(Notification.Kind.AUTO_FIXED, "plain text"));
    c.deliver(Samples.hostile(Notification.Kind.AUTO_FIXED, "plain text"));
    assertThat(forge.comments).hasSize(2);
    assertThat(forge.comments.get(1)).contains("<!-- pitcrew:ra-0666:auto_fixed -->");
  }

  @Test
  void staysQuietWhenTheFailureBelongsToNoPullRequest() {
    assertThat(new PullRequestCommenter(List.of(new RecordingForge())).accepts(Samples.autoFixed()))
        .isFalse();
  }

  @ParameterizedTest
  @EnumSource(Notification.Kind.class)
  void hostileTextIsEscaped(Notification.Kind kind) {
    Notification n = SecretScrubber.patternsOnly().scrub(Samples.hostile(kind, Samples.HOSTILE));
    String body = CommentTemplates.body(n);
    String outsideCode = body.replaceAll("(?s)```text\n.*?\n```", "");
    assertThat(outsideCode)
        .doesNotContain(
            "@here", "@octocat", "<script", "<img", "![", "](https://evil", "<!channel>")
        .doesNotContain("javascript:", "ghp_abcdef");
    Snapshots.assertMatches(
        "comment-hostile-" + kind.name().toLowerCase(Locale.ROOT) + ".md", body);
  }

  @Test
  void tenThousandCharacterLinesAreCut() {
    String body =
        CommentTemplates.body(Samples.hostile(Notification.Kind.MANUAL_REVIEW, Samples.LONG_LINE));
    assertThat(body.length()).isLessThan(10_000);
  }
}
