package dev.pitcrew.diagnosis.llm;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.rules.Hit;
import dev.pitcrew.diagnosis.rules.ScanResult;
import dev.pitcrew.internal.Strings;
import dev.pitcrew.logs.LineCleaner;
import dev.pitcrew.logs.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Builds the prompt in stages, as Log Detective does: the rule engine's error regions with line
 * numbers (only lines that differ from the passing run, when one was given), the failed step and
 * exit code, the pipeline file when there is one; each line redacted, the whole trimmed to a token
 * budget by priority, and the log wrapped and labelled as untrusted data. The wording lives in
 * versioned resource files beside this class.
 */
public final class PromptBuilder {
  public static final String VERSION = "v2";
  static final int CONTEXT = 2;
  static final int MAX_LINE_CHARS = 500;
  static final int MAX_SEEDS = 400;
  private static final String TAG = "untrusted_log_data";

  private final String systemTemplate;
  private final String userTemplate;
  private final Redactor redactor;
  private final int maxInputTokens;
  private final Supplier<String> nonces;

  public PromptBuilder(Redactor redactor, int maxInputTokens, Supplier<String> nonces) {
    this.systemTemplate = resource("system-" + VERSION + ".txt");
    this.userTemplate = resource("user-" + VERSION + ".txt");
    this.redactor = redactor;
    this.maxInputTokens = maxInputTokens;
    this.nonces = nonces;
  }

  /** The pipeline file (workflow or .gitlab-ci.yml) of the failed run, when known. */
  public record PipelineFile(String path, String content) {}

  /** Everything the prompt is built from. */
  public record Input(
      ScanResult scan,
      Diagnosis rulesVerdict,
      Map<Integer, String> lines,
      boolean previousSuccessGiven,
      Optional<PipelineFile> pipelineFile,
      Optional<String> duration) {}

  /** Estimated tokens: characters / 4, rounded up (close enough for English and logs). */
  public static int tokens(String s) {
    return (s.length() + 3) / 4;
  }

  /** The lines worth re-reading from the log: every seed with its context, and the step start. */
  public static NavigableSet<Integer> wantedLines(ScanResult scan) {
    NavigableSet<Integer> out = new TreeSet<>();
    for (int seed : seeds(scan)) {
      for (int i = Math.max(1, seed - CONTEXT); i <= seed + CONTEXT; i++) {
        out.add(i);
      }
    }
    out.add(Math.max(1, scan.failureRegionStart()));
    return out;
  }

  /** Seed lines in priority order: what best explains the failure comes first. */
  static List<Integer> seeds(ScanResult scan) {
    return seeds(scan, true);
  }

  static List<Integer> seeds(ScanResult scan, boolean withTail) {
    int from = scan.failureRegionStart();
    int to = scan.failureRegionEnd();
    Set<Integer> ordered = new LinkedHashSet<>();
    for (Hit h : scan.hits()) {
      if (h.line() >= from && h.line() <= to) {
        ordered.add(h.line());
      }
    }
    for (Evidence e : scan.errorLines()) {
      if (e.line() >= from && e.line() <= to) {
        ordered.add(e.line());
      }
    }
    scan.failureMarks().forEach(e -> ordered.add(e.line()));
    scan.hits().forEach(h -> ordered.add(h.line()));
    // other error lines: the nearest to the failing step first
    List<Evidence> rest = new ArrayList<>(scan.errorLines());
    rest.sort(java.util.Comparator.comparingInt(e -> Math.abs(e.line() - to)));
    rest.forEach(e -> ordered.add(e.line()));
    if (withTail || ordered.isEmpty()) {
      scan.tail().forEach(e -> ordered.add(e.line()));
    }
    return ordered.stream().limit(MAX_SEEDS).toList();
  }

