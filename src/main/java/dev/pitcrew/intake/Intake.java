package dev.pitcrew.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.github.GitHubEvents;
import dev.pitcrew.forge.gitlab.GitLabEvents;
import dev.pitcrew.store.Inbox;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The request path of a webhook: authenticate the raw bytes, parse, normalise, decide whether the
 * delivery is for us, and store it in the inbox. Nothing slow happens here: the workflow picks the
 * delivery up from the inbox. Independent of the HTTP server so the rules are testable in one
 * place.
 */
public final class Intake {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to answer. */
  public record Answer(int status, Map<String, Object> body) {
    static Answer of(int status, String state, String reason) {
      return new Answer(
          status,
          reason == null ? Map.of("status", state) : Map.of("status", state, "reason", reason));
    }
  }

  /** Case-insensitive header lookup. */
  public interface Headers extends Function<String, String> {}

  private final Inbox inbox;
  private final PitcrewConfig config;
  private final List<Pattern> repositories;
  private final List<String> bots;
  private final List<byte[]> gitlabSigningKeys;
  private final java.time.Clock clock;

  /** How far a signed GitLab delivery's {@code webhook-timestamp} may be from now. */
  static final java.time.Duration SIGNATURE_TOLERANCE = java.time.Duration.ofMinutes(5);

  /**
   * @throws IllegalArgumentException when a GitLab signing token is not in GitLab's form
   */
  public Intake(Inbox inbox, PitcrewConfig config, java.time.Clock clock) {
    this.inbox = inbox;
    this.config = config;
    this.clock = clock;
    this.gitlabSigningKeys =
        config.gitlabSigningTokens().stream()
            .map(t -> Signatures.signingKey("PITCREW_GITLAB_WEBHOOK_SIGNING_TOKEN", t))
            .toList();
    this.repositories = config.repositories().stream().map(Intake::glob).toList();
    this.bots = config.botLogins().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }

  static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (char c : g.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }

  /** Whether a delivery carries a valid signature or token of its forge (for rate limiting). */
  public boolean authentic(String source, Headers h, byte[] body) {
    return switch (source) {
      case "github" ->
          !config.githubWebhookSecrets().isEmpty()
              && Signatures.github(
                  body, h.apply("X-Hub-Signature-256"), config.githubWebhookSecrets());
      case "gitlab" -> gitlabRefusal(h, body).isEmpty();
      default -> false;
    };
  }

  public Answer github(Headers h, byte[] body) {
    List<String> secrets = config.githubWebhookSecrets();
    if (secrets.isEmpty()) {
      return Answer.of(
          401,
          "refused",
          "no GitHub webhook secret is configured; set PITCREW_GITHUB_WEBHOOK_SECRET");
    }
    if (!Signatures.github(body, h.apply("X-Hub-Signature-256"), secrets)) {
      return Answer.of(401, "refused", "missing or wrong X-Hub-Signature-256");
    }
    String event = h.apply("X-GitHub-Event");
    String delivery = h.apply("X-GitHub-Delivery");
    if (event == null || event.isBlank()) {
      return Answer.of(400, "malformed", "missing X-GitHub-Event header");
    }
    if (delivery == null || delivery.isBlank()) {
      return Answer.of(400, "malformed", "missing X-GitHub-Delivery header");
    }
    return accept("github", event, delivery, body, p -> GitHubEvents.normalise(event, p));
  }

  public Answer gitlab(Headers h, byte[] body) {
    Optional<String> refused = gitlabRefusal(h, body);
    if (refused.isPresent()) {
      return Answer.of(401, "refused", refused.get());
    }
    String event = Optional.ofNullable(h.apply("X-Gitlab-Event")).orElse("unknown");
    // recursive hooks share the event UUID; a resend shares the idempotency key (= webhook-id)
    String delivery =
        Optional.ofNullable(h.apply("Idempotency-Key"))
            .or(() -> Optional.ofNullable(h.apply("webhook-id")))
            .or(() -> Optional.ofNullable(h.apply("X-Gitlab-Event-UUID")))
            .orElseGet(() -> "sha256:" + HexFormat.of().formatHex(Signatures.sha256(body)));
    return accept("gitlab", event, delivery, body, GitLabEvents::normalise);
  }

  /**
   * Why a GitLab delivery is not authentic, or empty. A signing token (HMAC over the delivery's id,
   * timestamp and body, {@code webhook-signature}) proves more than the plain {@code
   * X-Gitlab-Token}, so when the delivery carries a signature and signing tokens are configured,
   * the signature decides, and a timestamp more than {@link #SIGNATURE_TOLERANCE} from now is a
   * replay. Without a signature the plain token is checked, when one is configured.
   */
  Optional<String> gitlabRefusal(Headers h, byte[] body) {
    List<String> tokens = config.gitlabWebhookTokens();
    if (tokens.isEmpty() && gitlabSigningKeys.isEmpty()) {
      return Optional.of(
          "no GitLab webhook token is configured; set PITCREW_GITLAB_WEBHOOK_TOKEN or"
              + " PITCREW_GITLAB_WEBHOOK_SIGNING_TOKEN");
    }
    String signature = h.apply("webhook-signature");
    if (!gitlabSigningKeys.isEmpty() && (signature != null || tokens.isEmpty())) {
      String id = h.apply("webhook-id");
      String timestamp = h.apply("webhook-timestamp");
      if (!Signatures.standardWebhook(body, id, timestamp, signature, gitlabSigningKeys)) {
        return Optional.of("missing or wrong webhook-signature (GitLab signing token)");
      }
      long sent;
      try {
        sent = Long.parseLong(timestamp.strip());
      } catch (NumberFormatException e) {
        return Optional.of("webhook-timestamp is not a number of seconds");
      }
      long skew = Math.abs(clock.instant().getEpochSecond() - sent);
      if (skew > SIGNATURE_TOLERANCE.toSeconds()) {
        return Optional.of(
            "webhook-timestamp is "
                + skew
                + " s from now, more than the "
                + SIGNATURE_TOLERANCE.toMinutes()
                + " minutes allowed: a replayed delivery, or the clocks disagree");
      }
      return Optional.empty();
    }
    if (!Signatures.token(h.apply("X-Gitlab-Token"), tokens)) {
      return Optional.of("missing or wrong X-Gitlab-Token");
    }
    return Optional.empty();
  }

