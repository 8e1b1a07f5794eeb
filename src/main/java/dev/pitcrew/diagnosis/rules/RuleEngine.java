package dev.pitcrew.diagnosis.rules;

import com.google.re2j.Pattern;
import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.internal.Strings;
import dev.pitcrew.logs.CappedInputStream;
import dev.pitcrew.logs.LogLine;
import dev.pitcrew.logs.LogReader;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.LogSources;
import dev.pitcrew.playbook.FailurePattern;
import dev.pitcrew.playbook.Playbook;
import dev.pitcrew.playbook.PlaybookCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Diagnoses a log with the playbooks: one streaming pass collects pattern hits (prefiltered by an
 * Aho-Corasick keyword index, matched with RE2/J) and the CI system's own failure marks; then the
 * root cause is the strongest hit, weighed by where it sits relative to the step that failed.
 */
public final class RuleEngine {
  static final int MAX_HITS_PER_PLAYBOOK = 200;
  static final int HEAD_ERROR_LINES = 500;
  static final int TAIL_ERROR_LINES = 3000;
  static final int TAIL = 40;
  static final int MAX_EVIDENCE_CHARS = 2000;
  static final String[] GENERIC_ERROR_WORDS = {
    "error",
    "fail",
    "exception",
    "fatal",
    "panic",
    "traceback",
    "killed",
    "not found",
    "denied",
    "assert",
    "cannot",
    "could not",
    "unable to",
    "timed out",
    "refused",
    "abort",
    "not ok",
    "expected",
    "undefined",
    "offense",
    "problem",
  };

  private final List<Playbook> playbooks;
  private final FailurePattern[] patterns;
  private final Playbook[] owner;
  private final Pattern[][] unless;
  private final int[] alwaysRun;
  private final int genericIndex;
  private final KeywordIndex index;
  private final long maxLogBytes;
  private final int maxLineBytes;

  public RuleEngine(PlaybookCatalog catalog) {
    this(catalog, LogSources.DEFAULT_MAX_LOG_BYTES, LogReader.DEFAULT_MAX_LINE_BYTES);
  }

  public RuleEngine(PlaybookCatalog catalog, long maxLogBytes, int maxLineBytes) {
    this.playbooks = catalog.all();
    this.maxLogBytes = maxLogBytes;
    this.maxLineBytes = maxLineBytes;
    List<FailurePattern> ps = new ArrayList<>();
    List<Playbook> os = new ArrayList<>();
    List<List<String>> kws = new ArrayList<>();
    List<Integer> always = new ArrayList<>();
    Map<String, Pattern[]> unlessByPlaybook = new HashMap<>();
    for (Playbook p : playbooks) {
      unlessByPlaybook.put(
          p.id(), p.unless().stream().map(Pattern::compile).toArray(Pattern[]::new));
      for (FailurePattern fp : p.patterns()) {
        int idx = ps.size();
        ps.add(fp);
        os.add(p);
        List<String> k = fp.keywords().stream().filter(KeywordIndex::indexable).toList();
        if (k.isEmpty() || k.size() != fp.keywords().size()) {
          always.add(idx);
          kws.add(List.of());
        } else {
          kws.add(k);
        }
      }
    }
    genericIndex = ps.size();
    kws.add(List.of(GENERIC_ERROR_WORDS));
    this.patterns = ps.toArray(FailurePattern[]::new);
    this.owner = os.toArray(Playbook[]::new);
    this.unless = new Pattern[patterns.length][];
    for (int i = 0; i < patterns.length; i++) {
      unless[i] = unlessByPlaybook.get(owner[i].id());
    }
    this.alwaysRun = always.stream().mapToInt(Integer::intValue).toArray();
    this.index = new KeywordIndex(kws);
  }

