package dev.pitcrew.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NotificationsTest {
  private final List<Duration> waits = new ArrayList<>();

  /** A sink whose answers are scripted, recording what it was given. */
  private static final class Scripted implements Notifier {
    final String name;
    final List<Object> answers;
    final List<Notification> seen = new ArrayList<>();
    final AtomicInteger calls = new AtomicInteger();

    Scripted(String name, Object... answers) {
      this.name = name;
      this.answers = java.util.Arrays.asList(answers);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<String> deliver(Notification n) throws DeliveryException {
      seen.add(n);
      Object a = answers.get(Math.min(calls.getAndIncrement(), answers.size() - 1));
      if (a instanceof DeliveryException e) {
        throw e;
      }
      if (a instanceof RuntimeException e) {
        throw e;
      }
      return Optional.ofNullable((String) a);
    }
  }

  private Notifications fanOut(List<Notifier> trackers, List<Notifier> sinks) {
    return new Notifications(
        trackers,
        sinks,
        Map.of("slack", SinkHealth.ready("webhook configured")),
        new SecretScrubber(List.of("hunter2-smtp-password")),
        new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(30)),
        waits::add,
        () -> 0.5,
        Runnable::run);
  }

  @Test
  void retriesATransientFailureWithGrowingWaitsAndReportsSuccess() {
    Scripted slack =
        new Scripted(
            "slack",
            new DeliveryException("HTTP 503 from hooks.slack.com", true),
            new DeliveryException("HTTP 503 from hooks.slack.com", true),
            "ok");
    DeliveryReport r = fanOut(List.of(), List.of(slack)).fanOut(Samples.autoFixed());
    assertThat(r.userNotified()).isTrue();
    assertThat(r.results()).singleElement().extracting(SinkResult::tries).isEqualTo(3);
    assertThat(waits).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500));
  }

  @Test
  void honoursRetryAfterUpToTheCap() {
    Scripted slack =
        new Scripted(
            "slack",
            new DeliveryException(
                "HTTP 429 from hooks.slack.com", true, Optional.of(Duration.ofSeconds(12)), null),
            new DeliveryException(
                "HTTP 429 from hooks.slack.com", true, Optional.of(Duration.ofMinutes(5)), null),
            "ok");
    fanOut(List.of(), List.of(slack)).fanOut(Samples.autoFixed());
    assertThat(waits).containsExactly(Duration.ofSeconds(12), Duration.ofSeconds(30));
  }

  @Test
  void doesNotRetryARefusalAndStillTellsTheOtherSinks() {
    Scripted slack = new Scripted("slack", new DeliveryException("HTTP 404: no_service", false));
    Scripted email = new Scripted("email", (Object) null);
    Notifications n = fanOut(List.of(), List.of(slack, email));
    DeliveryReport r = n.fanOut(Samples.manualReview());
    assertThat(slack.calls).hasValue(1);
    assertThat(r.userNotified()).isTrue();
    assertThat(r.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error()).contains("HTTP 404: no_service"));
    assertThat(n.health().get("slack").state()).isEqualTo(SinkHealth.State.FAILED);
    assertThat(n.health().get("slack").reason()).contains("no_service");
  }

  @Test
  void aSinkThatThrowsIsRecordedNotPropagated() {
    Scripted broken = new Scripted("slack", new IllegalStateException("bug"));
    DeliveryReport r = fanOut(List.of(), List.of(broken)).fanOut(Samples.autoFixed());
    assertThat(r.userNotified()).isFalse();
    assertThat(r.failures().get(0).error())
        .contains("internal error in slack: IllegalStateException");
  }

  @Test
  void escalationOpensTheTicketFirstAndEveryMessageLinksIt() {
    Scripted issue = new Scripted("incident:forge-issue", "https://github.com/acme/x/issues/9");
    Scripted pager = new Scripted("incident:pagerduty", (Object) null);
    Scripted slack = new Scripted("slack", (Object) null);
    DeliveryReport r = fanOut(List.of(issue, pager), List.of(slack)).fanOut(Samples.escalated());
    assertThat(r.incidentUrl()).contains("https://github.com/acme/x/issues/9");
    assertThat(pager.seen.get(0).incidentUrl()).contains("https://github.com/acme/x/issues/9");
    assertThat(slack.seen.get(0).incidentUrl()).contains("https://github.com/acme/x/issues/9");
  }

  @Test
  void trackersAreNotToldAboutWhatIsNotAnEscalation() {
    Scripted issue = new Scripted("incident:forge-issue", "https://github.com/acme/x/issues/9");
    DeliveryReport r = fanOut(List.of(issue), List.of()).fanOut(Samples.autoFixed());
    assertThat(issue.calls).hasValue(0);
    assertThat(r.incidentUrl()).isEmpty();
    assertThat(r.userNotified()).isFalse();
  }

  @Test
  void secretsAreScrubbedBeforeAnySinkSeesThem() {
    Scripted slack = new Scripted("slack", (Object) null);
    Notification n =
        Samples.hostile(
            Notification.Kind.MANUAL_REVIEW,
            "login failed password=hunter2-smtp-password token ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    fanOut(List.of(), List.of(slack)).fanOut(n);
    String seen = slack.seen.get(0).toString();
    assertThat(seen).doesNotContain("hunter2", "ghp_abcdef").contains("[REDACTED");
  }

  @Test
  void dispatchReturnsAtOnceAndCompletesWithTheReport() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Notifier slow =
        new Notifier() {
          @Override
          public String name() {
            return "slack";
          }

          @Override
          public Optional<String> deliver(Notification n) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Optional.empty();
          }
        };
    Notifications n =
        new Notifications(
            List.of(),
            List.of(slow),
            Map.of(),
            SecretScrubber.patternsOnly(),
            Backoff.standard(),
            d -> {},
            () -> 0,
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    var future = n.dispatch(Samples.autoFixed());
    assertThat(future).isNotDone();
    release.countDown();
    assertThat(future.get(5, java.util.concurrent.TimeUnit.SECONDS).userNotified()).isTrue();
  }

  @Test
  void asOneNotifierItSucceedsWhenSomeoneWasToldAndExplainsWhenNobodyWas() {
    Scripted ok = new Scripted("slack", (Object) null);
    assertThat(fanOut(List.of(), List.of(ok)).send(Samples.autoFixed())).isTrue();
    Scripted refused = new Scripted("slack", new DeliveryException("HTTP 404: no_service", false));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> fanOut(List.of(), List.of(refused)).deliver(Samples.autoFixed()))
        .isInstanceOf(DeliveryException.class)
        .hasMessage("slack: HTTP 404: no_service");
  }
}
