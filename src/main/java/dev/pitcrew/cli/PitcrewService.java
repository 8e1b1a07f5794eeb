package dev.pitcrew.cli;

import dev.pitcrew.audit.AuditLog;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.llm.LlmAnalyzer;
import dev.pitcrew.diagnosis.llm.TokenLedger;
import dev.pitcrew.diagnosis.llm.TokenLimits;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.incident.ForgeRegistry;
import dev.pitcrew.incident.IncidentJobs;
import dev.pitcrew.incident.IncidentWorkflow;
import dev.pitcrew.intake.InboxProcessor;
import dev.pitcrew.intake.Intake;
import dev.pitcrew.intake.Reconciler;
import dev.pitcrew.notify.Notifier;
import dev.pitcrew.playbook.PlaybookCatalog;
import dev.pitcrew.policy.RiskPolicy;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.remediation.Remediation;
import dev.pitcrew.store.Database;
import dev.pitcrew.store.Inbox;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.store.LlmUsage;
import dev.pitcrew.web.ApiRoutes;
import dev.pitcrew.web.Auth;
import dev.pitcrew.web.Health;
import dev.pitcrew.web.PitcrewServer;
import dev.pitcrew.web.RateLimiter;
import dev.pitcrew.web.Stats;
import dev.pitcrew.web.dashboard.Dashboard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pitcrew serve} assembled: database, inbox, workflow, jobs and HTTP. The forges,
 * remediation, risk policy and notifiers are parameters so that each integration plugs in here and
 * tests can run the whole service in-process (two of them on one database act as two replicas).
 */
public final class PitcrewService implements AutoCloseable {
  /** The integrations this service runs with. */
  public record Parts(
      List<Forge> forges,
      Optional<Remediation> remediation,
      Optional<RiskPolicy> policy,
      List<Notifier> notifiers,
      Diagnoser diagnoser,
      PlaybookCatalog playbooks,
      Clock clock) {}

