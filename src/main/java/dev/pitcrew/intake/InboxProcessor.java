package dev.pitcrew.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.github.GitHubEvents;
import dev.pitcrew.forge.gitlab.GitLabEvents;
import dev.pitcrew.incident.IncidentWorkflow;
import dev.pitcrew.store.Inbox;
import dev.pitcrew.store.Incidents;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stored deliveries into incidents and verification results, off the request path. Runs as a
 * recurring job; opening an incident is idempotent and the delivery is marked done last, so a crash
 * in between only repeats harmless work.
 */
public final class InboxProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(InboxProcessor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Inbox inbox;
  private final Incidents incidents;
  private final IncidentWorkflow workflow;
  private final Consumer<String> runNow;
  private final List<String> bots;

  public InboxProcessor(
      Inbox inbox,
      Incidents incidents,
      IncidentWorkflow workflow,
      Consumer<String> runNow,
      PitcrewConfig config) {
    this.inbox = inbox;
    this.incidents = incidents;
    this.workflow = workflow;
    this.runNow = runNow;
    this.bots = config.botLogins().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  /** Processes pending deliveries, oldest first; returns how many. */
  public int drain() {
    int n = 0;
    List<Inbox.Entry> batch;
    do {
      batch = inbox.pending(100);
      for (Inbox.Entry e : batch) {
        process(e);
        n++;
      }
    } while (batch.size() == 100);
    return n;
  }

  void process(Inbox.Entry e) {
    CiEvent ev;
    try {
      JsonNode p = JSON.readTree(e.payload());
      ev =
          switch (e.provider()) {
            case "github" -> GitHubEvents.normalise(e.eventType(), p);
            case ReconciledRun.PROVIDER -> ReconciledRun.decode(p);
            default -> GitLabEvents.normalise(p);
          };
    } catch (Exception ex) {
      inbox.finish(
          e.id(), Inbox.Status.FAILED, "cannot read the stored delivery: " + ex.getMessage());
      return;
    }
    switch (ev) {
      case CiEvent.RunSucceeded s -> {
        Optional<String> id = correlate(s.run(), true);
        inbox.finish(
            e.id(),
            Inbox.Status.PROCESSED,
            id.map(i -> "verifies " + i).orElse("no fix waits on this run"));
      }
      case CiEvent.RunFailed f -> {
        Optional<String> id = correlate(f.run(), false);
        if (id.isPresent()) {
          inbox.finish(e.id(), Inbox.Status.PROCESSED, "verifies " + id.get());
          return;
        }
        if (f.actor() != null && bots.contains(f.actor().toLowerCase(Locale.ROOT))) {
          inbox.finish(e.id(), Inbox.Status.IGNORED, "Pitcrew's own run (" + f.actor() + ")");
          return;
        }
        int later = inbox.laterPassedAttempt(f.run());
        if (later > 0) {
          inbox.finish(
              e.id(),
              Inbox.Status.IGNORED,
              "stale: attempt " + later + " of this run already passed");
          return;
        }
        int attempt =
            incidents.idForRun(f.run().key()).isPresent()
                ? 0
                : incidents.attemptsForPipeline(f.run()) + 1;
        var opened =
            incidents.open(
                new Incidents.Seed(
                    f.run(),
                    f.failedJobId(),
                    f.actor(),
                    f.url(),
                    f.branch(),
                    f.sha(),
                    Math.max(1, attempt),
                    f.pullRequest()));
        runNow.accept(opened.incidentId());
        inbox.finish(
            e.id(),
            Inbox.Status.PROCESSED,
            (opened.created() ? "opened " : "already open as ") + opened.incidentId());
        LOG.info("delivery {} → incident {}", e.id(), opened.incidentId());
      }
      case CiEvent.Ignored i -> inbox.finish(e.id(), Inbox.Status.IGNORED, i.reason());
    }
  }

  private Optional<String> correlate(dev.pitcrew.forge.RunRef run, boolean passed) {
    Optional<String> id = incidents.idForNewRun(run.key());
    if (id.isPresent() && workflow.observe(id.get(), run, passed)) {
      runNow.accept(id.get());
      return id;
    }
    return Optional.empty();
  }
}
