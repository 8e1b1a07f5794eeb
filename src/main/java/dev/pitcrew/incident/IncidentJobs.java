package dev.pitcrew.incident;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs incident steps as database-backed jobs (db-scheduler, ADR 0004). One job row per incident
 * carries it from step to step; any replica may pick it up, a replica that stops heart-beating
 * loses it to another, and a failed step is retried after 1, 2 and 4 base delays before the
 * incident escalates.
 */
public final class IncidentJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentJobs.class);
  public static final String STEP_TASK = "incident-step";
  public static final String DRAIN_TASK = "inbox-drain";

  /** Retries of a failed step before it gives up (after 1, 2, 4 base delays). */
  public static final int RETRIES = 3;

  /**
   * @param name this replica's name in the job table (host name by default)
   * @param threads steps that may run at once on this replica
   * @param pollInterval how often due jobs and the inbox are looked at
   * @param heartbeat how often this replica marks its running jobs alive; four missed beats hand
   *     them to another replica
   * @param retryBaseDelay first retry delay of a failed step (1 minute by default)
   */
  public record Settings(
      String name,
      int threads,
      Duration pollInterval,
      Duration heartbeat,
      Duration retryBaseDelay) {}

  private final IncidentWorkflow workflow;
  private final CustomTask<String> stepTask;
  private final Scheduler scheduler;
  private final Settings settings;
  private final Clock clock;

  /**
   * Another job that runs on an interval on one replica at a time (the reconciler).
   *
   * @param every how often; zero registers the task (so a row left by an earlier configuration is
   *     understood) without starting it
   */
  public record Recurring(String name, Duration every, Runnable body) {}

  public IncidentJobs(
      DataSource ds, IncidentWorkflow workflow, Runnable drain, Settings settings, Clock clock) {
    this(ds, workflow, drain, settings, clock, List.of());
  }

  public IncidentJobs(
      DataSource ds,
      IncidentWorkflow workflow,
      Runnable drain,
      Settings settings,
      Clock clock,
      List<Recurring> recurring) {
    this.workflow = workflow;
    this.settings = settings;
    this.clock = clock;
    this.stepTask =
        Tasks.custom(STEP_TASK, String.class)
            .onFailure(new Retry())
            .onDeadExecutionRevive()
            .execute((instance, ctx) -> complete(instance.getData()));
    RecurringTask<Void> drainTask =
        Tasks.recurring(DRAIN_TASK, FixedDelay.of(settings.pollInterval()))
            .execute((instance, ctx) -> drain.run());
    List<com.github.kagkarlsson.scheduler.task.Task<?>> known = new ArrayList<>(List.of(stepTask));
    List<RecurringTask<?>> started = new ArrayList<>(List.of(drainTask));
    for (Recurring r : recurring) {
      boolean on = !r.every().isZero();
      RecurringTask<Void> t =
          Tasks.recurring(r.name(), FixedDelay.of(on ? r.every() : Duration.ofHours(1)))
              .execute(
                  (instance, ctx) -> {
                    if (on) {
                      r.body().run();
                    }
                  });
      if (on) {
        started.add(t);
      } else {
        known.add(t);
      }
    }
    this.scheduler =
        Scheduler.create(ds, known)
            .startTasks(started)
            .schedulerName(new SchedulerName.Fixed(settings.name()))
            .threads(settings.threads())
            .pollingInterval(settings.pollInterval())
            .heartbeatInterval(settings.heartbeat())
            .missedHeartbeatsLimit(4)
            .enableImmediateExecution()
            .failureLogging(com.github.kagkarlsson.scheduler.logging.LogLevel.WARN, false)
            .build();
  }

  private CompletionHandler<String> complete(String id) {
    IncidentWorkflow.Next next;
    try {
      next = workflow.step(id);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return switch (next) {
      case IncidentWorkflow.Next.At at ->
          (ExecutionComplete c, ExecutionOperations<String> ops) -> ops.reschedule(c, at.when());
      case IncidentWorkflow.Next.Park p -> (c, ops) -> ops.remove();
      case IncidentWorkflow.Next.Done d -> (c, ops) -> ops.remove();
    };
  }

  /** Backoff 1, 2, 4 × base; then the workflow escalates (or stops, if escalating failed). */
  private final class Retry implements FailureHandler<String> {
    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<String> ops) {
      String id = (String) complete.getExecution().taskInstance.getData();
      int failures = complete.getExecution().consecutiveFailures + 1;
      String why =
          complete
              .getCause()
              .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
              .orElse("unknown");
      if (failures <= RETRIES) {
        Duration delay = settings.retryBaseDelay().multipliedBy(1L << (failures - 1));
        try {
          workflow.retrying(id, why, delay);
        } catch (RuntimeException e) {
          LOG.warn("could not record the retry of {}: {}", id, e.getMessage());
        }
        ops.reschedule(complete, clock.instant().plus(delay));
        return;
      }
      String step = workflow.currentStep(id).orElse(IncidentWorkflow.DONE);
      if (workflow.giveUp(id, step, why)) {
        // the escalation is a fresh step with its own retries
        ops.removeAndScheduleNew(
            com.github.kagkarlsson.scheduler.task.SchedulableInstance.of(
                stepTask.instance(id, id), clock.instant()));
      } else {
        ops.remove();
      }
    }
  }

  public void start() {
    scheduler.start();
  }

  /** Starts (or resumes) an incident's job now, unless it is already scheduled or running. */
  public boolean schedule(String id) {
    return scheduler.scheduleIfNotExists(stepTask.instance(id, id), clock.instant());
  }

  /** Runs an incident's next step as soon as possible: after approval, or a webhook result. */
  public void runNow(String id) {
    if (schedule(id)) {
      return;
    }
    try {
      scheduler.reschedule(TaskInstanceId.of(STEP_TASK, id), clock.instant());
    } catch (RuntimeException e) {
      // it is running right now and will look at the recorded state when it next runs
      LOG.debug("{} is running; not rescheduled: {}", id, e.getMessage());
    }
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public Instant now() {
    return clock.instant();
  }

  @Override
  public void close() {
    scheduler.stop();
  }
}
