package dev.pitcrew.web;

import dev.pitcrew.audit.AuditLog;
import dev.pitcrew.incident.IncidentWorkflow;
import dev.pitcrew.playbook.FailurePattern;
import dev.pitcrew.playbook.Playbook;
import dev.pitcrew.playbook.PlaybookCatalog;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.ActionTotals;
import dev.pitcrew.store.Incidents;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The JSON API of docs/contracts.md: actions (the execution history, with the audit trail), approve
 * and reject, playbooks with live success rate and usage, statistics. Read models over the store;
 * every route needs the API token.
 */
public final class ApiRoutes implements Consumer<JavalinConfig> {
  private final Incidents incidents;
  private final ActionTotals totals;
  private final AuditLog audit;
  private final IncidentWorkflow workflow;
  private final Consumer<String> resume;
  private final PlaybookCatalog playbooks;
  private final Auth auth;
  private final Map<String, Double> minutesSaved;
  private final Clock clock;
  private final java.util.function.Function<
          Instant, List<dev.pitcrew.diagnosis.llm.TokenLedger.Call>>
      llmCalls;

  /**
   * @param totals the database's counts over the actions, from which {@code /api/stats} is made
   * @param llmCalls the language model's consultations since an instant, for the {@code llm}
   *     section of {@code /api/stats}
   */
  public ApiRoutes(
      Incidents incidents,
      ActionTotals totals,
      AuditLog audit,
      IncidentWorkflow workflow,
      Consumer<String> resume,
      PlaybookCatalog playbooks,
      Auth auth,
      Map<String, Double> minutesSaved,
      Clock clock,
      java.util.function.Function<Instant, List<dev.pitcrew.diagnosis.llm.TokenLedger.Call>>
          llmCalls) {
    this.llmCalls = llmCalls;
    this.incidents = incidents;
    this.totals = totals;
    this.audit = audit;
    this.workflow = workflow;
    this.resume = resume;
    this.playbooks = playbooks;
    this.auth = auth;
    this.minutesSaved = minutesSaved;
    this.clock = clock;
  }

  @Override
  public void accept(JavalinConfig cfg) {
    cfg.routes.get("/api/actions", guarded(this::actions));
    cfg.routes.get("/api/actions/{id}", guarded(this::action));
    cfg.routes.post("/api/actions/{id}/approve", guarded(ctx -> decide(ctx, true)));
    cfg.routes.post("/api/actions/{id}/reject", guarded(ctx -> decide(ctx, false)));
    cfg.routes.get("/api/playbooks", guarded(ctx -> ctx.json(playbookList())));
    cfg.routes.get("/api/playbooks/{id}", guarded(this::playbook));
    cfg.routes.get("/api/stats", guarded(this::stats));
  }

  private io.javalin.http.Handler guarded(io.javalin.http.Handler h) {
    return ctx -> {
      if (!PitcrewServer.refused(ctx, auth)) {
        h.handle(ctx);
      }
    };
  }

  private void actions(Context ctx) {
    Optional<String> status = param(ctx, "status");
    if (status.isPresent() && !ActionRecord.STATUSES.contains(status.get())) {
      bad(ctx, "status must be one of " + String.join(", ", ActionRecord.STATUSES));
      return;
    }
    int limit = intParam(ctx, "limit", 50);
    int offset = intParam(ctx, "offset", 0);
    if (limit < 1 || limit > 500 || offset < 0) {
      bad(ctx, "limit must be 1..500 and offset 0 or more");
      return;
    }
    List<ActionRecord> page =
        incidents.actions(
            new Incidents.Query(
                status, param(ctx, "category"), param(ctx, "repository"), limit, offset));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("actions", page);
    body.put("limit", limit);
    body.put("offset", offset);
    ctx.json(body);
  }

