package dev.pitcrew.intake;

import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.incident.ForgeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up failed runs whose webhook never came: on an interval it asks the forge of each
 * configured repository for its recent failed runs and hands each to {@link Intake#reconciled}, the
 * webhook's own rules and fingerprint. A run already received by webhook is a duplicate there and
 * opens nothing; a stale attempt is ignored by the inbox processor as a late delivery would be.
 * Runs as a database-backed recurring job, so one replica polls at a time.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /** A repository to watch: {@code github:owner/name}, {@code gitlab:group/project}. */
  public record Target(Provider provider, String fullName) {
    static Target parse(String entry) {
      int colon = entry.indexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw new IllegalArgumentException(
            "PITCREW_RECONCILE_REPOS entry '"
                + entry
                + "' must be provider:path, e.g. github:owner/name or gitlab:group/project");
      }
      String p = entry.substring(0, colon).strip().toUpperCase(Locale.ROOT);
      Provider provider;
      try {
        provider = Provider.valueOf(p);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "PITCREW_RECONCILE_REPOS entry '"
                + entry
                + "' names an unknown forge; use github:, gitlab: or local:");
      }
      String name = entry.substring(colon + 1).strip();
      if (!name.contains("/") || name.startsWith("/") || name.endsWith("/")) {
        throw new IllegalArgumentException(
            "PITCREW_RECONCILE_REPOS entry '" + entry + "' needs a path like owner/name");
      }
      return new Target(provider, name);
    }

    @Override
    public String toString() {
      return provider.wire() + ":" + fullName;
    }
  }

  /**
   * @param interval how often to poll; zero disables the reconciler
   * @param lookback how far back a poll looks (never less than twice the interval)
   */
  public record Settings(Duration interval, Duration lookback, List<Target> repositories) {
    public Settings {
      repositories = List.copyOf(repositories);
    }

    public boolean enabled() {
      return !interval.isZero() && !repositories.isEmpty();
    }

    /** {@code PITCREW_RECONCILE_INTERVAL}, {@code _LOOKBACK} and {@code _REPOS}. */
    public static Settings from(PitcrewConfig c) {
      String raw = c.get("PITCREW_RECONCILE_INTERVAL", "5m").toLowerCase(Locale.ROOT);
      Duration interval =
          switch (raw) {
            case "0", "off", "false", "no", "disabled" -> Duration.ZERO;
            default -> PitcrewConfig.parseDuration("PITCREW_RECONCILE_INTERVAL", raw);
          };
      Duration lookback = c.duration("PITCREW_RECONCILE_LOOKBACK", Duration.ofHours(1));
      if (lookback.compareTo(interval.multipliedBy(2)) < 0) {
        lookback = interval.multipliedBy(2);
      }
      List<Target> repos = new ArrayList<>();
      for (String entry : c.list("PITCREW_RECONCILE_REPOS")) {
        repos.add(Target.parse(entry));
      }
      return new Settings(interval, lookback, repos);
    }
  }

  /** What one poll found and did. */
  public record Report(
      Instant at, int found, int accepted, int duplicates, int ignored, List<String> errors) {
    public Report {
      errors = List.copyOf(errors);
    }
  }

  private final Intake intake;
  private final ForgeRegistry forges;
  private final Settings settings;
  private final PitcrewConfig config;
  private final Clock clock;
  private final AtomicReference<Report> last = new AtomicReference<>();

  public Reconciler(
      Intake intake, ForgeRegistry forges, Settings settings, PitcrewConfig config, Clock clock) {
    this.intake = intake;
    this.forges = forges;
    this.settings = settings;
    this.config = config;
    this.clock = clock;
  }

  public Settings settings() {
    return settings;
  }

  /** The last poll's report on this replica, if it has polled. */
  public Optional<Report> last() {
    return Optional.ofNullable(last.get());
  }

  /** Polls every configured repository once; one repository failing does not stop the others. */
  public Report poll() {
    Instant now = clock.instant();
    Instant since = now.minus(settings.lookback());
    int found = 0;
    int accepted = 0;
    int duplicates = 0;
    int ignored = 0;
    List<String> errors = new ArrayList<>();
    for (Target t : settings.repositories()) {
      Optional<Forge> forge = forges.forProvider(t.provider());
      if (forge.isEmpty()) {
        errors.add(t + ": no " + t.provider().wire() + " forge is configured" + hint(t));
        continue;
      }
      List<CiEvent.RunFailed> runs;
      try {
        runs = forge.get().recentFailedRuns(repoRef(t), since);
      } catch (java.io.IOException | RuntimeException e) {
        errors.add(t + ": " + e.getMessage());
        LOG.warn("reconciler: cannot list the failed runs of {}: {}", t, e.getMessage());
        continue;
      }
      for (CiEvent.RunFailed f : runs) {
        found++;
        Intake.Answer a = intake.reconciled(f);
        String state = String.valueOf(a.body().get("status"));
        switch (state) {
          case "accepted" -> {
            accepted++;
            LOG.info("reconciler: run {} had no webhook; accepted", f.run().key());
          }
          case "duplicate" -> duplicates++;
          default -> ignored++;
        }
      }
    }
    Report r = new Report(now, found, accepted, duplicates, ignored, errors);
    last.set(r);
    return r;
  }

  /** For the recurring job: never throws, so a forge outage does not spam job failures. */
  public void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("reconciler poll failed: {}", e.getMessage());
      last.set(new Report(clock.instant(), 0, 0, 0, 0, List.of(String.valueOf(e.getMessage()))));
    }
  }

  private RepoRef repoRef(Target t) {
    String host =
        switch (t.provider()) {
          case GITHUB -> config.get("PITCREW_GITHUB_HOST", "github.com");
          case GITLAB -> config.get("PITCREW_GITLAB_HOST", "gitlab.com");
          case LOCAL -> "local";
        };
    return new RepoRef(t.provider(), host, t.fullName());
  }

  private static String hint(Target t) {
    return switch (t.provider()) {
      case GITHUB -> " (set GITHUB_TOKEN)";
      case GITLAB -> " (set GITLAB_TOKEN)";
      case LOCAL -> "";
    };
  }
}