  /**
   * A failure forwarded by another router, {@code {"source": "gitlab.webhook", "detail-type":
   * "pipeline.failed", "detail": {...}}}; the detail is the forge's own payload.
   */
  public Answer remediate(Headers h, byte[] body) {
    JsonNode envelope;
    try {
      envelope = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return Answer.of(400, "malformed", "the body is not JSON: " + firstLine(e));
    }
    if (envelope == null || !envelope.isObject()) {
      return Answer.of(400, "malformed", "the body must be a JSON object");
    }
    String source = envelope.path("source").asText("");
    JsonNode detail = envelope.get("detail");
    if (detail == null || !detail.isObject()) {
      return Answer.of(400, "malformed", "'detail' must be the forge's event payload as an object");
    }
    String detailType = envelope.path("detail-type").asText("");
    String delivery =
        Optional.ofNullable(h.apply("Idempotency-Key"))
            .or(() -> Optional.ofNullable(envelope.path("id").textValue()))
            .orElseGet(() -> "sha256:" + HexFormat.of().formatHex(Signatures.sha256(body)));
    byte[] payload = detail.toString().getBytes(StandardCharsets.UTF_8);
    if (source.startsWith("gitlab")) {
      return accept(
          "gitlab", "remediate:" + detailType, delivery, payload, GitLabEvents::normalise);
    }
    if (source.startsWith("github")) {
      String event = detail.has("workflow_job") ? "workflow_job" : "workflow_run";
      return accept(
          "github",
          "remediate:" + detailType,
          delivery,
          payload,
          p -> GitHubEvents.normalise(event, p));
    }
    return Answer.of(
        400, "malformed", "'source' must start with github or gitlab, found '" + source + "'");
  }

  private Answer accept(
      String provider,
      String event,
      String delivery,
      byte[] body,
      Function<JsonNode, CiEvent> normalise) {
    JsonNode payload;
    try {
      payload = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return Answer.of(400, "malformed", "the body is not JSON: " + firstLine(e));
    }
    if (payload == null || !payload.isObject()) {
      return Answer.of(400, "malformed", "the body must be a JSON object");
    }
    CiEvent ev;
    try {
      ev = normalise.apply(payload);
    } catch (IllegalArgumentException e) {
      return Answer.of(400, "malformed", e.getMessage());
    }
    return decide(provider, event, delivery, ev, new String(body, StandardCharsets.UTF_8));
  }

  /**
   * A failed run that the reconciler found on the forge, judged and stored exactly as its webhook
   * would have been: the same fork, allow-list and bot rules, and the same fingerprint, so a run
   * whose webhook did arrive (before or after) is a duplicate and opens nothing new.
   */
  public Answer reconciled(CiEvent.RunFailed f) {
    return decide(
        ReconciledRun.PROVIDER,
        ReconciledRun.EVENT,
        "reconcile:" + f.run().key(),
        f,
        ReconciledRun.encode(f));
  }

  private Answer decide(String provider, String event, String delivery, CiEvent ev, String text) {
    Inbox.Status status;
    String fingerprint = null;
    String reason;
    int ok;
    switch (ev) {
      case CiEvent.RunFailed f -> {
        Optional<String> skip = skip(f);
        if (skip.isPresent()) {
          status = Inbox.Status.IGNORED;
          reason = skip.get();
          ok = 200;
        } else {
          status = Inbox.Status.PENDING;
          fingerprint = "failed:" + f.run().key();
          boolean own = bots.contains(f.actor() == null ? "" : f.actor().toLowerCase(Locale.ROOT));
          reason = own ? "Pitcrew's own run; kept only to verify a fix" : null;
          ok = own ? 200 : 202;
        }
      }
      case CiEvent.RunSucceeded s -> {
        status = Inbox.Status.PENDING;
        fingerprint = "passed:" + s.run().key();
        reason = "the run passed; kept only to verify a fix";
        ok = 200;
      }
      case CiEvent.Ignored i -> {
        status = Inbox.Status.IGNORED;
        reason = i.reason();
        ok = 200;
      }
    }
    Inbox.Stored stored =
        inbox.store(
            new Inbox.Delivery(provider, delivery, event, fingerprint, status, reason, text));
    return switch (stored) {
      case Inbox.Stored.Accepted a ->
          ok == 202
              ? new Answer(202, Map.of("status", "accepted", "delivery", a.id()))
              : Answer.of(200, "ignored", reason);
      case Inbox.Stored.Duplicate d -> Answer.of(200, "duplicate", d.why());
    };
  }

  private Optional<String> skip(CiEvent.RunFailed f) {
    if (f.fromFork() && !config.allowForks()) {
      return Optional.of("the run comes from a fork; set PITCREW_ALLOW_FORKS=true to act on forks");
    }
    String repo = f.run().repo().fullName();
    if (!repositories.isEmpty()
        && repositories.stream().noneMatch(p -> p.matcher(repo).matches())) {
      return Optional.of("repository " + repo + " is not in PITCREW_REPOSITORIES");
    }
    return Optional.empty();
  }

  private static String firstLine(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