  public Prompt build(Input in) {
    ScanResult scan = in.scan();
    Map<Integer, String> known = new TreeMap<>(in.lines());
    scan.hits().forEach(h -> known.putIfAbsent(h.line(), h.text()));
    scan.errorLines().forEach(e -> known.putIfAbsent(e.line(), e.text()));
    scan.failureMarks().forEach(e -> known.putIfAbsent(e.line(), e.text()));
    scan.tail().forEach(e -> known.putIfAbsent(e.line(), e.text()));

    // redacted on demand: a 5,000-error-line log must not cost 5,000 redactions for 200 lines shown
    Map<Integer, String> sendable = new Sendable(known, redactor);

    String nonce = nonces.get();
    String actions = String.join(", ", Actions.names()) + ", " + Actions.NONE;
    String system = systemTemplate.replace("{{actions}}", actions);
    String stage = stage(scan, sendable);
    Optional<PipelineFile> pf = in.pipelineFile();
    String pipelineFileName = pf.map(PipelineFile::path).orElse("not available");
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("pipeline_id", neutralise(redactor.mask(scan.file())));
    vars.put("stage", stage);
    vars.put("exit_code", scan.exitCode() == null ? "unknown" : scan.exitCode().toString());
    vars.put("duration", in.duration().orElse("unknown"));
    vars.put("rules_verdict", rulesVerdict(in.rulesVerdict()));
    vars.put("success_logs", successLogs(in, scan));
    vars.put("pipeline_file_name", neutralise(pipelineFileName));
    vars.put("nonce", nonce);
    vars.put("redaction", "{{redaction}}");

    int fixed =
        tokens(system) + tokens(fill(userTemplate, vars, "", "")) + 40; // 40: the redaction line
    int room = Math.max(200, maxInputTokens - fixed);
    String pipelineText = "";
    List<String> maskedKinds = new ArrayList<>();
    if (pf.isPresent()) {
      int pfBudget = room / 4;
      pipelineText = numbered(pf.get().content(), pfBudget, maskedKinds);
      room -= tokens(pipelineText);
    }
    Map<Integer, String> shown = select(scan, sendable, room);
    String errorLogs = render(shown);
    // count what was masked in the lines actually sent
    for (int n : shown.keySet()) {
      maskedKinds.addAll(redactor.redact(Strings.abbreviate(known.get(n), MAX_LINE_CHARS)).kinds());
    }
    String redaction =
        maskedKinds.isEmpty()
            ? "the excerpt was checked for secrets and none were found"
            : maskedKinds.size()
                + " secret(s) were replaced by [REDACTED:kind] markers before sending ("
                + String.join(", ", new TreeSet<>(maskedKinds))
                + ")";
    vars.put("redaction", redaction);
    String user = fill(userTemplate, vars, errorLogs, pipelineText);
    return new Prompt(
        VERSION,
        system,
        user,
        tokens(system) + tokens(user),
        shown,
        maskedKinds,
        fingerprint(scan, sendable));
  }