  private void action(Context ctx) {
    String id = ctx.pathParam("id");
    Optional<ActionRecord> a = incidents.action(id);
    if (a.isEmpty()) {
      ctx.status(404).json(Map.of("status", "not_found", "reason", "no action " + id));
      return;
    }
    Map<String, Object> body = PitcrewServer.JSON.convertValue(a.get(), LinkedHashMap.class);
    body.put(
        "audit_trail",
        audit.trail(id).stream()
            .map(
                e -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("seq", e.seq());
                  m.put("at", e.at().toString());
                  m.put("actor", e.actor());
                  m.put("event", e.event());
                  m.put("detail", e.detail());
                  m.put("hash", e.hash());
                  return m;
                })
            .toList());
    ctx.json(body);
  }

  private void decide(Context ctx, boolean approve) {
    String id = ctx.pathParam("id");
    Optional<ActionRecord> a = incidents.action(id);
    if (a.isEmpty()) {
      ctx.status(404).json(Map.of("status", "not_found", "reason", "no action " + id));
      return;
    }
    String who =
        Optional.ofNullable(ctx.header("X-Pitcrew-User")).filter(s -> !s.isBlank()).orElse("api");
    boolean moved =
        approve ? workflow.approve(id, who) : workflow.reject(id, who, ctx.queryParam("reason"));
    if (!moved) {
      ctx.status(409)
          .json(
              Map.of(
                  "status",
                  "conflict",
                  "reason",
                  "action " + id + " is " + a.get().status() + ", not awaiting_approval"));
      return;
    }
    resume.accept(id);
    ctx.json(Map.of("status", approve ? "approved" : "rejected", "action_id", id));
  }

  List<Map<String, Object>> playbookList() {
    Map<String, long[]> usage = incidents.playbookUsage();
    return playbooks.all().stream().map(p -> playbookRecord(p, usage.get(p.id()))).toList();
  }

  private void playbook(Context ctx) {
    String id = ctx.pathParam("id");
    Optional<Playbook> p = playbooks.get(id);
    if (p.isEmpty()) {
      ctx.status(404).json(Map.of("status", "not_found", "reason", "no playbook " + id));
      return;
    }
    ctx.json(playbookRecord(p.get(), incidents.playbookUsage().get(id)));
  }

  /** The playbook record of contracts.md; success_rate is null until an outcome is known. */
  public static Map<String, Object> playbookRecord(Playbook p, long[] usage) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("playbook_id", p.id());
    m.put("category", p.category().wire());
    m.put("failure_pattern", p.patterns().isEmpty() ? null : p.patterns().get(0).regex());
    m.put("failure_patterns", p.patterns().stream().map(FailurePattern::regex).toList());
    m.put("risk_level", p.riskLevel().wire());
    m.put("auto_fix_enabled", p.autoFix());
    m.put(
        "remediation_steps",
        p.steps().stream()
            .map(s -> Map.<String, Object>of("action", s.action(), "params", s.params()))
            .toList());
    long used = usage == null ? 0 : usage[0];
    long ok = usage == null ? 0 : usage[1];
    long decided = usage == null ? 0 : usage[2];
    m.put("success_rate", decided == 0 ? null : Math.round(1000.0 * ok / decided) / 1000.0);
    m.put("usage_count", used);
    m.put("created_by", p.createdBy());
    m.put("last_updated", p.lastUpdated());
    return m;
  }

  private void stats(Context ctx) {
    Instant since;
    String s = ctx.queryParam("since");
    try {
      since =
          s == null ? clock.instant().minus(dev.pitcrew.metrics.TimeSaved.WINDOW) : parseSince(s);
    } catch (DateTimeParseException e) {
      bad(ctx, "since must be an ISO date (2026-11-01) or instant (2026-11-01T00:00:00Z)");
      return;
    }
    Map<String, Object> out = Stats.compute(totals.window(since), since, minutesSaved);
    out.put("llm", Stats.llm(llmCalls.apply(since)));
    ctx.json(out);
  }

  private static Instant parseSince(String s) {
    return s.length() == 10
        ? java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
        : Instant.parse(s);
  }

  private static Optional<String> param(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).filter(s -> !s.isBlank());
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void bad(Context ctx, String reason) {
    ctx.status(400).json(Map.of("status", "bad_request", "reason", reason));
  }
}