  /**
   * The fingerprints of every line of a passing run's log, to ignore lines that occur there too.
   */
  public static LongSetHandle fingerprints(LogSource previousSuccess) throws IOException {
    LongSet set = new LongSet(8_000_000);
    try (InputStream in =
            new CappedInputStream(previousSuccess.open(), LogSources.DEFAULT_MAX_LOG_BYTES);
        LogReader r = new LogReader(in)) {
      LogLine l;
      while ((l = r.next()) != null) {
        set.add(LineFingerprint.of(l.clean()));
      }
    }
    return new LongSetHandle(set);
  }

  /** An opaque set of line fingerprints. */
  public static final class LongSetHandle {
    final LongSet set;

    LongSetHandle(LongSet set) {
      this.set = set;
    }

    public int size() {
      return set.size();
    }
  }

  /** Reads the log once and collects what the decision needs. */
  public ScanResult scan(LogSource source, Optional<LongSetHandle> previous) throws IOException {
    Map<String, Integer> hitsPerPlaybook = new HashMap<>();
    List<Hit> hits = new ArrayList<>();
    List<Evidence> errorHead = new ArrayList<>();
    Evidence[] errorRing = new Evidence[TAIL_ERROR_LINES];
    int errorRingNext = 0;
    LogLine[] tail = new LogLine[TAIL];
    int tailNext = 0;
    LogStructure structure = new LogStructure();
    int[] seen = new int[patterns.length + 1];
    int[] found = new int[patterns.length + 1];
    int epoch = 0;
    int ignored = 0;
    long truncatedLines;
    long bytes;
    boolean truncated;
    int lines;
    LongSet prev = previous.map(h -> h.set).orElse(null);
    try (CappedInputStream capped = new CappedInputStream(source.open(), maxLogBytes);
        LogReader reader = new LogReader(capped, maxLineBytes)) {
      LogLine l;
      while ((l = reader.next()) != null) {
        structure.accept(l);
        String clean = l.clean();
        if (clean.isEmpty()) {
          continue;
        }
        tail[tailNext++ % TAIL] = l;
        epoch++;
        int n = index.scan(clean, seen, epoch, found);
        if (n > 1) {
          java.util.Arrays.sort(found, 0, n); // pattern order decides which capture wins on a line
        }
        boolean any = n > 0 || alwaysRun.length > 0;
        if (!any) {
          continue;
        }
        boolean prevChecked = false;
        boolean inPrev = false;
        for (int k = 0; k < n + alwaysRun.length; k++) {
          int p = k < n ? found[k] : alwaysRun[k - n];
          if (p == genericIndex) {
            if (ErrorLines.strength(clean) > 0) {
              if (!prevChecked && prev != null) {
                inPrev = prev.contains(LineFingerprint.of(clean));
                prevChecked = true;
              }
              if (!inPrev) {
                Evidence e = new Evidence(l.number(), cap(l.text()));
                if (errorHead.size() < HEAD_ERROR_LINES) {
                  errorHead.add(e);
                } else {
                  errorRing[errorRingNext++ % TAIL_ERROR_LINES] = e;
                }
              }
            }
            continue;
          }
          if (k >= n && seen[p] == epoch) {
            continue; // already run through the index
          }
          Playbook pb = owner[p];
          int count = hitsPerPlaybook.getOrDefault(pb.id(), 0);
          if (count >= MAX_HITS_PER_PLAYBOOK) {
            continue;
          }
          Optional<Map<String, String>> caps = patterns[p].match(clean);
          if (caps.isEmpty() || vetoed(p, clean)) {
            continue;
          }
          if (prev != null) {
            if (!prevChecked) {
              inPrev = prev.contains(LineFingerprint.of(clean));
              prevChecked = true;
            }
            if (inPrev) {
              ignored++;
              continue;
            }
          }
          hitsPerPlaybook.put(pb.id(), count + 1);
          hits.add(new Hit(pb, patterns[p], l.number(), cap(l.text()), caps.get()));
        }
      }
      truncatedLines = reader.truncatedLines();
      bytes = reader.bytesRead();
      lines = reader.linesRead();
      truncated = capped.hitCap();
    }
    LogStructure.FailureMark first = structure.firstFailure();
    int regionStart = 1;
    int regionEnd = lines;
    Integer exit = null;
    if (first != null) {
      regionEnd = first.line();
      regionStart = structure.stepStartBefore(first.line());
      exit = first.exitCode();
    }
    List<Evidence> errorLines = new ArrayList<>(errorHead);
    int ringCount = Math.min(errorRingNext, TAIL_ERROR_LINES);
    for (int i = errorRingNext - ringCount; i < errorRingNext; i++) {
      errorLines.add(errorRing[i % TAIL_ERROR_LINES]);
    }
    List<Evidence> marks =
        structure.failures().stream().limit(20).map(f -> new Evidence(f.line(), f.text())).toList();
    return new ScanResult(
        source.name(),
        hits,
        errorLines,
        marks,
        tailEvidence(tail, tailNext),
        regionStart,
        regionEnd,
        exit,
        lines,
        bytes,
        truncatedLines,
        truncated,
        ignored);
  }

