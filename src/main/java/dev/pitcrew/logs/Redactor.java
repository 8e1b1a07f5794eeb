package dev.pitcrew.logs;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Masks secrets in log text before it leaves the process (a prompt to a model, a notification).
 * GitHub masks only the secrets registered with it, so this also masks anything that looks like a
 * credential: known token formats, passwords in URLs, bearer headers, secret-named assignments and
 * high-entropy strings. Each is replaced by {@code [REDACTED:kind]} so a reader still sees that
 * something was there. Patterns run on RE2/J: log lines are hostile input.
 */
public final class Redactor {
  /** The marker that replaces a secret; it never matches any rule itself. */
  public static final String MARK = "[REDACTED:";

  private static final int MIN_REGISTERED = 6;
  private static final java.util.regex.Pattern SECRET_ENV_NAME =
      java.util.regex.Pattern.compile(
          "(?i).*(TOKEN|SECRET|KEY|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL).*");

  /** A rule: a pattern and the kind it reports; group 1, when present, is the part to mask. */
  private record Rule(String kind, Pattern pattern) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "private_key",
              Pattern.compile(
                  "-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----.*?(?:-----END[A-Z0-9 ]*PRIVATE"
                      + " KEY( BLOCK)?-----|$)")),
          new Rule(
              "aws_access_key",
              Pattern.compile(
                  "\\b((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16})\\b")),
          new Rule(
              "github_token", Pattern.compile("\\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,255})")),
          new Rule("github_token", Pattern.compile("\\b(github_pat_[A-Za-z0-9_]{22,255})")),
          new Rule(
              "gitlab_token",
              Pattern.compile(
                  "\\b((?:glpat|gldt|glrt|glptt|glcbt|glft|glimt|gloas)-[A-Za-z0-9_\\-]{20,})")),
          new Rule("gitlab_token", Pattern.compile("\\b(GR1348941[A-Za-z0-9_\\-]{20,})")),
          new Rule("slack_token", Pattern.compile("\\b(xox[abposre]-[A-Za-z0-9-]{10,})")),
          new Rule(
              "slack_webhook",
              Pattern.compile("(hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9/_+-]{10,})")),
          new Rule(
              "jwt",
              Pattern.compile("\\b(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)")),
          new Rule("anthropic_key", Pattern.compile("\\b(sk-ant-[A-Za-z0-9_\\-]{20,})")),
          new Rule(
              "openai_key", Pattern.compile("\\b(sk-(?:proj-|svcacct-)?[A-Za-z0-9_\\-]{20,})")),
          new Rule(
              "stripe_key", Pattern.compile("\\b((?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})")),
          new Rule("google_api_key", Pattern.compile("\\b(AIza[0-9A-Za-z_\\-]{35})")),
          new Rule("npm_token", Pattern.compile("\\b(npm_[A-Za-z0-9]{36})\\b")),
          new Rule("pypi_token", Pattern.compile("\\b(pypi-[A-Za-z0-9_\\-]{40,})")),
          new Rule(
              "url_credentials",
              Pattern.compile("\\b[A-Za-z][A-Za-z0-9+.\\-]*://([^/\\s:@\"'<>]+:[^/\\s@\"'<>]+)@")),
          new Rule(
              "authorization",
              Pattern.compile(
                  "(?i)\\b(?:authorization|proxy-authorization)\\s*[:=]\\s*\"?((?:[A-Za-z]+\\s+)?[^\\s\"',;]{6,})")),
          new Rule(
              "authorization",
              Pattern.compile("(?i)\\b(?:bearer|basic)\\s+([A-Za-z0-9._~+/\\-]{16,}=*)")));

  // A secret-named key followed by a value: `password=..`, `"client_secret": ".."`, `--token ..`.
  private static final Pattern ASSIGNMENT =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.\\-]*(?:password|passwd|passphrase|pwd|secret|token|api[_\\-]?key|apikey|access[_\\-]?key|private[_\\-]?key|credentials?|auth)[A-Za-z0-9_.\\-]*)"
              + "(\"?'?\\s*(?::|=|\\s)\\s*[\"']?)([^\\s\"',;)}\\]]{4,})");
  private static final Pattern CANDIDATE = Pattern.compile("[A-Za-z0-9+/_=\\-]{20,}");
  private static final Pattern HEX = Pattern.compile("^(?:[0-9a-fA-F]+|sha\\d+-?[0-9a-fA-F]+)$");
  private static final Pattern UUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private final List<String> registered;

  private Redactor(Collection<String> registered) {
    Set<String> all = new LinkedHashSet<>();
    for (String s : registered) {
      if (s == null) {
        continue;
      }
      String v = s.strip();
      if (v.length() < MIN_REGISTERED) {
        continue;
      }
      all.addAll(encodings(v));
    }
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.registered = List.copyOf(sorted);
  }

  /** A redactor that knows no registered secrets: look-alikes only. */
  public static Redactor lookAlikesOnly() {
    return new Redactor(List.of());
  }

  /** A redactor that masks these exact values (and their common encodings) plus look-alikes. */
  public static Redactor of(Collection<String> registered) {
    return new Redactor(registered);
  }

  /**
   * Registers the values of environment variables whose names say they hold a secret ({@code
   * *TOKEN*}, {@code *SECRET*}, {@code *KEY*}, {@code *PASSWORD*} ...) plus the extra values given.
   */
  public static Redactor fromEnvironment(Map<String, String> env, Collection<String> extra) {
    List<String> values = new ArrayList<>(extra);
    env.forEach(
        (k, v) -> {
          if (v != null && SECRET_ENV_NAME.matcher(k).matches()) {
            values.add(v);
          }
        });
    return new Redactor(values);
  }

  /** How many distinct registered values (counting their encodings) this redactor masks. */
  public int registeredCount() {
    return registered.size();
  }

  /** A redacted text and the kinds of secret found in it, in order of discovery. */
  public record Result(String text, List<String> kinds) {
    public Result {
      kinds = List.copyOf(kinds);
    }

    public boolean changed() {
      return !kinds.isEmpty();
    }
  }

  /** The text with every secret replaced by {@code [REDACTED:kind]}. */
  public String mask(String text) {
    return redact(text).text();
  }

  public Result redact(String text) {
    if (text == null || text.isEmpty()) {
      return new Result(text == null ? "" : text, List.of());
    }
    List<String> kinds = new ArrayList<>();
    String s = text;
    for (String secret : registered) {
      if (s.contains(secret)) {
        s = s.replace(secret, MARK + "registered]");
        kinds.add("registered");
      }
    }
    for (Rule r : RULES) {
      s = replaceGroup(s, r.pattern(), r.kind(), kinds);
    }
    s = assignments(s, kinds);
    s = highEntropy(s, kinds);
    return new Result(s, kinds);
  }

  private static String replaceGroup(String s, Pattern p, String kind, List<String> kinds) {
    Matcher m = p.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int last = 0;
    do {
      int g = m.groupCount() >= 1 && m.group(1) != null ? 1 : 0;
      int start = m.start(g);
      int end = m.end(g);
      if (s.startsWith(MARK, start)) {
        continue;
      }
      out.append(s, last, start).append(MARK).append(kind).append(']');
      last = end;
      kinds.add(kind);
    } while (m.find());
    out.append(s, last, s.length());
    return out.toString();
  }

  private static String assignments(String s, List<String> kinds) {
    Matcher m = ASSIGNMENT.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int last = 0;
    do {
      String key = m.group(1).toLowerCase(Locale.ROOT);
      String value = m.group(3);
      if (!secretValue(key, m.group(2), value)) {
        continue;
      }
      out.append(s, last, m.start(3)).append(MARK).append("assignment]");
      last = m.end(3);
      kinds.add("assignment");
    } while (m.find());
    out.append(s, last, s.length());
    return out.toString();
  }

  private static boolean secretValue(String key, String separator, String value) {
    if (value.startsWith(MARK) || value.contains(MARK) || placeholder(value)) {
      return false;
    }
    boolean strongKey =
        key.contains("password")
            || key.contains("passwd")
            || key.contains("passphrase")
            || key.contains("secret")
            || key.endsWith("pwd");
    boolean spaceOnly = separator.strip().isEmpty();
    if (strongKey && !spaceOnly) {
      return true;
    }
    // weaker names ("token", "key", "auth") and `--flag value` forms: only values that look random
    return looksRandom(value, 12, 3.0);
  }

  private static boolean placeholder(String v) {
    String l = v.toLowerCase(Locale.ROOT);
    return v.chars().allMatch(c -> c == '*' || c == 'x' || c == 'X' || c == '#' || c == '.')
        || l.startsWith("$")
        || l.startsWith("%")
        || l.startsWith("<")
        || l.startsWith("{")
        || l.equals("null")
        || l.equals("none")
        || l.equals("true")
        || l.equals("false")
        || l.equals("required")
        || l.equals("missing")
        || l.equals("undefined")
        || l.equals("redacted")
        || l.equals("masked")
        || l.equals("invalid")
        || l.equals("expired");
  }

  private static String highEntropy(String s, List<String> kinds) {
    Matcher m = CANDIDATE.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int last = 0;
    do {
      String tok = m.group();
      int start = m.start();
      if (!looksRandom(tok, 20, 3.6) || HEX.matcher(tok).matches() || UUID.matcher(tok).matches()) {
        continue;
      }
      if (tok.startsWith("/")
          || tok.contains("//")
          || tok.chars().filter(c -> c == '/').count() > 2) {
        continue; // a path, not a key
      }
      out.append(s, last, start).append(MARK).append("high_entropy]");
      last = m.end();
      kinds.add("high_entropy");
    } while (m.find());
    out.append(s, last, s.length());
    return out.toString();
  }

  /**
   * Whether a token looks machine-generated: long enough, letters and digits mixed, and a Shannon
   * entropy of at least {@code minBits} per character. Words, versions and class names fail.
   */
  static boolean looksRandom(String tok, int minLength, double minBits) {
    if (tok.length() < minLength) {
      return false;
    }
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    int digits = 0;
    for (int i = 0; i < tok.length(); i++) {
      char c = tok.charAt(i);
      if (Character.isUpperCase(c)) {
        upper = true;
      } else if (Character.isLowerCase(c)) {
        lower = true;
      } else if (Character.isDigit(c)) {
        digit = true;
        digits++;
      }
    }
    int classes = (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0);
    if (!digit || classes < 2 || digits == tok.length()) {
      return false;
    }
    if (classes == 2 && tok.length() < 32) {
      return false;
    }
    return entropy(tok) >= minBits;
  }

  static double entropy(String s) {
    Map<Character, Integer> counts = new TreeMap<>();
    for (int i = 0; i < s.length(); i++) {
      counts.merge(s.charAt(i), 1, Integer::sum);
    }
    double h = 0;
    for (int c : counts.values()) {
      double p = (double) c / s.length();
      h -= p * (Math.log(p) / Math.log(2));
    }
    return h;
  }

  /**
   * The value as it may appear in a log: plain, base64 (standard and URL-safe), URL- and
   * hex-encoded.
   */
  private static List<String> encodings(String v) {
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    Set<String> out = new LinkedHashSet<>();
    out.add(v);
    String b64 = Base64.getEncoder().encodeToString(b);
    out.add(b64);
    out.add(stripPadding(b64));
    out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    out.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
    out.add(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
    out.add(HexFormat.of().formatHex(b));
    out.removeIf(e -> e.length() < MIN_REGISTERED);
    return List.copyOf(out);
  }

  private static String stripPadding(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }
}