  /** Without a risk policy every plan waits for a person: the safe default. */
  static final RiskPolicy ASK_A_PERSON =
      (d, p, attempt) ->
          new Verdict(
              Verdict.Decision.ASK,
              "no risk policy is installed in this build, so a person decides");

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PitcrewService.class);

  /** The reconciler's recurring job in the job table. */
  public static final String RECONCILE_TASK = "reconcile";

  /** The recurring job that removes handled deliveries past {@code PITCREW_INBOX_RETENTION}. */
  public static final String INBOX_PRUNE_TASK = "inbox-prune";

  private final Database db;
  private final IncidentJobs jobs;
  private final PitcrewServer server;
  private final IncidentWorkflow workflow;
  private final Incidents incidents;
  private final AuditLog audit;
  private final Inbox inbox;
  private Reconciler reconciler;

  private PitcrewService(
      Database db,
      IncidentJobs jobs,
      PitcrewServer server,
      IncidentWorkflow workflow,
      Incidents incidents,
      AuditLog audit,
      Inbox inbox) {
    this.db = db;
    this.jobs = jobs;
    this.server = server;
    this.workflow = workflow;
    this.incidents = incidents;
    this.audit = audit;
    this.inbox = inbox;
  }

  /** Opens the database, starts the job scheduler and the HTTP server on {@code host:port}. */
  public static PitcrewService start(PitcrewConfig config, Parts parts, String host, int port) {
    Database db = Database.open(config);
    try {
      Clock clock = parts.clock();
      Inbox inbox = new Inbox(db.jdbi(), clock);
      Incidents incidents = new Incidents(db.jdbi(), clock, Incidents.randomIds());
      AuditLog audit = new AuditLog(db.jdbi(), clock);
      ForgeRegistry forges = new ForgeRegistry(parts.forges());
      Map<String, Double> minutes = Stats.minutesSaved(config::get);
      // the flakiness history lives in the database, shared by every replica
      dev.pitcrew.store.TestFlakiness flakiness =
          new dev.pitcrew.store.TestFlakiness(
              db.jdbi(),
              clock,
              config.integer(
                  "PITCREW_FLAKY_WINDOW",
                  dev.pitcrew.remediation.testtiming.TestHistory.DEFAULT_WINDOW));
      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // the model's budgets and usage live in the database: restarts and replicas share them
      LlmUsage llmUsage =
          new LlmUsage(
              db.jdbi(), TokenLimits.fromLookup(config::get), clock, c -> count(metrics, c));
      Diagnoser diagnoser =
          parts
              .diagnoser()
              .mapAnalyzers(a -> a instanceof LlmAnalyzer l ? l.withLedger(llmUsage) : a);
      IncidentWorkflow workflow =
          new IncidentWorkflow(
              incidents,
              audit,
              forges,
              diagnoser,
              parts.remediation().map(r -> r.withFlakiness(flakiness)),
              parts.policy().orElse(ASK_A_PERSON),
              parts.notifiers(),
              clock,
              new IncidentWorkflow.Settings(
                  config.integer("PITCREW_MAX_ATTEMPTS", 3),
                  config.verifyPollInterval(),
                  minutes,
                  config.get("PITCREW_PUBLIC_URL", "")),
              Optional.of(new dev.pitcrew.remediation.testtiming.TestHistory(flakiness)));
      Intake intake = new Intake(inbox, config, clock);
      Reconciler reconciler =
          new Reconciler(intake, forges, Reconciler.Settings.from(config), config, clock);
      IncidentJobs[] jobsRef = new IncidentJobs[1];
      InboxProcessor processor =
          new InboxProcessor(inbox, incidents, workflow, id -> jobsRef[0].runNow(id), config);
      IncidentJobs jobs =
          new IncidentJobs(
              db.dataSource(),
              workflow,
              processor::drain,
              new IncidentJobs.Settings(
                  config.get("PITCREW_REPLICA_NAME", hostName()),
                  config.schedulerThreads(),
                  config.pollInterval(),
                  config.heartbeat(),
                  config.retryBaseDelay()),
              clock,
              List.of(
                  new IncidentJobs.Recurring(
                      RECONCILE_TASK,
                      reconciler.settings().enabled()
                          ? reconciler.settings().interval()
                          : java.time.Duration.ZERO,
                      reconciler::pollQuietly),
                  new IncidentJobs.Recurring(
                      INBOX_PRUNE_TASK,
                      pruneInterval(config.inboxRetention()),
                      () -> prune(inbox, clock, config.inboxRetention()))));
      jobsRef[0] = jobs;
      jobs.start();

      // a COUNT, not the pending rows themselves: a scrape during a backlog must not read megabytes
      Gauge.builder("pitcrew.inbox.pending", inbox::pendingCount).register(metrics);
      Auth auth = new Auth(config.apiToken());
      Health health = ServiceHealth.build(config, db, jobs, forges, parts.notifiers(), reconciler);
      ApiRoutes api =
          new ApiRoutes(
              incidents,
              new dev.pitcrew.store.ActionTotals(db.jdbi()),
              audit,
              workflow,
              jobs::runNow,
              parts.playbooks(),
              auth,
              minutes,
              clock,
              llmUsage::since);
      PitcrewServer server =
          PitcrewServer.start(
              new PitcrewServer.Parts(
                  intake,
                  auth,
                  health,
                  metrics,
                  config.maxBodyBytes(),
                  List.of(
                      api,
                      Dashboard.over(db.dataSource(), clock, minutes, parts.playbooks()).routes()),
                  new RateLimiter(RateLimiter.Settings.from(config))),
              host,
              port);
      PitcrewService service =
          new PitcrewService(db, jobs, server, workflow, incidents, audit, inbox);
      service.reconciler = reconciler;
      return service;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * The model's usage as Prometheus counters, per repository: {@code pitcrew_llm_calls_total} (with
   * {@code outcome} called, cached, failed or refused), {@code pitcrew_llm_cache_hits_total},
   * {@code pitcrew_llm_tokens_total} (with {@code direction} input or output) and {@code
   * pitcrew_llm_cost_usd_total}. The overall figures are their sums.
   */
  static void count(io.micrometer.core.instrument.MeterRegistry m, TokenLedger.Call c) {
    String repo = c.repository().orElse("(none)");
    m.counter("pitcrew.llm.calls", "repository", repo, "outcome", c.outcome()).increment();
    if (TokenLedger.Call.CACHED.equals(c.outcome())) {
      m.counter("pitcrew.llm.cache.hits", "repository", repo).increment();
    }
    m.counter("pitcrew.llm.tokens", "repository", repo, "direction", "input")
        .increment(c.inputTokens());
    m.counter("pitcrew.llm.tokens", "repository", repo, "direction", "output")
        .increment(c.outputTokens());
    io.micrometer.core.instrument.Counter.builder("pitcrew.llm.cost")
        .baseUnit("usd")
        .tag("repository", repo)
        .register(m)
        .increment(c.costUsd());
  }

  /**
   * How often old deliveries are looked for: a quarter of the retention, between a second and an
   * hour (so a 30-day retention is kept to the hour); zero when nothing is removed.
   */
  static java.time.Duration pruneInterval(java.time.Duration retention) {
    if (retention.isZero()) {
      return java.time.Duration.ZERO;
    }
    java.time.Duration quarter = retention.dividedBy(4);
    java.time.Duration second = java.time.Duration.ofSeconds(1);
    java.time.Duration hour = java.time.Duration.ofHours(1);
    return quarter.compareTo(second) < 0 ? second : quarter.compareTo(hour) > 0 ? hour : quarter;
  }

  private static void prune(Inbox inbox, Clock clock, java.time.Duration retention) {
    int n = inbox.prune(clock.instant().minus(retention), 1000);
    if (n > 0) {
      LOG.info("removed {} handled webhook deliveries older than {}", n, retention);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    } catch (java.net.UnknownHostException e) {
      return "pitcrew-" + ProcessHandle.current().pid();
    }
  }

  public int port() {
    return server.port();
  }

  public Database database() {
    return db;
  }

  public Incidents incidents() {
    return incidents;
  }

  public AuditLog audit() {
    return audit;
  }

  public Inbox inbox() {
    return inbox;
  }

  public IncidentWorkflow workflow() {
    return workflow;
  }

  public IncidentJobs jobs() {
    return jobs;
  }

  /** The reconciler (polls on its recurring job; tests may call {@link Reconciler#poll}). */
  public Reconciler reconciler() {
    return reconciler;
  }

  @Override
  public void close() {
    server.close();
    jobs.close();
    db.close();
  }
}
