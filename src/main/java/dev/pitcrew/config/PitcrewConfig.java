package dev.pitcrew.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's settings from three layers, lowest first: {@code pitcrew.yml}, {@code .env}, the
 * environment. The environment wins so that a container's variables always override files baked
 * into an image. Secrets are kept but never rendered: {@link #toString()} masks them.
 */
public final class PitcrewConfig {
  private static final Set<String> UNPREFIXED =
      Set.of("GITHUB_TOKEN", "GITLAB_TOKEN", "ANTHROPIC_API_KEY");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private final Map<String, String> values;

  private PitcrewConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Settings from the given map only (tests, embedding). */
  public static PitcrewConfig of(Map<String, String> values) {
    return new PitcrewConfig(values);
  }

  /**
   * Loads {@code pitcrew.yml} (or {@code PITCREW_CONFIG}) and {@code .env} (or {@code
   * PITCREW_ENV_FILE}) from {@code dir} when present, then overlays the environment.
   */
  public static PitcrewConfig load(Map<String, String> env, Path dir) {
    Map<String, String> merged = new TreeMap<>();
    Path yml =
        Optional.ofNullable(env.get("PITCREW_CONFIG"))
            .map(Path::of)
            .orElse(dir.resolve("pitcrew.yml"));
    if (Files.isRegularFile(yml)) {
      merged.putAll(readYaml(yml));
    } else if (env.containsKey("PITCREW_CONFIG")) {
      throw new IllegalArgumentException(
          "PITCREW_CONFIG points at " + yml + ", which does not exist; fix the path or unset it");
    }
    Path dotenv =
        Optional.ofNullable(env.get("PITCREW_ENV_FILE")).map(Path::of).orElse(dir.resolve(".env"));
    if (Files.isRegularFile(dotenv)) {
      merged.putAll(readDotEnv(dotenv));
    }
    for (var e : env.entrySet()) {
      if (e.getKey().startsWith("PITCREW_") || UNPREFIXED.contains(e.getKey())) {
        merged.put(e.getKey(), e.getValue());
      }
    }
    return new PitcrewConfig(merged);
  }

  /** {@code KEY=value} lines; {@code #} comments, optional {@code export} and quotes. */
  static Map<String, String> readDotEnv(Path file) {
    Map<String, String> out = new TreeMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected KEY=value, found a line without '='");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      out.put(key, value);
    }
    return out;
  }

  /**
   * Nested YAML keys become variable names: {@code github: {webhook_secret: x}} is {@code
   * PITCREW_GITHUB_WEBHOOK_SECRET}; lists become comma-separated values.
   */
  static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new TreeMap<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return out;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          file + ": expected a mapping of settings at the top level");
    }
    flatten("", root, out);
    Map<String, String> named = new TreeMap<>();
    out.forEach(
        (k, v) ->
            named.put(k.startsWith("PITCREW_") || UNPREFIXED.contains(k) ? k : "PITCREW_" + k, v));
    return named;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      String key =
          (prefix.isEmpty() ? "" : prefix + "_")
              + e.getKey().toUpperCase(Locale.ROOT).replace('-', '_');
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatten(key, v, out);
      } else if (v.isArray()) {
        List<String> items = new ArrayList<>();
        v.forEach(x -> items.add(x.asText()));
        out.put(key, String.join(",", items));
      } else if (!v.isNull()) {
        out.put(key, v.asText());
      }
    }
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).map(String::strip).filter(s -> !s.isEmpty());
  }

  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  /** A comma-separated setting as a list, blanks dropped. */
  public List<String> list(String key) {
    List<String> out = new ArrayList<>();
    for (String s : get(key, "").split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  public int integer(String key, int fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "='" + v.get() + "' is not a whole number");
    }
  }

  public boolean flag(String key, boolean fallback) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return fallback;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default ->
          throw new IllegalArgumentException(key + "='" + v.get() + "' is not true or false");
    };
  }

  public Duration duration(String key, Duration fallback) {
    Optional<String> v = get(key);
    return v.isEmpty() ? fallback : parseDuration(key, v.get());
  }

  /** {@code 250ms}, {@code 1s}, {@code 2m}, {@code 1h}, {@code 30d}; a bare number is seconds. */
  public static Duration parseDuration(String key, String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          key + "='" + text + "' is not a duration; write e.g. 500ms, 1s, 2m, 1h or 30d");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }

  // --- the service's settings, with their defaults (docs/configuration.md, "## Service") ---

  public int port() {
    return integer("PITCREW_PORT", 8002);
  }

  public Path dataDir() {
    return Path.of(get("PITCREW_DATA_DIR", "./data"));
  }

  /** The JDBC URL: {@code PITCREW_DB_URL}, or the embedded H2 file under the data directory. */
  public String dbUrl() {
    return get("PITCREW_DB_URL")
        .orElseGet(
            () -> "jdbc:h2:file:" + dataDir().toAbsolutePath().normalize().resolve("pitcrew"));
  }

  public Optional<String> dbUser() {
    return get("PITCREW_DB_USER");
  }

  public Optional<String> dbPassword() {
    return get("PITCREW_DB_PASSWORD");
  }

  public Optional<String> apiToken() {
    return get("PITCREW_API_TOKEN");
  }

  public List<String> githubWebhookSecrets() {
    return list("PITCREW_GITHUB_WEBHOOK_SECRET");
  }

  public List<String> gitlabWebhookTokens() {
    return list("PITCREW_GITLAB_WEBHOOK_TOKEN");
  }

  /** GitLab signing tokens ({@code whsec_...}), several during rotation. */
  public List<String> gitlabSigningTokens() {
    return list("PITCREW_GITLAB_WEBHOOK_SIGNING_TOKEN");
  }

  /** First retry delay of a failed job step; later ones double (1, 2, 4 minutes by default). */
  public Duration retryBaseDelay() {
    return duration("PITCREW_RETRY_BASE_DELAY", Duration.ofMinutes(1));
  }

  /** How often a replica proves it is alive; four missed beats hand its work to another. */
  public Duration heartbeat() {
    return duration("PITCREW_HEARTBEAT", Duration.ofSeconds(10));
  }

  /**
   * How long handled webhook deliveries are kept (their payloads are most of the inbox's size);
   * zero keeps them for ever. Pending deliveries are never removed.
   */
  public Duration inboxRetention() {
    String v = get("PITCREW_INBOX_RETENTION").orElse("30d").strip();
    return v.equals("0") || v.equalsIgnoreCase("off")
        ? Duration.ZERO
        : parseDuration("PITCREW_INBOX_RETENTION", v);
  }

  public Duration pollInterval() {
    return duration("PITCREW_POLL_INTERVAL", Duration.ofSeconds(1));
  }

  public Duration verifyPollInterval() {
    return duration("PITCREW_VERIFY_POLL_INTERVAL", Duration.ofSeconds(30));
  }

  public long maxBodyBytes() {
    return integer("PITCREW_MAX_BODY_MB", 25) * 1024L * 1024L;
  }

  public boolean allowForks() {
    return flag("PITCREW_ALLOW_FORKS", false);
  }

  /** Logins whose runs are ours (a fix's own run must not trigger another fix). */
  public List<String> botLogins() {
    List<String> l = list("PITCREW_BOT_LOGINS");
    return l.isEmpty() ? List.of("pitcrew[bot]", "pitcrew-bot") : l;
  }

  public List<String> repositories() {
    return list("PITCREW_REPOSITORIES");
  }

  public int schedulerThreads() {
    return integer("PITCREW_WORKER_THREADS", 4);
  }

  /** Every setting with secrets masked, for start-up logs and {@code --print-config}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(values)
        .forEach((k, v) -> sb.append(k).append('=').append(isSecret(k) ? "****" : v).append('\n'));
    return sb.toString();
  }

  /** Whether a setting's value must never be printed, logged, stored or sent. */
  public static boolean isSecret(String key) {
    String k = key.toUpperCase(Locale.ROOT);
    return k.contains("SECRET")
        || k.contains("TOKEN")
        || k.contains("PASSWORD")
        || k.contains("PRIVATE_KEY")
        || k.endsWith("_KEY")
        || k.equals("PITCREW_DB_URL");
  }
}
