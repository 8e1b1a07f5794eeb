package dev.pitcrew.forge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.forge.http.ForgeApiException.Kind;
import dev.pitcrew.logs.CappedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way forge adapters talk HTTP: honours rate limits, retries reads with back-off and
 * jitter, sends writes once (a write the forge refused with a rate limit is known not to have
 * happened and is sent again after the wait; a write without an answer is reported as {@link
 * Kind#UNKNOWN_OUTCOME} so the caller reads the state and decides), and keeps one circuit breaker
 * per forge. Credentials travel in request headers and are never logged or put in messages.
 */
public final class ForgeHttp {
  private static final Logger LOG = LoggerFactory.getLogger(ForgeHttp.class);

  /** JSON answers larger than this are refused: a forge never sends that much metadata. */
  static final int MAX_JSON_BYTES = 32 << 20;

  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of("authorization", "private-token", "job-token");

  private final String forge;
  private final HttpClient client;
  private final HttpPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Backoff backoff;
  private final CircuitBreaker breaker;
  private final ObjectMapper mapper = new ObjectMapper();
  private volatile Instant notBefore = Instant.EPOCH;

  public ForgeHttp(
      String forge, HttpClient client, HttpPolicy policy, Clock clock, Sleeper sleeper) {
    this(forge, client, policy, clock, sleeper, () -> ThreadLocalRandom.current().nextDouble());
  }

  public ForgeHttp(
      String forge,
      HttpClient client,
      HttpPolicy policy,
      Clock clock,
      Sleeper sleeper,
      DoubleSupplier random) {
    this.forge = forge;
    this.client = client;
    this.policy = policy;
    this.clock = clock;
    this.sleeper = sleeper;
    this.backoff = new Backoff(policy.baseDelay(), policy.maxDelay(), random);
    this.breaker = new CircuitBreaker(policy.breakerThreshold(), policy.breakerCooldown(), clock);
  }

  /** A client that never follows redirects by itself: we decide where credentials may go. */
  public static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public String forge() {
    return forge;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * One call to a forge.
   *
   * @param repeatable whether sending it twice is harmless (reads, PUT-like updates,
   *     content-addressed objects); only these are retried after a failure without an answer
   * @param permission what the credential needs for this call, named for the operator (e.g. {@code
   *     "Actions: read"}), used in 403/404 messages
   */
  public record Request(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      boolean repeatable,
      String permission) {
    public Request {
      headers = Map.copyOf(headers);
    }

    public static Request get(URI uri, Map<String, String> headers, String permission) {
      return new Request("GET", uri, headers, null, true, permission);
    }

    /** The request line as it may be shown: no headers, no body, no query. */
    public String describe() {
      return method + " " + uri.getRawPath();
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  /** An answer with its body read (JSON, small). */
  public record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "Response[" + status + ", " + body.length + " bytes]";
    }
  }

  /** Sends a request and reads the whole (small) answer. */
  public Response send(Request r) throws IOException {
    HttpResponse<InputStream> resp = exchange(r);
    try (InputStream in = resp.body()) {
      byte[] b = in.readNBytes(MAX_JSON_BYTES + 1);
      if (b.length > MAX_JSON_BYTES) {
        throw new ForgeApiException(
            Kind.INVALID,
            resp.statusCode(),
            forge + " answered " + r.describe() + " with more than " + MAX_JSON_BYTES + " bytes");
      }
      return new Response(resp.statusCode(), resp.headers(), b);
    }
  }

  /** Parses a JSON answer, with a clear error when it is not JSON. */
  public JsonNode json(Request r, Response resp) throws ForgeApiException {
    try {
      return mapper.readTree(resp.body());
    } catch (IOException e) {
      throw new ForgeApiException(
          Kind.INVALID,
          resp.status(),
          forge + " answered " + r.describe() + " with something that is not JSON");
    }
  }

  /** The error for a 404 on something Pitcrew expected to exist. */
  public ForgeApiException notFound(Request r, Response resp, String what) {
    return new ForgeApiException(
        Kind.NOT_FOUND,
        resp.status(),
        forge
            + " answered 404 for "
            + r.describe()
            + ": "
            + what
            + " does not exist, or the credential cannot see it (it needs "
            + r.permission()
            + " on this repository)");
  }

  /** The error for an answer the adapter does not know how to handle. */
  public ForgeApiException unexpected(Request r, Response resp) {
    Kind kind =
        switch (resp.status()) {
          case 404, 410 -> Kind.NOT_FOUND;
          case 409 -> Kind.CONFLICT;
          default -> Kind.INVALID;
        };
    return new ForgeApiException(
        kind,
        resp.status(),
        forge
            + " answered "
            + resp.status()
            + " to "
            + r.describe()
            + apiMessage(resp.body()).map(m -> ": " + m).orElse(""));
  }

  /**
   * Downloads a (large) body as a stream, following redirects itself: credentials go only to the
   * host they were issued for, and only http(s) targets that are not link-local are followed. The
   * stream stops at {@code cap} bytes; {@link CappedInputStream#hitCap()} tells whether it did.
   */
  public CappedInputStream download(Request r, long cap) throws IOException {
    Request current = r;
    for (int hop = 0; hop <= 5; hop++) {
      HttpResponse<InputStream> resp = exchange(current);
      int s = resp.statusCode();
      if (s == 200) {
        Request shown = current;
        return new CappedInputStream(new CutShortGuard(resp.body(), forge, shown), cap);
      }
      String body = readSmall(resp.body());
      if (s >= 300 && s < 400) {
        String location = resp.headers().firstValue("location").orElse(null);
        if (location == null) {
          throw new ForgeApiException(
              Kind.INVALID, s, forge + " redirected " + current.describe() + " without a Location");
        }
        URI next = current.uri().resolve(location);
        checkRedirect(r.uri(), next);
        Map<String, String> headers = new LinkedHashMap<>(current.headers());
        if (!sameOrigin(current.uri(), next)) {
          headers.keySet().removeIf(k -> CREDENTIAL_HEADERS.contains(k.toLowerCase(Locale.ROOT)));
        }
        current = new Request("GET", next, headers, null, true, r.permission());
        continue;
      }
      Response rr = new Response(s, resp.headers(), body.getBytes(StandardCharsets.UTF_8));
      if (s == 404 || s == 410) {
        throw new ForgeApiException(
            Kind.NOT_FOUND,
            s,
            forge
                + " has nothing to download at "
                + current.describe()
                + " (it may have expired, or the credential lacks "
                + r.permission()
                + ")");
      }
      throw unexpected(current, rr);
    }
    throw new ForgeApiException(
        Kind.INVALID, 0, forge + " redirected " + r.describe() + " more than 5 times");
  }

  private static void checkRedirect(URI origin, URI next) throws ForgeApiException {
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    boolean ok =
        "https".equals(scheme) || ("http".equals(scheme) && "http".equals(origin.getScheme()));
    String host = next.getHost();
    if (ok && host != null) {
      try {
        // only literal addresses are checked: resolving names here would be a DNS rebinding race
        if (host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
          InetAddress a = InetAddress.getByName(host);
          ok = !a.isLinkLocalAddress() && !a.isAnyLocalAddress() && !a.isMulticastAddress();
        }
      } catch (IOException e) {
        ok = false;
      }
    }
    if (!ok || host == null) {
      throw new ForgeApiException(
          Kind.INVALID,
          0,
          "refusing to follow a download redirect to "
              + next.getScheme()
              + "://"
              + host
              + ": only https (and link-local-free) targets are followed");
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
        && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && port(a) == port(b);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private HttpResponse<InputStream> exchange(Request r) throws IOException {
    for (int attempt = 0; ; attempt++) {
      awaitRateLimit(r);
      if (!breaker.allow()) {
        throw new ForgeApiException(
            Kind.UNAVAILABLE,
            0,
            forge
                + " is failing repeatedly; Pitcrew stopped calling it until "
                + breaker.retryAt()
                + " (circuit open)",
            breaker.retryAt(),
            null);
      }
      HttpResponse<InputStream> resp;
      try {
        resp = client.send(build(r), info -> subscriber(info.statusCode()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while calling " + forge);
      } catch (IOException e) {
        breaker.failure();
        String why =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (!r.repeatable()) {
          throw new ForgeApiException(
              Kind.UNKNOWN_OUTCOME,
              0,
              forge
                  + " did not answer "
                  + r.describe()
                  + " ("
                  + why
                  + "); it may or may not have happened",
              null,
              e);
        }
        if (attempt + 1 >= policy.maxAttempts()) {
          throw new ForgeApiException(
              Kind.UNAVAILABLE,
              0,
              forge
                  + " did not answer "
                  + r.describe()
                  + " after "
                  + (attempt + 1)
                  + " attempts ("
                  + why
                  + ")",
              null,
              e);
        }
        Duration d = backoff.delay(attempt);
        LOG.info("{}: {} failed ({}); retrying in {} ms", forge, r.describe(), why, d.toMillis());
        pause(d);
        continue;
      }
      int s = resp.statusCode();
      Instant now = clock.instant();
      noteQuota(resp, now);
      if (s >= 500) {
        String body = readSmall(resp.body());
        breaker.failure();
        if (!r.repeatable()) {
          throw new ForgeApiException(
              Kind.UNKNOWN_OUTCOME,
              s,
              forge
                  + " answered "
                  + s
                  + " to "
                  + r.describe()
                  + "; it may or may not have happened");
        }
        if (attempt + 1 >= policy.maxAttempts()) {
          throw new ForgeApiException(
              Kind.SERVER_ERROR,
              s,
              forge
                  + " answered "
                  + s
                  + " to "
                  + r.describe()
                  + " "
                  + (attempt + 1)
                  + " times"
                  + apiMessage(body.getBytes(StandardCharsets.UTF_8))
                      .map(m -> ": " + m)
                      .orElse(""));
        }
        Duration d = backoff.delay(attempt);
        Duration after = RateLimits.retryAfter(resp.headers(), now).orElse(Duration.ZERO);
        Duration wait = after.compareTo(d) > 0 ? after : d;
        LOG.info("{}: {} answered {}; retrying in {} ms", forge, r.describe(), s, wait.toMillis());
        pause(wait);
        continue;
      }
      breaker.success();
      if (s == 429 || s == 403) {
        String body = readSmall(resp.body());
        var refusal = RateLimits.refusal(s, resp.headers(), body, now);
        if (refusal.isPresent()) {
          Instant until = now.plus(refusal.get());
          holdUntil(until);
          if (attempt + 1 >= policy.maxAttempts()) {
            throw new ForgeApiException(
                Kind.RATE_LIMITED,
                s,
                forge + " is rate-limiting Pitcrew; try again after " + until,
                until,
                null);
          }
          LOG.info("{}: rate-limited on {}; waiting until {}", forge, r.describe(), until);
          continue;
        }
        resp = replay(resp, body);
      }
      if (s == 401) {
        String body = readSmall(resp.body());
        throw new ForgeApiException(
            Kind.UNAUTHORIZED,
            401,
            forge
                + " rejected the credential (401) on "
                + r.describe()
                + apiMessage(body.getBytes(StandardCharsets.UTF_8))
                    .map(m -> " (" + m + ")")
                    .orElse("")
                + ": check that the token is set, not expired and not revoked");
      }
      if (s == 403) {
        String body = readSmall(resp.body());
        throw new ForgeApiException(
            Kind.FORBIDDEN,
            403,
            forge
                + " refused "
                + r.describe()
                + " (403"
                + apiMessage(body.getBytes(StandardCharsets.UTF_8)).map(m -> ": " + m).orElse("")
                + "): the credential needs "
                + r.permission()
                + accepted(resp));
      }
      return resp;
    }
  }

  private static String accepted(HttpResponse<?> resp) {
    return resp.headers()
        .firstValue("x-accepted-github-permissions")
        .map(p -> " (GitHub accepts: " + p + ")")
        .orElse("");
  }

  private static HttpResponse.BodySubscriber<InputStream> subscriber(int status) {
    return BodySubscribers.ofInputStream();
  }

  private static HttpResponse<InputStream> replay(HttpResponse<InputStream> resp, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return new HttpResponse<>() {
      @Override
      public int statusCode() {
        return resp.statusCode();
      }

      @Override
      public HttpRequest request() {
        return resp.request();
      }

      @Override
      public java.util.Optional<HttpResponse<InputStream>> previousResponse() {
        return java.util.Optional.empty();
      }

      @Override
      public java.net.http.HttpHeaders headers() {
        return resp.headers();
      }

      @Override
      public InputStream body() {
        return new ByteArrayInputStream(b);
      }

      @Override
      public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
        return resp.sslSession();
      }

      @Override
      public URI uri() {
        return resp.uri();
      }

      @Override
      public HttpClient.Version version() {
        return resp.version();
      }
    };
  }

  private HttpRequest build(Request r) {
    HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).timeout(policy.requestTimeout());
    r.headers().forEach(b::header);
    if (r.body() == null) {
      b.method(r.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      b.method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()));
    }
    return b.build();
  }

  private void noteQuota(HttpResponse<?> resp, Instant now) {
    var remaining = RateLimits.remaining(resp.headers());
    if (remaining.isPresent() && remaining.get() == 0) {
      RateLimits.reset(resp.headers()).filter(now::isBefore).ifPresent(this::holdUntil);
    }
  }

  private synchronized void holdUntil(Instant until) {
    if (until.isAfter(notBefore)) {
      notBefore = until;
    }
  }

  private void awaitRateLimit(Request r) throws IOException {
    Instant now = clock.instant();
    Instant until = notBefore;
    if (!now.isBefore(until)) {
      return;
    }
    Duration wait = Duration.between(now, until);
    if (wait.compareTo(policy.maxWait()) > 0) {
      throw new ForgeApiException(
          Kind.RATE_LIMITED,
          0,
          forge
              + " rate limit is exhausted until "
              + until
              + "; "
              + r.describe()
              + " was not sent (waiting longer than "
              + policy.maxWait().toSeconds()
              + " s is not worth it)",
          until,
          null);
    }
    pause(wait);
  }

  /** Waits on the injected sleeper (back-offs, and forges' polls), so tests spend no time. */
  public void pause(Duration d) throws InterruptedIOException {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + forge);
    }
  }

  private static String readSmall(InputStream in) {
    try (in) {
      return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private java.util.Optional<String> apiMessage(byte[] body) {
    try {
      JsonNode n = mapper.readTree(body);
      if (n != null && n.hasNonNull("message")) {
        return java.util.Optional.of(
            dev.pitcrew.internal.Strings.abbreviate(n.get("message").asText(), 300));
      }
      if (n != null && n.hasNonNull("error")) {
        return java.util.Optional.of(
            dev.pitcrew.internal.Strings.abbreviate(n.get("error").asText(), 300));
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: say nothing rather than echo an HTML error page
    }
    return java.util.Optional.empty();
  }

  /** Turns a reset connection in the middle of a log into a message that says what happened. */
  private static final class CutShortGuard extends FilterInputStream {
    private final String forge;
    private final Request r;
    private long read;

    CutShortGuard(InputStream in, String forge, Request r) {
      super(in);
      this.forge = forge;
      this.r = r;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        if (b >= 0) {
          read++;
        }
        return b;
      } catch (IOException e) {
        throw cut(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        if (n > 0) {
          read += n;
        }
        return n;
      } catch (IOException e) {
        throw cut(e);
      }
    }

    private IOException cut(IOException e) {
      return new IOException(
          "the log download from "
              + forge
              + " ("
              + r.describe()
              + ") was cut short after "
              + read
              + " bytes: "
              + e.getMessage(),
          e);
    }
  }
}