  private static List<Evidence> tailEvidence(LogLine[] ring, int next) {
    List<Evidence> out = new ArrayList<>();
    int count = Math.min(next, TAIL);
    for (int i = next - count; i < next; i++) {
      LogLine l = ring[i % TAIL];
      out.add(new Evidence(l.number(), cap(l.text())));
    }
    return out;
  }

  private boolean vetoed(int p, String clean) {
    for (Pattern u : unless[p]) {
      if (u.matcher(clean).find()) {
        return true;
      }
    }
    return false;
  }

  private static String cap(String s) {
    return Strings.abbreviate(s, MAX_EVIDENCE_CHARS);
  }

  /** Decides the root cause from a scan. */
  public Diagnosis decide(ScanResult scan) {
    return Decision.decide(scan);
  }

  /** Scan and decide in one call. */
  public Diagnosis diagnose(LogSource source, Optional<LongSetHandle> previous) {
    try {
      return decide(scan(source, previous));
    } catch (IOException | RuntimeException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Diagnosis.unreadable(source.name(), msg);
    }
  }

  public List<Playbook> playbooks() {
    return playbooks;
  }

  /** The rules' decision, separated from scanning so it can be tuned and tested on its own. */
  static final class Decision {
    static final double BEFORE_REGION = 0.45;
    static final double AFTER_REGION = 0.6;
    static final double NO_STRUCTURE = 0.9;
    static final double CODE_MARGIN = 0.05;
    static final double MASKING_MARGIN = 0.15;
    static final double MIN_ACTION_SCORE = 0.35;
    static final java.util.Set<Category> MASKING =
        java.util.EnumSet.of(Category.TEST, Category.RESOURCE, Category.INFRASTRUCTURE);