  private static String fill(
      String template, Map<String, String> vars, String errorLogs, String pipelineFile) {
    String out = template;
    for (var e : vars.entrySet()) {
      if (e.getKey().equals("redaction")) {
        continue;
      }
      out = out.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    out = out.replace("{{redaction}}", vars.getOrDefault("redaction", ""));
    // the log goes in last, so that nothing in it is ever taken for a placeholder
    int at = out.indexOf("{{error_logs}}");
    out = out.substring(0, at) + errorLogs + out.substring(at + "{{error_logs}}".length());
    at = out.indexOf("{{pipeline_file}}");
    out =
        out.substring(0, at)
            + (pipelineFile.isEmpty() ? "(none)" : pipelineFile)
            + out.substring(at + "{{pipeline_file}}".length());
    return out;
  }

  /** Seeds and their context, by priority, until the budget is spent. */
  static Map<Integer, String> select(ScanResult scan, Map<Integer, String> sendable, int budget) {
    Map<Integer, String> shown = new TreeMap<>();
    int used = 0;
    for (int seed : seeds(scan)) {
      List<Integer> window = new ArrayList<>();
      window.add(seed);
      for (int d = 1; d <= CONTEXT; d++) {
        window.add(seed - d);
        window.add(seed + d);
      }
      for (int n : window) {
        String t = sendable.get(n);
        if (t == null || shown.containsKey(n)) {
          continue;
        }
        int cost = tokens(t) + 3;
        if (used + cost > budget) {
          if (n == seed) {
            return shown; // the budget is spent: lower-priority seeds are dropped whole
          }
          continue;
        }
        shown.put(n, t);
        used += cost;
      }
    }
    return shown;
  }

  static String render(Map<Integer, String> shown) {
    StringBuilder sb = new StringBuilder();
    int prev = -1;
    for (var e : shown.entrySet()) {
      if (prev > 0 && e.getKey() > prev + 1) {
        sb.append("...\n");
      }
      sb.append(e.getKey()).append(" | ").append(e.getValue()).append('\n');
      prev = e.getKey();
    }
    if (sb.isEmpty()) {
      return "(the log shows no error lines)";
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  /** The pipeline file's lines, numbered, redacted and trimmed to the budget; masks counted. */
  private String numbered(String content, int budget, List<String> maskedKinds) {
    StringBuilder sb = new StringBuilder();
    String[] lines = content.split("\n", -1);
    int used = 0;
    for (int i = 0; i < lines.length; i++) {
      Redactor.Result r = redactor.redact(Strings.abbreviate(lines[i], MAX_LINE_CHARS));
      String t = neutralise(r.text());
      int cost = tokens(t) + 3;
      if (used + cost > budget) {
        sb.append("... (").append(lines.length - i).append(" more lines left out)\n");
        break;
      }
      maskedKinds.addAll(r.kinds());
      sb.append(i + 1).append(" | ").append(t).append('\n');
      used += cost;
    }
    return sb.toString().stripTrailing();
  }

  private static String stage(ScanResult scan, Map<Integer, String> sendable) {
    String start = sendable.get(scan.failureRegionStart());
    if (start != null) {
      String c = LineCleaner.clean(start).strip();
      if (c.startsWith("Run ") || c.startsWith("$ ")) {
        return "the step starting at line "
            + scan.failureRegionStart()
            + ": "
            + Strings.abbreviate(c, 200);
      }
    }
    return scan.failureMarks().isEmpty()
        ? "unknown (the log shows no step structure)"
        : "the step ending at line " + scan.failureRegionEnd();
  }

  private static String rulesVerdict(Diagnosis d) {
    if (d.playbookId().isEmpty()) {
      return "no playbook matched (category "
          + d.category().wire()
          + ", confidence "
          + d.confidence()
          + "); explain the failure from the log";
    }
    return d.category().wire()
        + " via playbook "
        + d.playbookId().get()
        + ", strategy "
        + d.remediationStrategy()
        + ", confidence "
        + d.confidence()
        + "; confirm or contradict it from the log";
  }

  private static String successLogs(Input in, ScanResult scan) {
    if (!in.previousSuccessGiven()) {
      return "not available: no log of a passing run was given.";
    }
    return "a log of the last successful run was compared line by line; the error logs above show"
        + " only lines that do not occur in it ("
        + scan.ignoredAsInPreviousSuccess()
        + " matching line(s) left out because the passing run has them too).";
  }

  /** The known lines as they may be sent: capped, redacted and neutralised, computed once each. */
  private static final class Sendable extends java.util.AbstractMap<Integer, String> {
    private final Map<Integer, String> known;
    private final Redactor redactor;
    private final Map<Integer, String> done = new HashMap<>();

    Sendable(Map<Integer, String> known, Redactor redactor) {
      this.known = known;
      this.redactor = redactor;
    }

    @Override
    public String get(Object key) {
      String raw = known.get(key);
      if (raw == null) {
        return null;
      }
      return done.computeIfAbsent(
          (Integer) key, k -> neutralise(redactor.mask(Strings.abbreviate(raw, MAX_LINE_CHARS))));
    }

    @Override
    public boolean containsKey(Object key) {
      return known.containsKey(key);
    }

    @Override
    public Set<Entry<Integer, String>> entrySet() {
      throw new UnsupportedOperationException("iterate the seeds, not every known line");
    }
  }

  /** Stops a log line from closing the untrusted-data wrapper or opening a new one. */
  static String neutralise(String s) {
    String out = s;
    if (out.toLowerCase(java.util.Locale.ROOT).contains(TAG)) {
      out = out.replaceAll("(?i)" + TAG, "untrusted-log-data(quoted)");
    }
    return out.replace("{{", "{ {");
  }

  /**
   * The failure's fingerprint: the first selected lines with numbers, hex and whitespace folded, so
   * the same failure on 50 jobs (different timestamps, ids, line numbers) costs one call.
   */
  static String fingerprint(ScanResult scan, Map<Integer, String> sendable) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(VERSION.getBytes(StandardCharsets.UTF_8));
      int taken = 0;
      for (int seed : seeds(scan, false)) {
        String t = sendable.get(seed);
        if (t == null) {
          continue;
        }
        String folded = Grounding.shape(LineCleaner.clean(t));
        md.update(folded.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
        if (++taken >= 20) {
          break;
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = PromptBuilder.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("prompt resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
