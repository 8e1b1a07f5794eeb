package dev.pitcrew.web;

import dev.pitcrew.config.PitcrewConfig;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per source: each key (a client address, a delivering installation, the API token)
 * holds up to {@code burst} tokens and regains {@code perSecond} of them every second; a request
 * takes one or is answered 429 with the seconds until one is back. Buckets live in memory per
 * replica, so with N replicas behind a balancer a source may send up to N times the limit.
 */
public final class RateLimiter {
  /** A bucket's shape: sustained rate and burst size. */
  public record Rule(double perSecond, int burst) {
    public Rule {
      if (perSecond <= 0 || burst < 1) {
        throw new IllegalArgumentException(
            "a rate limit needs a positive rate and a burst of at least 1");
      }
    }
  }

  /**
   * @param enabled {@code PITCREW_RATE_LIMIT}
   * @param webhooks per client address, and per delivering installation (GitHub's {@code
   *     X-GitHub-Hook-Installation-Target-ID}, GitLab's {@code X-Gitlab-Instance}) once the
   *     delivery's signature is verified
   * @param api per client address on {@code /api/*} and {@code /remediate}, and for the API token
   * @param exempt client addresses never limited
   */
  public record Settings(boolean enabled, Rule webhooks, Rule api, Set<String> exempt) {
    public Settings {
      exempt = Set.copyOf(exempt);
    }

    public static Settings from(PitcrewConfig c) {
      return new Settings(
          c.flag("PITCREW_RATE_LIMIT", true),
          new Rule(
              rate(c, "PITCREW_RATE_LIMIT_WEBHOOKS_PER_SECOND", 300),
              burst(c, "PITCREW_RATE_LIMIT_WEBHOOKS_BURST", 3000)),
          new Rule(
              rate(c, "PITCREW_RATE_LIMIT_API_PER_SECOND", 50),
              burst(c, "PITCREW_RATE_LIMIT_API_BURST", 100)),
          Set.copyOf(c.list("PITCREW_RATE_LIMIT_EXEMPT")));
    }

    private static int burst(PitcrewConfig c, String key, int fallback) {
      int v = c.integer(key, fallback);
      if (v < 1) {
        throw new IllegalArgumentException(key + " must be at least 1, got " + v);
      }
      return v;
    }

    /** Requests per second; a fraction allows slower rates ({@code 0.5} is one every 2 s). */
    private static double rate(PitcrewConfig c, String key, double fallback) {
      Optional<String> raw = c.get(key);
      double v;
      try {
        v = raw.isEmpty() ? fallback : Double.parseDouble(raw.get());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + "='" + raw.get() + "' is not a number");
      }
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(key + " must be above 0, got " + raw.orElse(""));
      }
      return v;
    }

    public static Settings off() {
      return new Settings(false, new Rule(1, 1), new Rule(1, 1), Set.of());
    }
  }

  private static final int MAX_BUCKETS = 50_000;

  private final Settings settings;
  private final LongSupplier nanos;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(Settings settings, LongSupplier nanos) {
    this.settings = settings;
    this.nanos = nanos;
  }

  public RateLimiter(Settings settings) {
    this(settings, System::nanoTime);
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Takes a token from every bucket named (all or none); empty when allowed, otherwise how long
   * until the emptiest bucket has a token again.
   */
  public Optional<Duration> take(String client, Rule rule, List<String> keys) {
    if (!settings.enabled() || settings.exempt().contains(client)) {
      return Optional.empty();
    }
    long now = nanos.getAsLong();
    if (buckets.size() > MAX_BUCKETS) {
      evictFull(now);
    }
    Duration wait = Duration.ZERO;
    List<Bucket> got = new java.util.ArrayList<>(keys.size());
    for (String k : keys) {
      Bucket b = buckets.computeIfAbsent(k, x -> new Bucket(rule, now));
      Duration w = b.take(now);
      if (w.isZero()) {
        got.add(b);
      } else if (w.compareTo(wait) > 0) {
        wait = w;
      }
    }
    if (wait.isZero()) {
      return Optional.empty();
    }
    for (Bucket b : got) {
      b.giveBack();
    }
    return Optional.of(wait);
  }

  private void evictFull(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().full(now)) {
        it.remove();
      }
    }
  }

  int buckets() {
    return buckets.size();
  }

  private static final class Bucket {
    private final Rule rule;
    private double tokens;
    private long last;

    Bucket(Rule rule, long now) {
      this.rule = rule;
      this.tokens = rule.burst();
      this.last = now;
    }

    synchronized Duration take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      double seconds = (1 - tokens) / rule.perSecond();
      return Duration.ofNanos(Math.max(1, (long) Math.ceil(seconds * 1e9)));
    }

    synchronized void giveBack() {
      tokens = Math.min(rule.burst(), tokens + 1);
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= rule.burst();
    }

    private void refill(long now) {
      double add = (now - last) / 1e9 * rule.perSecond();
      if (add > 0) {
        tokens = Math.min(rule.burst(), tokens + add);
        last = now;
      }
    }
  }
}