    static Diagnosis decide(ScanResult scan) {
      boolean structured = !scan.failureMarks().isEmpty();
      List<Scored> scored = new ArrayList<>();
      for (Hit h : scan.hits()) {
        double factor;
        if (!structured) {
          factor = NO_STRUCTURE;
        } else if (h.line() >= scan.failureRegionStart() && h.line() <= scan.failureRegionEnd()) {
          factor = 1.0;
        } else if (h.line() < scan.failureRegionStart()) {
          factor = BEFORE_REGION;
        } else {
          factor = AFTER_REGION;
        }
        scored.add(new Scored(h, h.pattern().confidence() * factor));
      }
      scored.sort(
          Comparator.comparingDouble((Scored s) -> -s.score).thenComparingInt(s -> s.hit.line()));
      List<String> notes = new ArrayList<>();
      if (scan.truncated()) {
        notes.add("the log was longer than the reading cap; only its beginning was read");
      }
      if (scan.truncatedLines() > 0) {
        notes.add(scan.truncatedLines() + " line(s) longer than the line cap were cut");
      }
      if (scan.ignoredAsInPreviousSuccess() > 0) {
        notes.add(
            scan.ignoredAsInPreviousSuccess()
                + " matching line(s) ignored because they also appear in the passing run");
      }
      if (scored.isEmpty()) {
        return fallback(scan, notes);
      }
      Scored best = scored.get(0);
      // prefer the earliest hit whose score is within a hair of the best: the root cause comes
      // first
      for (Scored s : scored) {
        if (s.score >= best.score - 0.02 && s.hit.line() < best.hit.line()) {
          best = s;
        }
      }
      // Precision before coverage: a genuine defect close behind an actionable explanation wins,
      // because retrying or resizing a real bug hides it.
      if (best.hit.playbook().category().fixable()) {
        double margin =
            MASKING.contains(best.hit.playbook().category()) ? MASKING_MARGIN : CODE_MARGIN;
        for (Scored s : scored) {
          if (s.hit.playbook().category() == Category.CODE && s.score >= best.score - margin) {
            notes.add(
                "a "
                    + best.hit.playbook().category().wire()
                    + " explanation ("
                    + best.hit.playbook().id()
                    + " at line "
                    + best.hit.line()
                    + ") was set aside for a code defect that is nearly as likely");
            best = s;
            break;
          }
        }
      }
      if (best.hit.playbook().category().fixable() && best.score < MIN_ACTION_SCORE) {
        notes.add(
            "the best explanation, "
                + best.hit.playbook().id()
                + " at line "
                + best.hit.line()
                + " (score "
                + round(best.score)
                + "), is too weak to act on");
        return fallback(scan, notes);
      }
      Hit h = best.hit;
      Playbook pb = h.playbook();
      double confidence = best.score;
      Scored rival = null;
      for (Scored s : scored) {
        if (s.hit.playbook().category() != pb.category()) {
          rival = s;
          break;
        }
      }
      if (rival != null && rival.score > best.score - 0.15) {
        confidence *= 0.85;
        notes.add(
            "a competing "
                + rival.hit.playbook().category().wire()
                + " explanation ("
                + rival.hit.playbook().id()
                + " at line "
                + rival.hit.line()
                + ") was weighed and ranked lower");
      }
      Map<String, String> caps = h.captures();
      Map<String, String> params = new LinkedHashMap<>();
      for (Playbook.Step step : pb.steps()) {
        step.params().forEach((k, v) -> params.put(k, bind(v, caps)));
      }
      List<Evidence> evidence = new ArrayList<>();
      evidence.add(new Evidence(h.line(), h.text()));
      for (Scored s : scored) {
        if (evidence.size() >= 3) {
          break;
        }
        if (s.hit.playbook() == pb && s.hit.line() != h.line()) {
          evidence.add(new Evidence(s.hit.line(), s.hit.text()));
        }
      }
      String where =
          structured
              ? (h.line() >= scan.failureRegionStart() && h.line() <= scan.failureRegionEnd()
                  ? "in the step that failed (lines "
                      + scan.failureRegionStart()
                      + "–"
                      + scan.failureRegionEnd()
                      + ")"
                  : "outside the step that failed (lines "
                      + scan.failureRegionStart()
                      + "–"
                      + scan.failureRegionEnd()
                      + ")")
              : "(the log shows no step structure)";
      String explanation =
          (pb.explanation().isBlank() ? pb.title() + "." : bind(pb.explanation().trim(), caps))
              + " Matched playbook "
              + pb.id()
              + " at line "
              + h.line()
              + " "
              + where
              + ".";
      return new Diagnosis(
          scan.file(),
          pb.category(),
          bind(pb.rootCause(), caps),
          round(confidence),
          pb.riskLevel(),
          pb.strategy(),
          params,
          Optional.of(pb.id()),
          "rules",
          evidence,
          explanation,
          Optional.empty(),
          notes);
    }

