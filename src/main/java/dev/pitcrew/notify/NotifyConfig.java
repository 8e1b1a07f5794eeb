package dev.pitcrew.notify;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.notify.comment.PullRequestCommenter;
import dev.pitcrew.notify.email.EmailNotifier;
import dev.pitcrew.notify.email.EmailSettings;
import dev.pitcrew.notify.incident.ForgeIssueTracker;
import dev.pitcrew.notify.incident.OpsgenieTracker;
import dev.pitcrew.notify.incident.PagerDutyTracker;
import dev.pitcrew.notify.incident.WebhookTracker;
import dev.pitcrew.notify.slack.SlackNotifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The notification settings read from the environment ({@code PITCREW_SLACK_*}, {@code
 * PITCREW_SMTP_*}, {@code PITCREW_NOTIFY_*}, {@code PITCREW_PAGERDUTY_*}, {@code
 * PITCREW_OPSGENIE_*}, {@code PITCREW_INCIDENT_*}). Every sink is optional; a sink whose settings
 * are wrong is reported {@code failed} with the reason in /health and {@link #problems()} instead
 * of stopping the service, because the remediation works without notifications.
 */
public final class NotifyConfig {
  /** Environment variables whose values are secrets and must never leave through a sink. */
  static final List<String> SECRET_VARIABLES =
      List.of(
          "PITCREW_SLACK_WEBHOOK_URL",
          "PITCREW_SMTP_PASSWORD",
          "PITCREW_PAGERDUTY_ROUTING_KEY",
          "PITCREW_OPSGENIE_API_KEY",
          "PITCREW_INCIDENT_WEBHOOK_SECRET",
          "PITCREW_API_TOKEN",
          "PITCREW_GITHUB_WEBHOOK_SECRET",
          "PITCREW_GITLAB_WEBHOOK_TOKEN",
          "PITCREW_GITLAB_WEBHOOK_SIGNING_TOKEN",
          "PITCREW_GITHUB_APP_PRIVATE_KEY",
          "GITHUB_TOKEN",
          "GITLAB_TOKEN",
          "ANTHROPIC_API_KEY");

  private final Map<String, String> env;
  private final Duration timeout;
  private final Backoff backoff;
  private final List<String> problems = new ArrayList<>();

  private NotifyConfig(Map<String, String> env) {
    this.env = Map.copyOf(env);
    this.timeout = Duration.ofSeconds(integer("PITCREW_NOTIFY_TIMEOUT_SECONDS", 10, 1, 120));
    this.backoff =
        new Backoff(
            integer("PITCREW_NOTIFY_RETRIES", 3, 1, 10),
            Duration.ofMillis(integer("PITCREW_NOTIFY_BACKOFF_MS", 1000, 0, 60_000)),
            Duration.ofSeconds(30));
  }

  /** Every variable this configuration reads, besides {@link #SECRET_VARIABLES}. */
  public static final List<String> VARIABLES =
      List.of(
          "PITCREW_SLACK_WEBHOOK_URL",
          "PITCREW_SMTP_HOST",
          "PITCREW_SMTP_PORT",
          "PITCREW_SMTP_STARTTLS",
          "PITCREW_SMTP_SSL",
          "PITCREW_SMTP_USER",
          "PITCREW_SMTP_PASSWORD",
          "PITCREW_NOTIFY_EMAIL_FROM",
          "PITCREW_NOTIFY_EMAIL_TO",
          "PITCREW_NOTIFY_EMAIL_TO_AUTHOR",
          "PITCREW_NOTIFY_PR_COMMENTS",
          "PITCREW_NOTIFY_RETRIES",
          "PITCREW_NOTIFY_BACKOFF_MS",
          "PITCREW_NOTIFY_TIMEOUT_SECONDS",
          "PITCREW_INCIDENT_FORGE_ISSUE",
          "PITCREW_PAGERDUTY_ROUTING_KEY",
          "PITCREW_PAGERDUTY_EVENTS_URL",
          "PITCREW_OPSGENIE_API_KEY",
          "PITCREW_OPSGENIE_API_URL",
          "PITCREW_INCIDENT_WEBHOOK_URL",
          "PITCREW_INCIDENT_WEBHOOK_SECRET");

  public static NotifyConfig fromEnv(Map<String, String> env) {
    return new NotifyConfig(env);
  }

  /** From any key lookup (the service's merged environment, .env and pitcrew.yml). */
  public static NotifyConfig fromLookup(Function<String, Optional<String>> lookup) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String k : VARIABLES) {
      lookup.apply(k).ifPresent(v -> env.put(k, v));
    }
    for (String k : SECRET_VARIABLES) {
      lookup.apply(k).ifPresent(v -> env.put(k, v));
    }
    return new NotifyConfig(env);
  }

  /** What is wrong with the settings, one message per problem, each saying what to set. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public Backoff backoff() {
    return backoff;
  }

  /**
   * The fan-out over every configured sink.
   *
   * @param forges the forges for pull-request comments and incident issues (may be empty)
   */
  public Notifications build(List<Forge> forges, Executor executor) {
    Optional<List<Forge>> forge =
        forges.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(forges));
    Map<String, SinkHealth> health = new LinkedHashMap<>();
    List<Notifier> trackers = new ArrayList<>();
    List<Notifier> sinks = new ArrayList<>();

    add(
        sinks,
        health,
        "slack",
        value("PITCREW_SLACK_WEBHOOK_URL"),
        url -> new SlackNotifier(url, timeout),
        "incoming webhook configured",
        "set PITCREW_SLACK_WEBHOOK_URL to a Slack incoming-webhook URL");
    add(
        sinks,
        health,
        "email",
        value("PITCREW_SMTP_HOST"),
        host -> new EmailNotifier(email(host)),
        "SMTP " + value("PITCREW_SMTP_HOST").orElse("") + " configured",
        "set PITCREW_SMTP_HOST, PITCREW_NOTIFY_EMAIL_FROM and PITCREW_NOTIFY_EMAIL_TO");
    boolean comments = bool("PITCREW_NOTIFY_PR_COMMENTS", true);
    add(
        sinks,
        health,
        "comment",
        forge.filter(f -> comments).map(f -> "on"),
        on -> new PullRequestCommenter(forge.orElseThrow()),
        "comments on the failing pull request",
        comments ? "no forge configured" : "PITCREW_NOTIFY_PR_COMMENTS=false");

    boolean issues = bool("PITCREW_INCIDENT_FORGE_ISSUE", true);
    add(
        trackers,
        health,
        "incident:forge-issue",
        forge.filter(f -> issues).map(f -> "on"),
        on -> new ForgeIssueTracker(forge.orElseThrow()),
        "escalations open a forge issue",
        issues ? "no forge configured" : "PITCREW_INCIDENT_FORGE_ISSUE=false");
    add(
        trackers,
        health,
        "incident:pagerduty",
        value("PITCREW_PAGERDUTY_ROUTING_KEY"),
        key ->
            new PagerDutyTracker(
                value("PITCREW_PAGERDUTY_EVENTS_URL").orElse(PagerDutyTracker.DEFAULT_URL),
                key,
                timeout),
        "Events API v2 routing key configured",
        "set PITCREW_PAGERDUTY_ROUTING_KEY");
    add(
        trackers,
        health,
        "incident:opsgenie",
        value("PITCREW_OPSGENIE_API_KEY"),
        key ->
            new OpsgenieTracker(
                value("PITCREW_OPSGENIE_API_URL").orElse(OpsgenieTracker.DEFAULT_URL),
                key,
                timeout),
        "Alert API key configured",
        "set PITCREW_OPSGENIE_API_KEY");
    add(
        trackers,
        health,
        "incident:webhook",
        value("PITCREW_INCIDENT_WEBHOOK_URL"),
        url -> new WebhookTracker(url, value("PITCREW_INCIDENT_WEBHOOK_SECRET"), timeout),
        "incident webhook configured",
        "set PITCREW_INCIDENT_WEBHOOK_URL");

    Random random = new Random();
    return new Notifications(
        trackers,
        sinks,
        health,
        new SecretScrubber(knownSecrets()),
        backoff,
        d -> Thread.sleep(d),
        random::nextDouble,
        executor);
  }

  /** The values of every secret-bearing variable, split on commas (rotation lists). */
  List<String> knownSecrets() {
    List<String> out = new ArrayList<>();
    for (String v : SECRET_VARIABLES) {
      value(v)
          .ifPresent(
              s -> {
                out.add(s);
                out.addAll(
                    Arrays.stream(s.split(","))
                        .map(String::strip)
                        .filter(x -> x.length() >= 6)
                        .toList());
              });
    }
    return out;
  }

  EmailSettings email(String host) {
    boolean starttls = bool("PITCREW_SMTP_STARTTLS", false);
    boolean ssl = bool("PITCREW_SMTP_SSL", false);
    if (starttls && ssl) {
      throw new IllegalArgumentException(
          "PITCREW_SMTP_STARTTLS and PITCREW_SMTP_SSL are both true; pick one (587 STARTTLS, 465 SSL)");
    }
    EmailSettings.Security security =
        ssl
            ? EmailSettings.Security.SSL
            : starttls ? EmailSettings.Security.STARTTLS : EmailSettings.Security.NONE;
    int defaultPort = ssl ? 465 : starttls ? 587 : 25;
    String from =
        value("PITCREW_NOTIFY_EMAIL_FROM")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "e-mail needs PITCREW_NOTIFY_EMAIL_FROM, e.g. pitcrew@your-company.example"));
    List<String> to =
        value("PITCREW_NOTIFY_EMAIL_TO")
            .map(
                s ->
                    Arrays.stream(s.split(","))
                        .map(String::strip)
                        .filter(x -> !x.isEmpty())
                        .toList())
            .orElse(List.of());
    return new EmailSettings(
        host,
        integer("PITCREW_SMTP_PORT", defaultPort, 1, 65535),
        security,
        value("PITCREW_SMTP_USER"),
        value("PITCREW_SMTP_PASSWORD"),
        from,
        to,
        bool("PITCREW_NOTIFY_EMAIL_TO_AUTHOR", false),
        timeout);
  }

  private void add(
      List<Notifier> into,
      Map<String, SinkHealth> health,
      String name,
      Optional<String> setting,
      Function<String, Notifier> make,
      String readyReason,
      String disabledReason) {
    if (setting.isEmpty()) {
      health.put(name, SinkHealth.disabled(disabledReason));
      return;
    }
    try {
      into.add(make.apply(setting.get()));
      health.put(name, SinkHealth.ready(readyReason));
    } catch (IllegalArgumentException e) {
      problems.add(name + ": " + e.getMessage());
      health.put(name, SinkHealth.failed(e.getMessage()));
    }
  }

  private Optional<String> value(String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(s -> !s.isEmpty());
  }

  private boolean bool(String name, boolean dflt) {
    Optional<String> v = value(name).map(s -> s.toLowerCase(Locale.ROOT));
    if (v.isEmpty()) {
      return dflt;
    }
    return switch (v.get()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> {
        problems.add(name + " must be true or false, got '" + v.get() + "'; using " + dflt);
        yield dflt;
      }
    };
  }

  private int integer(String name, int dflt, int min, int max) {
    Optional<String> v = value(name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v.get());
      if (i < min || i > max) {
        problems.add(name + " must be " + min + ".." + max + ", got " + i + "; using " + dflt);
        return dflt;
      }
      return i;
    } catch (NumberFormatException e) {
      problems.add(name + " must be a whole number, got '" + v.get() + "'; using " + dflt);
      return dflt;
    }
  }
}
