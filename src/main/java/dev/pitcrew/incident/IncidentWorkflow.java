package dev.pitcrew.incident;

import dev.pitcrew.audit.AuditLog;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Subject;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.internal.Strings;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Notifier;
import dev.pitcrew.policy.RiskPolicy;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Remediation;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.testtiming.TestHistory;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.Incident;
import dev.pitcrew.store.Incidents;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one incident, from a failed run to a notification. Each call of {@link #step} runs
 * the incident's current step and records its result before moving on, so a step run twice (after a
 * crash, on another replica) finds its work recorded: a diagnosis is not redone, a plan is not
 * re-applied once verified, a person is not notified twice. Acting goes through {@link
 * Remediation#apply}, which is itself idempotent; the audit log gets an entry before and after.
 */
public final class IncidentWorkflow {
  private static final Logger LOG = LoggerFactory.getLogger(IncidentWorkflow.class);

  public static final String RECEIVED = "RECEIVED";
  public static final String DIAGNOSE = "DIAGNOSE";
  public static final String PLAN = "PLAN";
  public static final String JUDGE = "JUDGE";
  public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
  public static final String APPLY = "APPLY";
  public static final String VERIFY = "VERIFY";
  public static final String ESCALATE = "ESCALATE";
  public static final String NOTIFY = "NOTIFY";
  public static final String DONE = "DONE";

  /** What the job runner does after a step. */
  public sealed interface Next {
    /** Run the next step at this time. */
    record At(Instant when) implements Next {}

    /** Wait for a person (approve or reject resumes it). */
    record Park() implements Next {}

    /** Nothing more to do. */
    record Done() implements Next {}
  }

  /**
   * @param maxAttempts automatic attempts per pipeline before escalating (3)
   * @param verifyPollInterval how often to look at the verifying run when no webhook says
   * @param minutesSaved estimated manual minutes per category, for notifications and stats
   * @param publicUrl where people reach this service, for approve links; may be empty
   */
  public record Settings(
      int maxAttempts,
      Duration verifyPollInterval,
      Map<String, Double> minutesSaved,
      String publicUrl) {}

  private final Incidents incidents;
  private final AuditLog audit;
  private final ForgeRegistry forges;
  private final Diagnoser diagnoser;
  private final Optional<Remediation> remediation;
  private final RiskPolicy policy;
  private final List<Notifier> notifiers;
  private final Clock clock;
  private final Settings settings;
  private final Optional<TestHistory> tests;

  public IncidentWorkflow(
      Incidents incidents,
      AuditLog audit,
      ForgeRegistry forges,
      Diagnoser diagnoser,
      Optional<Remediation> remediation,
      RiskPolicy policy,
      List<Notifier> notifiers,
      Clock clock,
      Settings settings) {
    this(
        incidents,
        audit,
        forges,
        diagnoser,
        remediation,
        policy,
        notifiers,
        clock,
        settings,
        Optional.empty());
  }

  /** With {@code tests}, failed runs and passing re-runs feed the flakiness history. */
  public IncidentWorkflow(
      Incidents incidents,
      AuditLog audit,
      ForgeRegistry forges,
      Diagnoser diagnoser,
      Optional<Remediation> remediation,
      RiskPolicy policy,
      List<Notifier> notifiers,
      Clock clock,
      Settings settings,
      Optional<TestHistory> tests) {
    this.incidents = incidents;
    this.audit = audit;
    this.forges = forges;
    this.diagnoser = diagnoser;
    this.remediation = remediation;
    this.policy = policy;
    this.notifiers = List.copyOf(notifiers);
    this.clock = clock;
    this.settings = settings;
    this.tests = tests;
  }

  /** Runs the incident's current step. Exceptions mean "retry later" to the job runner. */
  public Next step(String id) throws IOException {
    Incident inc =
        incidents.incident(id).orElseThrow(() -> new IllegalStateException("no incident " + id));
    ActionRecord a = incidents.action(id).orElseThrow();
    return switch (inc.step()) {
      case RECEIVED -> received(inc, a);
      case DIAGNOSE -> diagnose(inc, a);
      case PLAN -> plan(inc, a);
      case JUDGE -> judge(inc, a);
      case AWAITING_APPROVAL -> new Next.Park();
      case APPLY -> apply(inc, a);
      case VERIFY -> verify(inc, a);
      case ESCALATE -> escalate(inc, a);
      case NOTIFY -> notify(inc, a);
      case DONE -> new Next.Done();
      default ->
          throw new IllegalStateException(
              "incident " + id + " is at an unknown step " + inc.step());
    };
  }

  private Next received(Incident inc, ActionRecord a) {
    audit(inc, "pitcrew", "received", "failed run " + inc.run().key() + ", attempt " + a.attempt());
    if (forges.forProvider(inc.run().repo().provider()).isEmpty()) {
      return manual(
          inc,
          "no forge is configured for "
              + inc.run().repo().provider().wire()
              + "; set its token (GITHUB_TOKEN or GITLAB_TOKEN) so Pitcrew can read the logs");
    }
    if (a.attempt() > settings.maxAttempts()) {
      audit(
          inc,
          "pitcrew",
          "attempts.exhausted",
          "this pipeline already had " + settings.maxAttempts() + " automatic attempts");
      return moveTo(inc, ESCALATE, cols(), cols());
    }
    return moveTo(inc, DIAGNOSE, cols(), cols("status", "diagnosing"));
  }

  private Next diagnose(Incident inc, ActionRecord a) throws IOException {
    if (inc.diagnosisJson().isPresent()) {
      return moveTo(inc, PLAN, cols(), cols());
    }
    Forge forge = forge(inc);
    RunRef current = inc.newRun().orElse(inc.run());
    List<Forge.JobLog> logs = forge.failedJobLogs(current);
    if (logs.isEmpty()) {
      return manual(inc, "the forge reports no failed job logs for run " + current.runId());
    }
    Forge.JobLog chosen = logs.get(0);
    for (Forge.JobLog l : logs) {
      if (inc.newRun().isEmpty() && l.job().ref().jobId().equals(inc.failedJobId())) {
        chosen = l;
      }
    }
    Optional<Run> run = runOf(forge, current);
    Forge.JobLog failedJob = chosen;
    learn(inc, () -> tests.get().observeFailedRun(forge, current, failedJob.log()));
    Optional<LogSource> previous = run.flatMap(r -> previousSuccess(forge, r, failedJob));
    Subject subject =
        new Subject(
            Optional.of(inc.run().repo().fullName()),
            Optional.of(inc.incidentId()),
            diagnoser.analyzers().isEmpty()
                ? Optional.empty()
                : run.flatMap(r -> pipelineFile(forge, r)));
    Diagnosis d = diagnoser.diagnose(chosen.log(), previous, subject);
    List<ActionRecord.EvidenceLine> ev =
        d.evidence().stream().map(e -> new ActionRecord.EvidenceLine(e.line(), e.text())).toList();
    audit(
        inc,
        "pitcrew",
        "diagnosed",
        d.category().wire()
            + " (confidence "
            + d.confidence()
            + ", "
            + d.analyzer()
            + "): "
            + d.rootCause()
            + (ev.isEmpty()
                ? ""
                : "; evidence line "
                    + ev.get(0).line()
                    + ": "
                    + Strings.abbreviate(ev.get(0).text(), 300)));
    Map<String, Object> action =
        cols(
            "failure_category", d.category().wire(),
            "root_cause", d.rootCause(),
            "confidence", d.confidence(),
            "evidence", ev,
            "playbook_used", d.playbookId().orElse(null),
            "risk_level", d.riskLevel().wire());
    if (!d.category().fixable()) {
      // the decision not to act is part of the trail, as for every other incident left to people
      audit(
          inc,
          "pitcrew",
          "manual",
          "a "
              + d.category().wire()
              + " failure needs a person; Pitcrew never acts on it automatically");
      action.put("status", "skipped");
      action.put("outcome", "manual");
      return moveTo(inc, NOTIFY, cols("diagnosis_json", DiagnosisCodec.write(d)), action);
    }
    return moveTo(inc, PLAN, cols("diagnosis_json", DiagnosisCodec.write(d)), action);
  }

  private static Optional<Run> runOf(Forge forge, RunRef current) {
    try {
      return Optional.of(forge.run(current));
    } catch (IOException | RuntimeException e) {
      LOG.info("run {} could not be read: {}", current.key(), e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<LogSource> previousSuccess(Forge forge, Run run, Forge.JobLog failed) {
    try {
      Optional<Run> ok = forge.lastSuccessfulRun(run);
      if (ok.isEmpty()) {
        return Optional.empty();
      }
      for (Run.Job j : ok.get().jobs()) {
        if (j.ref().name() != null && j.ref().name().equals(failed.job().ref().name())) {
          return Optional.of(forge.jobLog(j.ref()));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.info("no previous successful log for {}: {}", run.ref().key(), e.getMessage());
    }
    return Optional.empty();
  }

  /** Largest pipeline file read for the model's prompt; the prompt trims it further. */
  static final int MAX_PIPELINE_FILE_CHARS = 256 * 1024;

  /**
   * The pipeline definition the run executed, read at the run's commit, for the model's prompt;
   * empty when the forge cannot tell which file or cannot read it (the prompt then says so).
   */
  private static Optional<Subject.PipelineFile> pipelineFile(Forge forge, Run run) {
    if (run.sha() == null) {
      return Optional.empty();
    }
    try {
      Optional<String> path = forge.pipelineFilePath(run);
      if (path.isEmpty()) {
        return Optional.empty();
      }
      return forge
          .fileContent(run.ref().repo(), path.get(), run.sha())
          .map(
              c ->
                  new Subject.PipelineFile(
                      path.get(), Strings.abbreviate(c, MAX_PIPELINE_FILE_CHARS)));
    } catch (IOException | RuntimeException e) {
      LOG.info("no pipeline file for {}: {}", run.ref().key(), e.getMessage());
      return Optional.empty();
    }
  }

  private Next plan(Incident inc, ActionRecord a) throws IOException {
    if (inc.planJson().isPresent()) {
      return moveTo(inc, JUDGE, cols(), cols());
    }
    if (remediation.isEmpty()) {
      return manual(inc, "no remediation actions are installed in this build");
    }
    Diagnosis d = DiagnosisCodec.read(inc.diagnosisJson().orElseThrow());
    Optional<Plan> plan = remediation.get().plan(d, context(inc, a));
    if (plan.isEmpty()) {
      return manual(inc, "no registered action fixes this " + d.category().wire() + " failure");
    }
    audit(inc, "pitcrew", "planned", plan.get().action() + ": " + plan.get().summary());
    return moveTo(
        inc,
        JUDGE,
        cols("plan_json", DiagnosisCodec.write(plan.get())),
        cols("risk_level", d.riskLevel().max(plan.get().risk()).wire()));
  }

  /**
   * The policy as the repository's {@code .pitcrew.yml} at the failed commit shapes it; the
   * defaults when there is no such file, and the defaults with an audit entry when it is invalid or
   * cannot be read.
   */
  private RiskPolicy repositoryPolicy(Incident inc, ActionRecord a) {
    Optional<Forge> forge = forges.forProvider(inc.run().repo().provider());
    if (forge.isEmpty()) {
      return policy;
    }
    try {
      Optional<String> text =
          forge
              .get()
              .fileContent(
                  inc.run().repo(),
                  dev.pitcrew.policy.RepoSettings.FILE,
                  a.commitSha() != null ? a.commitSha() : a.branch());
      if (text.isEmpty()) {
        return policy;
      }
      RiskPolicy shaped = policy.forRepository(text.get());
      audit(
          inc, "policy", "repository.settings", dev.pitcrew.policy.RepoSettings.FILE + " applied");
      return shaped;
    } catch (IOException | RuntimeException e) {
      audit(
          inc,
          "policy",
          "repository.settings",
          dev.pitcrew.policy.RepoSettings.FILE + " ignored: " + e.getMessage());
      return policy;
    }
  }

  private Next judge(Incident inc, ActionRecord a) {
    Diagnosis d = DiagnosisCodec.read(inc.diagnosisJson().orElseThrow());
    Plan p = DiagnosisCodec.readPlan(inc.planJson().orElseThrow());
    Verdict v = repositoryPolicy(inc, a).judge(d, p, a.attempt());
    audit(inc, "policy", "judged", v.decision() + ": " + v.reason());
    Map<String, Object> verdict =
        cols("verdict", v.decision().name(), "verdict_reason", v.reason());
    return switch (v.decision()) {
      case ALLOW, NOTIFY ->
          moveTo(inc, APPLY, verdict, cols("status", "remediating", "approval_required", false));
      case ASK -> {
        send(Notification.Kind.AWAITING_APPROVAL, inc, a, v.reason());
        moveTo(
            inc,
            AWAITING_APPROVAL,
            verdict,
            cols("status", "awaiting_approval", "approval_required", true));
        yield new Next.Park();
      }
      case DENY -> {
        Map<String, Object> action = cols("status", "skipped", "outcome", "manual");
        yield moveTo(inc, NOTIFY, verdict, action);
      }
    };
  }

  /** A person approves a remediation waiting for approval; false when it was not waiting. */
  public boolean approve(String id, String who) {
    Optional<Incident> inc = incidents.incident(id);
    boolean moved = incidents.advance(id, AWAITING_APPROVAL, APPLY, cols("status", "remediating"));
    if (moved) {
      audit(inc.orElseThrow(), who, "approved", "approved by " + who);
    }
    return moved;
  }

  /** A person rejects it; Pitcrew does not act and says so. */
  public boolean reject(String id, String who, String reason) {
    Optional<Incident> inc = incidents.incident(id);
    boolean moved =
        incidents.advance(
            id, AWAITING_APPROVAL, NOTIFY, cols("status", "skipped", "outcome", "manual"));
    if (moved) {
      audit(
          inc.orElseThrow(),
          who,
          "rejected",
          "rejected by " + who + (reason == null ? "" : ": " + reason));
    }
    return moved;
  }

  private Next apply(Incident inc, ActionRecord a) throws IOException {
    Plan plan = DiagnosisCodec.readPlan(inc.planJson().orElseThrow());
    RemediationContext ctx = context(inc, a);
    audit(
        inc,
        "pitcrew",
        "apply.before",
        plan.action() + " (attempt " + a.attempt() + "): " + plan.summary());
    long t0 = System.nanoTime();
    Outcome o = remediation.orElseThrow().apply(plan, ctx);
    double secs = (System.nanoTime() - t0) / 1e9;
    audit(inc, "pitcrew", "apply.after", o.status() + ": " + o.detail());
    List<ActionRecord.StepResult> steps = new ArrayList<>(a.remediationStepsExecuted());
    steps.add(
        new ActionRecord.StepResult(
            plan.action(),
            o.status() == Outcome.Status.FAILED ? "failure" : "success",
            Math.round(secs * 1000) / 1000.0,
            o.detail()));
    Map<String, Object> action = cols("remediation_steps_executed", steps);
    o.pullRequest().ifPresent(pr -> action.put("pull_request_url", pr.url()));
    if (o.status() == Outcome.Status.FAILED) {
      action.put("status", "failed");
      action.put("outcome", "failure");
      return moveTo(inc, ESCALATE, cols(), action);
    }
    if (dev.pitcrew.remediation.Plans.SUGGESTION.equals(plan.action())) {
      // advice for a person changed nothing: the failure is theirs to fix, not a success of ours
      action.put("status", "skipped");
      action.put("outcome", "manual");
      action.put("auto_fix_applied", false);
      action.put("finished_at", clock.instant());
      return moveTo(inc, NOTIFY, cols(), action);
    }
    action.put("auto_fix_applied", true);
    if (o.newRun().isPresent()) {
      RunRef nr = o.newRun().get();
      action.put("status", "verifying");
      action.put("new_pipeline_id", nr.runId());
      action.put("new_pipeline_status", "running");
      incidents.update(
          inc.incidentId(),
          cols(
              "step",
              VERIFY,
              "new_run_key",
              nr.key(),
              "new_run_id",
              nr.runId(),
              "new_run_attempt",
              nr.attempt()),
          action);
      return new Next.At(clock.instant().plus(settings.verifyPollInterval()));
    }
    if (o.pullRequest().isPresent()) {
      // the fix waits for a person to merge the pull request; its pipeline verifies it
      action.put("status", "verifying");
      action.put("outcome", "pending");
    } else {
      action.put("status", "succeeded");
      action.put("outcome", "success");
      action.put("finished_at", clock.instant());
    }
    return moveTo(inc, NOTIFY, cols(), action);
  }

  /** A webhook reported the verifying run's result; the job picks it up at once. */
  public boolean observe(String id, RunRef run, boolean passed) {
    Optional<Incident> inc = incidents.incident(id);
    if (inc.isEmpty()
        || !inc.get().step().equals(VERIFY)
        || inc.get().newRun().isEmpty()
        || !inc.get().newRun().get().key().equals(run.key())) {
      return false;
    }
    incidents.update(id, cols(), cols("new_pipeline_status", passed ? "passed" : "failed"));
    audit(
        inc.get(),
        "forge",
        "verify.webhook",
        "run " + run.runId() + " attempt " + run.attempt() + (passed ? " passed" : " failed"));
    return true;
  }

  private Next verify(Incident inc, ActionRecord a) throws IOException {
    RunRef nr = inc.newRun().orElseThrow();
    String status = a.newPipelineStatus();
    String url = a.newPipelineUrl();
    if (!"passed".equals(status) && !"failed".equals(status)) {
      Run run = forge(inc).run(nr);
      url = run.url();
      status =
          switch (run.outcome()) {
            case "passed" -> "passed";
            case "failed", "cancelled" -> "failed";
            default -> "running";
          };
    }
    if (status.equals("running")) {
      incidents.update(
          inc.incidentId(),
          cols(),
          cols("new_pipeline_status", "running", "new_pipeline_url", url));
      return new Next.At(clock.instant().plus(settings.verifyPollInterval()));
    }
    boolean rerunPassed = status.equals("passed");
    learn(inc, () -> tests.get().observeRerun(forge(inc), inc.run(), nr, rerunPassed));
    audit(
        inc,
        "pitcrew",
        "verified",
        "run " + nr.runId() + " attempt " + nr.attempt() + " " + status);
    if (status.equals("passed")) {
      Instant now = clock.instant();
      double ttf = Duration.between(a.timestamp(), now).toMillis() / 1000.0;
      return moveTo(
          inc,
          NOTIFY,
          cols(),
          cols(
              "status",
              "succeeded",
              "outcome",
              "success",
              "new_pipeline_status",
              "passed",
              "new_pipeline_url",
              url,
              "time_to_fix",
              ttf,
              "finished_at",
              now));
    }
    if (a.attempt() < settings.maxAttempts()) {
      // the fix did not hold: diagnose the new failure and try again
      return moveTo(
          inc,
          DIAGNOSE,
          cols("diagnosis_json", null, "plan_json", null, "verdict", null, "verdict_reason", null),
          cols(
              "status",
              "diagnosing",
              "attempt",
              a.attempt() + 1,
              "new_pipeline_status",
              "failed",
              "new_pipeline_url",
              url));
    }
    return moveTo(
        inc, ESCALATE, cols(), cols("new_pipeline_status", "failed", "new_pipeline_url", url));
  }

  private Next escalate(Incident inc, ActionRecord a) throws IOException {
    String url = a.incidentUrl();
    Optional<Forge> forge = forges.forProvider(inc.run().repo().provider());
    if (url == null && forge.isPresent()) {
      RepoRef repo = inc.run().repo();
      url =
          forge
              .get()
              .ensureIssue(
                  repo,
                  "Pitcrew: pipeline " + inc.run().runId() + " on " + a.branch() + " still fails",
                  escalationBody(a),
                  List.of("pitcrew", "ci-failure"));
    }
    audit(
        inc,
        "pitcrew",
        "escalated",
        "after " + a.attempt() + " attempt(s)" + (url == null ? "" : "; ticket " + url));
    return moveTo(
        inc,
        NOTIFY,
        cols(),
        cols(
            "status",
            "escalated",
            "outcome",
            "failure",
            "incident_url",
            url,
            "finished_at",
            clock.instant()));
  }

  private static String escalationBody(ActionRecord a) {
    StringBuilder sb = new StringBuilder();
    sb.append("Pitcrew could not fix pipeline ").append(a.pipelineId());
    if (a.pipelineUrl() != null) {
      sb.append(" (").append(a.pipelineUrl()).append(")");
    }
    sb.append(" after ").append(a.attempt()).append(" attempt(s).\n\n");
    if (a.failureCategory() != null) {
      sb.append("Category: ")
          .append(a.failureCategory())
          .append("\nRoot cause: ")
          .append(a.rootCause())
          .append('\n');
    }
    if (!a.evidence().isEmpty()) {
      sb.append("Evidence, line ")
          .append(a.evidence().get(0).line())
          .append(":\n\n    ")
          .append(a.evidence().get(0).text())
          .append('\n');
    }
    for (ActionRecord.StepResult s : a.remediationStepsExecuted()) {
      sb.append("\n- ")
          .append(s.step())
          .append(": ")
          .append(s.result())
          .append(" (")
          .append(s.detail())
          .append(')');
    }
    sb.append("\n\nAction id: ").append(a.actionId());
    return sb.toString();
  }

  private Next notify(Incident inc, ActionRecord a) {
    if (!a.userNotified()) {
      Notification.Kind kind =
          switch (a.status()) {
            case "succeeded" -> Notification.Kind.AUTO_FIXED;
            case "escalated", "failed" -> Notification.Kind.ESCALATED;
            default -> Notification.Kind.MANUAL_REVIEW;
          };
      String reason =
          inc.verdictReason()
              .or(() -> Optional.ofNullable(a.rootCause()))
              .orElse("Pitcrew could not diagnose this failure; the audit trail says why");
      Delivery sent = send(kind, inc, a, reason);
      Map<String, Object> actionCols = cols("user_notified", !sent.sinks().isEmpty());
      if (a.incidentUrl() == null && sent.ticket().isPresent()) {
        // an incident tracker (PagerDuty, Opsgenie, a webhook) opened the ticket
        actionCols.put("incident_url", sent.ticket().get());
      }
      incidents.update(inc.incidentId(), cols("step", DONE), actionCols);
      return new Next.Done();
    }
    return moveTo(inc, DONE, cols(), cols());
  }

  /**
   * The pull/merge request the failed run belongs to: as the webhook named it, else as the forge
   * reports it (a job delivery names none; GitLab finds the merge request of the pipeline's ref).
   * Empty when it belongs to none or the forge cannot say; a notification is never held up for it.
   */
  private Optional<dev.pitcrew.forge.PullRequest> pullRequest(Incident inc) {
    if (inc.pullRequest().isPresent()) {
      return inc.pullRequest();
    }
    Optional<Forge> forge = forges.forProvider(inc.run().repo().provider());
    if (forge.isEmpty()) {
      return Optional.empty();
    }
    try {
      return forge.get().pullRequestOf(inc.run());
    } catch (IOException | RuntimeException e) {
      LOG.info("no pull request known for {}: {}", inc.run().key(), e.getMessage());
      return Optional.empty();
    }
  }

  /** The sinks that accepted a notification, and the ticket one of them opened, if any. */
  private record Delivery(List<String> sinks, Optional<String> ticket) {}

  private Delivery send(Notification.Kind kind, Incident inc, ActionRecord a, String reason) {
    Notification n =
        notification(kind, a, reason)
            .withForge(inc.run().repo(), pullRequest(inc), Optional.empty());
    if (a.incidentUrl() != null) {
      n = n.withIncidentUrl(a.incidentUrl());
    }
    if (!settings.publicUrl().isEmpty()) {
      n =
          n.withLinks(
              Optional.empty(), Optional.of(settings.publicUrl() + "/actions/" + a.actionId()));
    }
    List<String> sent = new ArrayList<>();
    Optional<String> ticket = Optional.empty();
    for (Notifier s : notifiers) {
      try {
        if (!s.accepts(n)) {
          continue;
        }
        Optional<String> created = s.deliver(n).filter(u -> !u.isBlank());
        sent.add(s.name());
        if (created.isPresent()) {
          ticket = created;
        }
      } catch (dev.pitcrew.notify.DeliveryException | RuntimeException e) {
        LOG.warn("notifier {} failed: {}", s.name(), e.getMessage());
      }
    }
    audit(
        inc,
        "pitcrew",
        "notified",
        kind + " via " + (sent.isEmpty() ? "no sink" : String.join(", ", sent)));
    return new Delivery(sent, ticket);
  }

  private Notification notification(Notification.Kind kind, ActionRecord a, String reason) {
    String evidence =
        a.evidence().isEmpty()
            ? ""
            : a.evidence().get(0).line() + ": " + a.evidence().get(0).text();
    String taken =
        a.remediationStepsExecuted().isEmpty()
            ? (kind == Notification.Kind.AWAITING_APPROVAL
                ? "waiting for approval: " + reason
                : "no automatic action: " + reason)
            : String.join(
                "; ",
                a.remediationStepsExecuted().stream()
                    .map(s -> s.step() + " " + s.result() + " (" + s.detail() + ")")
                    .toList());
    List<String> attempts =
        a.remediationStepsExecuted().stream().map(s -> s.step() + ": " + s.result()).toList();
    Optional<Double> saved =
        kind == Notification.Kind.AUTO_FIXED && a.failureCategory() != null
            ? Optional.of(
                dev.pitcrew.metrics.TimeSaved.minutes(
                    dev.pitcrew.metrics.TimeSaved.fromMinutes(settings.minutesSaved())
                        .savedBy(
                            a.failureCategory(),
                            dev.pitcrew.metrics.TimeSaved.seconds(a.timeToFix()))))
            : Optional.empty();
    return new Notification(
        kind,
        a.actionId(),
        a.repository(),
        a.branch(),
        a.pipelineId(),
        a.pipelineUrl(),
        a.failureCategory() == null ? "unknown" : a.failureCategory(),
        a.rootCause() == null ? reason : a.rootCause(),
        evidence,
        a.riskLevel() == null ? "low" : a.riskLevel(),
        a.confidence() == null ? 0.0 : a.confidence(),
        taken,
        kind == Notification.Kind.AUTO_FIXED ? List.of() : List.of(reason),
        Optional.ofNullable(a.newPipelineUrl()),
        Optional.ofNullable(a.newPipelineStatus()),
        Optional.ofNullable(a.pullRequestUrl()),
        kind == Notification.Kind.AWAITING_APPROVAL && !settings.publicUrl().isEmpty()
            ? Optional.of(settings.publicUrl() + "/api/actions/" + a.actionId() + "/approve")
            : Optional.empty(),
        saved,
        attempts);
  }

  /**
   * The job runner gave up on a step after its retries: escalate, or, if escalating or notifying
   * itself failed, stop. Returns whether there is still a step to run.
   */
  public boolean giveUp(String id, String step, String why) {
    Optional<Incident> inc = incidents.incident(id);
    if (inc.isEmpty()) {
      return false;
    }
    audit(
        inc.get(),
        "pitcrew",
        "step.gave_up",
        step + " failed after its retries: " + Strings.abbreviate(why, 300));
    String next =
        switch (step) {
          case ESCALATE -> NOTIFY;
          case NOTIFY, DONE -> DONE;
          default -> ESCALATE;
        };
    incidents.update(
        id,
        cols("step", next),
        step.equals(ESCALATE) || next.equals(ESCALATE)
            ? cols("status", "failed", "outcome", "failure")
            : cols());
    return !next.equals(DONE);
  }

  /** A step failed and will be retried: recorded so the audit trail shows the retries. */
  public void retrying(String id, String why, Duration delay) {
    incidents
        .incident(id)
        .ifPresent(
            inc ->
                audit(
                    inc,
                    "pitcrew",
                    "step.retry",
                    inc.step()
                        + " failed ("
                        + Strings.abbreviate(why, 300)
                        + "); retrying in "
                        + delay));
  }

  public Optional<String> currentStep(String id) {
    return incidents.incident(id).map(Incident::step);
  }

  private Next manual(Incident inc, String reason) {
    audit(inc, "pitcrew", "manual", reason);
    return moveTo(
        inc,
        NOTIFY,
        cols("verdict_reason", reason),
        cols("status", "skipped", "outcome", "manual", "finished_at", clock.instant()));
  }

  private Next moveTo(
      Incident inc, String step, Map<String, Object> incident, Map<String, Object> action) {
    incident.put("step", step);
    incidents.update(inc.incidentId(), incident, action);
    return new Next.At(clock.instant());
  }

  private RemediationContext context(Incident inc, ActionRecord a) throws IOException {
    Forge forge = forge(inc);
    RunRef current = inc.newRun().orElse(inc.run());
    return new RemediationContext(
        forge,
        inc.run().repo(),
        forge.run(current),
        a.attempt(),
        Optional.empty(),
        inc.incidentId());
  }

  /** Something that feeds the test history; it may read the forge. */
  private interface Observation {
    int observe() throws IOException;
  }

  /** Feeds the flakiness history; never fails the step, since it only informs later decisions. */
  private void learn(Incident inc, Observation o) {
    if (tests.isEmpty()) {
      return;
    }
    try {
      o.observe();
    } catch (IOException | RuntimeException e) {
      LOG.info("test history not updated for {}: {}", inc.incidentId(), e.getMessage());
    }
  }

  private Forge forge(Incident inc) {
    return forges
        .forProvider(inc.run().repo().provider())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no forge configured for " + inc.run().repo().provider().wire()));
  }

  private void audit(Incident inc, String actor, String event, String detail) {
    audit.append(inc.incidentId(), actor, event, detail);
  }

  /** A mutable column map that, unlike {@code Map.of}, takes nulls (to clear a column). */
  static Map<String, Object> cols(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