    private static Diagnosis fallback(ScanResult scan, List<String> notes) {
      Evidence ev = bestErrorLine(scan);
      if (ev == null) {
        return new Diagnosis(
            scan.file(),
            Category.UNKNOWN,
            "The log does not show why the job failed",
            0.1,
            RiskLevel.LOW,
            "none",
            Map.of(),
            Optional.empty(),
            "rules",
            List.of(),
            "No playbook matched and the log shows no error line; Pitcrew will not act on it.",
            Optional.empty(),
            notes);
      }
      List<Evidence> evidence = new ArrayList<>();
      evidence.add(ev);
      evidence.addAll(supportingErrorLines(scan, ev, 2));
      return new Diagnosis(
          scan.file(),
          Category.CODE,
          "Unrecognised failure: " + Strings.abbreviate(ev.text().strip(), 200),
          0.3,
          RiskLevel.HIGH,
          "none",
          Map.of(),
          Optional.empty(),
          "rules",
          evidence,
          "No playbook recognised this failure, so it is treated as a defect for a person to look"
              + " at; Pitcrew does not act on it. The first error line of the failing step is"
              + " shown as evidence.",
          Optional.empty(),
          notes);
    }

    /**
     * The line a person would cite when no playbook matched: the first of the strongest error lines
     * in the step that failed; failing that, before the first failure mark; failing that, the mark.
     */
    static Evidence bestErrorLine(ScanResult scan) {
      int end = scan.failureRegionEnd();
      boolean structured = !scan.failureMarks().isEmpty();
      Evidence best = pick(scan, scan.failureRegionStart(), structured ? end - 1 : end);
      if (best == null && structured) {
        best = pick(scan, 1, end - 1);
      }
      if (best == null && !scan.failureMarks().isEmpty()) {
        best = scan.failureMarks().get(0);
      }
      return best;
    }

    /**
     * Up to {@code max} further error lines of the failing step after {@code best}, strongest
     * first.
     */
    static List<Evidence> supportingErrorLines(ScanResult scan, Evidence best, int max) {
      int from = scan.failureMarks().isEmpty() ? 1 : scan.failureRegionStart();
      int to =
          scan.failureMarks().isEmpty() ? scan.failureRegionEnd() : scan.failureRegionEnd() - 1;
      List<Evidence> strong = new ArrayList<>();
      List<Evidence> weaker = new ArrayList<>();
      for (Evidence e : scan.errorLines()) {
        if (e.line() <= best.line() || e.line() < from || e.line() > to) {
          continue;
        }
        int st = ErrorLines.strength(dev.pitcrew.logs.LineCleaner.clean(e.text()));
        if (st >= 3 && strong.size() < max) {
          strong.add(e);
        } else if (st == 2 && weaker.size() < max) {
          weaker.add(e);
        }
      }
      List<Evidence> out = new ArrayList<>(strong);
      for (Evidence e : weaker) {
        if (out.size() >= max) {
          break;
        }
        out.add(e);
      }
      out.sort(java.util.Comparator.comparingInt(Evidence::line));
      return out;
    }

    private static Evidence pick(ScanResult scan, int from, int to) {
      Evidence best = null;
      int bestStrength = 0;
      for (Evidence e : scan.errorLines()) {
        if (e.line() < from || e.line() > to) {
          continue;
        }
        int s = ErrorLines.strength(dev.pitcrew.logs.LineCleaner.clean(e.text()));
        if (s > bestStrength) {
          best = e;
          bestStrength = s;
        }
      }
      return best;
    }

    static String bind(String template, Map<String, String> caps) {
      String out = template;
      for (var e : caps.entrySet()) {
        out = out.replace("{" + e.getKey() + "}", e.getValue());
      }
      return out;
    }

    private static double round(double d) {
      return Math.round(d * 100) / 100.0;
    }

    record Scored(Hit hit, double score) {}
  }
}
