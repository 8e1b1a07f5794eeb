package dev.pitcrew.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.notify.comment.CommentTemplates;
import dev.pitcrew.notify.email.EmailTemplates;
import dev.pitcrew.notify.incident.IncidentReport;
import dev.pitcrew.notify.slack.SlackMessages;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sink, for every kind of notification, carries the root cause, the evidence line, what was
 * done and a link to the new run or the pull request (house rule 3: the evidence travels
 * unchanged).
 */
class SinkConformanceTest {
  private static final Map<String, Function<Notification, String>> SINKS =
      Map.of(
          "slack", SlackMessages::render,
          "email-text", EmailTemplates::plain,
          "email-html", EmailTemplates::html,
          "comment", CommentTemplates::body);

  static Stream<Arguments> cases() {
    List<Notification> samples =
        List.of(
            Samples.autoFixed(),
            Samples.manualReview(),
            Samples.awaitingApproval(),
            Samples.escalated());
    return SINKS.keySet().stream()
        .flatMap(sink -> samples.stream().map(n -> Arguments.of(sink, n.kind(), n)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void carriesRootCauseEvidenceWhatWasDoneAndTheLink(
      String sink, Notification.Kind kind, Notification n) {
    String out = SINKS.get(sink).apply(n);
    // the sample values contain nothing any sink escapes except '.', '_' and '"' in Markdown/HTML
    assertThat(unescape(out)).contains(n.rootCause(), n.evidenceLine(), n.actionTaken());
    n.newPipelineUrl().or(n::pullRequestUrl).ifPresent(link -> assertThat(out).contains(link));
    assertThat(out).contains(n.pipelineUrl());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void theIncidentTicketCarriesItToo(String sink, Notification.Kind kind, Notification n) {
    String md = unescape(IncidentReport.markdown(n));
    assertThat(md).contains(n.rootCause(), n.evidenceLine(), n.actionTaken());
    n.attempts().forEach(a -> assertThat(md).contains(a));
  }

  private static String unescape(String s) {
    return s.replace("&#8203;", "")
        .replace("\u2060", "")
        .replace("\\#", "#")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("\\.", ".")
        .replace("\\_", "_")
        .replace("\\-", "-")
        .replace("\\(", "(")
        .replace("\\)", ")")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("\\\"", "\"");
  }
}
