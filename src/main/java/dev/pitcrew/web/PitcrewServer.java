package dev.pitcrew.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.pitcrew.intake.Intake;
import dev.pitcrew.logs.CappedInputStream;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of {@code pitcrew serve}: webhook intake, {@code /remediate}, the JSON API, {@code
 * /health} and {@code /metrics}. Webhooks are authenticated by their forge secret, everything else
 * that reads or writes remediation data by the API token.
 */
public final class PitcrewServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PitcrewServer.class);

  /** Snake-case JSON with ISO timestamps: the field names of docs/contracts.md. */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /** What the server serves. */
  public record Parts(
      Intake intake,
      Auth auth,
      Health health,
      PrometheusMeterRegistry metrics,
      long maxBodyBytes,
      List<Consumer<JavalinConfig>> routes,
      RateLimiter limiter) {
    /** Without rate limiting (tests and embedding). */
    public Parts(
        Intake intake,
        Auth auth,
        Health health,
        PrometheusMeterRegistry metrics,
        long maxBodyBytes,
        List<Consumer<JavalinConfig>> routes) {
      this(
          intake,
          auth,
          health,
          metrics,
          maxBodyBytes,
          routes,
          new RateLimiter(RateLimiter.Settings.off()));
    }
  }

  private final Javalin app;

  private PitcrewServer(Javalin app) {
    this.app = app;
  }

  /**
   * Connections the kernel may hold before the server accepts them (capped by the kernel's {@code
   * net.core.somaxconn}, 4096 on current Linux).
   */
  static final int ACCEPT_QUEUE = 2048;

  /** Starts on {@code host:port}; port 0 picks a free one. */
  public static PitcrewServer start(Parts parts, String host, int port) {
    Timer intakeTimer =
        Timer.builder("pitcrew.webhook.ack")
            .publishPercentiles(0.5, 0.99)
            .register(parts.metrics());
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.jsonMapper(new JavalinJackson(JSON, false));
              cfg.startup.showJavalinBanner = false;
              // our own connector for its accept queue: with the JDK's default of 50 pending
              // connections, a failing matrix's burst of deliveries overflows it and GitHub sees
              // connections closed without an answer (and does not retry them)
              cfg.jetty.addConnector(
                  (server, http) -> {
                    org.eclipse.jetty.server.ServerConnector c =
                        new org.eclipse.jetty.server.ServerConnector(
                            server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
                    c.setHost(host);
                    c.setPort(port);
                    c.setAcceptQueueSize(ACCEPT_QUEUE);
                    return c;
                  });
              io.javalin.http.Handler apiLimit =
                  ctx -> {
                    List<String> keys = new java.util.ArrayList<>(List.of("api-ip:" + ctx.ip()));
                    String authz = ctx.header("Authorization");
                    if (authz != null && parts.auth().refuse(authz).isEmpty()) {
                      keys.add("api-token");
                    }
                    if (limited(ctx, parts, parts.limiter().settings().api(), keys, "API")) {
                      ctx.skipRemainingHandlers();
                    }
                  };
              cfg.routes.before("/api/*", apiLimit);
              cfg.routes.before("/remediate", apiLimit);
              cfg.routes.post(
                  "/webhooks/github",
                  ctx ->
                      webhook(
                          ctx,
                          parts,
                          intakeTimer,
                          "github",
                          b -> parts.intake().github(ctx::header, b)));
              cfg.routes.post(
                  "/webhooks/gitlab",
                  ctx ->
                      webhook(
                          ctx,
                          parts,
                          intakeTimer,
                          "gitlab",
                          b -> parts.intake().gitlab(ctx::header, b)));
              cfg.routes.post(
                  "/webhooks/gitlab/pipeline",
                  ctx ->
                      webhook(
                          ctx,
                          parts,
                          intakeTimer,
                          "gitlab",
                          b -> parts.intake().gitlab(ctx::header, b)));
              cfg.routes.post(
                  "/remediate",
                  ctx -> {
                    if (refused(ctx, parts.auth())) {
                      return;
                    }
                    webhook(
                        ctx,
                        parts,
                        intakeTimer,
                        "remediate",
                        b -> parts.intake().remediate(ctx::header, b));
                  });
              cfg.routes.get(
                  "/health",
                  ctx -> {
                    Map<String, Health.Check> r = parts.health().run();
                    String state = parts.health().status(r);
                    boolean ok = !state.equals("unready");
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", state);
                    body.putAll(r);
                    ctx.status(ok ? 200 : 503).json(body);
                  });
              cfg.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(parts.metrics().scrape()));
              cfg.routes.exception(
                  JdbiException.class,
                  (e, ctx) -> {
                    LOG.warn("database unavailable: {}", e.getMessage());
                    ctx.status(503)
                        .header("Retry-After", "5")
                        .json(
                            Map.of(
                                "status",
                                "unavailable",
                                "reason",
                                "the database cannot persist right now; retry"));
                  });
              for (Consumer<JavalinConfig> r : parts.routes()) {
                r.accept(cfg);
              }
            });
    app.start();
    return new PitcrewServer(app);
  }

  /** Answers 401 and returns true unless the request carries the API token. */
  public static boolean refused(Context ctx, Auth auth) {
    Optional<String> why = auth.refuse(ctx.header("Authorization"));
    why.ifPresent(w -> ctx.status(401).json(Map.of("status", "refused", "reason", w)));
    return why.isPresent();
  }

  private interface BodyHandler {
    Intake.Answer handle(byte[] body);
  }

  private static void webhook(
      Context ctx, Parts parts, Timer timer, String source, BodyHandler handler)
      throws IOException {
    long start = System.nanoTime();
    RateLimiter.Rule rule = parts.limiter().settings().webhooks();
    if (!source.equals("remediate")
        && limited(ctx, parts, rule, List.of("hook-ip:" + ctx.ip()), "webhook")) {
      return;
    }
    Optional<byte[]> body = readCapped(ctx, parts.maxBodyBytes());
    if (body.isPresent() && !source.equals("remediate")) {
      // per delivering installation, counted only for deliveries that prove who sent them
      String installation =
          source.equals("github")
              ? ctx.header("X-GitHub-Hook-Installation-Target-ID")
              : ctx.header("X-Gitlab-Instance");
      if (installation != null
          && !installation.isBlank()
          && parts.intake().authentic(source, ctx::header, body.get())
          && limited(
              ctx,
              parts,
              rule,
              List.of("hook-installation:" + source + ":" + installation),
              source + " installation " + installation)) {
        return;
      }
    }
    Intake.Answer a;
    if (body.isEmpty()) {
      a =
          new Intake.Answer(
              413,
              Map.of(
                  "status",
                  "too_large",
                  "reason",
                  "the body is over " + parts.maxBodyBytes() / (1024 * 1024) + " MB"));
    } else {
      a = handler.handle(body.get());
    }
    parts
        .metrics()
        .counter("pitcrew.webhooks", "source", source, "answer", String.valueOf(a.status()))
        .increment();
    ctx.status(a.status()).json(a.body());
    timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Answers 429 with Retry-After and returns true when a bucket named by {@code keys} is empty. */
  static boolean limited(
      Context ctx, Parts parts, RateLimiter.Rule rule, List<String> keys, String what) {
    Optional<java.time.Duration> wait = parts.limiter().take(ctx.ip(), rule, keys);
    if (wait.isEmpty()) {
      return false;
    }
    long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
    parts.metrics().counter("pitcrew.rate.limited", "endpoint", what.split(" ")[0]).increment();
    ctx.status(429)
        .header("Retry-After", String.valueOf(seconds))
        .json(
            Map.of(
                "status",
                "rate_limited",
                "reason",
                "too many "
                    + what
                    + " requests: more than "
                    + (rule.perSecond() == Math.rint(rule.perSecond())
                        ? String.valueOf((long) rule.perSecond())
                        : String.valueOf(rule.perSecond()))
                    + " per second (bursts of "
                    + rule.burst()
                    + "); retry after "
                    + seconds
                    + " s"));
    return true;
  }

  /** The raw body, or empty when it is over the cap; never holds more than the cap in memory. */
  static Optional<byte[]> readCapped(Context ctx, long cap) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > cap) {
      return Optional.empty();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      CappedInputStream capped = new CappedInputStream(in, cap);
      byte[] b = capped.readAllBytes();
      return capped.hitCap() ? Optional.empty() : Optional.of(b);
    }
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
