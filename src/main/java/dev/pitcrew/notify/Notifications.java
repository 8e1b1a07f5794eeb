package dev.pitcrew.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one notifier the workflow calls: scrubs secrets, opens the incident ticket first for an
 * escalation (so every message can link to it), then tells each person-facing sink, retrying each
 * with backoff. One sink failing never stops the others, and nothing is thrown to the caller: it
 * gets a {@link DeliveryReport} to record. {@link #dispatch} runs on its own executor so a slow
 * Slack never holds up a remediation.
 */
public final class Notifications implements Notifier {
  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

  /** Waits between tries; tests pass a recorder, production sleeps. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final List<Notifier> incidentTrackers;
  private final List<Notifier> sinks;
  private final Map<String, SinkHealth> configured;
  private final SecretScrubber scrubber;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Executor executor;
  private final Map<String, SinkHealth> lastFailure = new ConcurrentHashMap<>();

  /**
   * @param incidentTrackers sinks that open tickets for escalations, tried first, in order
   * @param sinks person-facing sinks (Slack, e-mail, comment)
   * @param configured the configuration's view of every sink, including disabled ones
   */
  public Notifications(
      List<Notifier> incidentTrackers,
      List<Notifier> sinks,
      Map<String, SinkHealth> configured,
      SecretScrubber scrubber,
      Backoff backoff,
      Sleeper sleeper,
      DoubleSupplier random,
      Executor executor) {
    this.incidentTrackers = List.copyOf(incidentTrackers);
    this.sinks = List.copyOf(sinks);
    this.configured = Map.copyOf(configured);
    this.scrubber = scrubber;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.random = random;
    this.executor = executor;
  }

  /** Delivers in the background; the future always completes normally. */
  public CompletableFuture<DeliveryReport> dispatch(Notification notification) {
    return CompletableFuture.supplyAsync(() -> fanOut(notification), executor);
  }

  @Override
  public String name() {
    return "notifications";
  }

  /**
   * The fan-out as one {@link Notifier}, for callers that hold a list of notifiers: succeeds when a
   * person was told or a ticket opened, and returns the incident URL when one was opened. Prefer
   * {@link #fanOut}, whose report also says which sinks failed.
   */
  @Override
  public Optional<String> deliver(Notification notification) throws DeliveryException {
    DeliveryReport r = fanOut(notification);
    if (!r.userNotified() && r.incidentUrl().isEmpty()) {
      String why =
          r.failures().stream()
              .map(f -> f.sink() + ": " + f.error().orElse("failed"))
              .reduce((a, b) -> a + "; " + b)
              .orElse("no sink is configured for this notification");
      throw new DeliveryException(why, false);
    }
    return r.incidentUrl();
  }

  /** Delivers now, on the caller's thread, retrying each sink; never throws. */
  public DeliveryReport fanOut(Notification notification) {
    Notification n = scrubber.scrub(notification);
    List<SinkResult> results = new ArrayList<>();
    Optional<String> incidentUrl = Optional.empty();
    if (n.kind() == Notification.Kind.ESCALATED) {
      for (Notifier t : incidentTrackers) {
        Notification current = incidentUrl.map(n::withIncidentUrl).orElse(n);
        SinkResult r = attempt(t, current);
        results.add(r);
        if (incidentUrl.isEmpty() && r.delivered() && r.link().isPresent()) {
          incidentUrl = r.link();
        }
      }
    }
    Notification withTicket = incidentUrl.map(n::withIncidentUrl).orElse(n);
    for (Notifier s : sinks) {
      results.add(attempt(s, withTicket));
    }
    return new DeliveryReport(results, incidentUrl);
  }

  /** Every sink's state for /health: configuration first, then the last delivery's outcome. */
  public Map<String, SinkHealth> health() {
    Map<String, SinkHealth> out = new LinkedHashMap<>(configured);
    lastFailure.forEach(
        (sink, h) -> {
          SinkHealth c = out.get(sink);
          if (c == null || c.state() == SinkHealth.State.READY) {
            out.put(sink, h);
          }
        });
    return out;
  }

  private SinkResult attempt(Notifier sink, Notification n) {
    String name = sink.name();
    boolean accepts;
    try {
      accepts = sink.accepts(n);
    } catch (RuntimeException e) {
      accepts = false;
    }
    if (!accepts) {
      return SinkResult.skipped(name);
    }
    String error = "";
    for (int tryNo = 1; tryNo <= backoff.attempts(); tryNo++) {
      try {
        Optional<String> link = sink.deliver(n);
        lastFailure.remove(name);
        return new SinkResult(name, true, tryNo, link, Optional.empty());
      } catch (DeliveryException e) {
        error = e.getMessage();
        LOG.warn("{} for action {}: try {} failed: {}", name, n.actionId(), tryNo, error);
        if (!e.retryable() || tryNo == backoff.attempts()) {
          return failed(name, tryNo, error);
        }
        if (!pause(backoff.before(tryNo + 1, e.retryAfter(), random))) {
          return failed(name, tryNo, error + " (interrupted while waiting to retry)");
        }
      } catch (RuntimeException e) {
        // a bug in a sink must not reach the remediation; it is not worth retrying
        error = "internal error in " + name + ": " + e.getClass().getSimpleName();
        LOG.error("{} for action {} threw", name, n.actionId(), e);
        return failed(name, tryNo, error);
      }
    }
    return failed(name, backoff.attempts(), error);
  }

  private SinkResult failed(String name, int tries, String error) {
    lastFailure.put(name, SinkHealth.failed("last delivery failed: " + error));
    return new SinkResult(name, false, tries, Optional.empty(), Optional.of(error));
  }

  private boolean pause(Duration d) {
    try {
      sleeper.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
