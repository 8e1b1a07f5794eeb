package dev.pitcrew.diagnosis.llm;

import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.logs.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a model's evidence against the log: a cited line must exist verbatim at its line number,
 * or within {@link #SLACK} lines of it, ignoring whitespace. Models miscount lines; they must not
 * invent them. What survives is reported with the log's own line number and (redacted) text.
 */
final class Grounding {
  static final int SLACK = 3;
  static final int MIN_PARTIAL = 16;

  /**
   * Parameters whose values come from the log (a package, a variable, a file) and must be in it.
   */
  static final Set<String> CAPTURED =
      Set.of(
          "module",
          "package",
          "name",
          "file",
          "version",
          "current",
          "current_ms",
          "current_s",
          "silence");

  private Grounding() {}

  /** Verified evidence and the reasons the rest was rejected. */
  record Result(List<Evidence> verified, List<String> rejected) {}

  /** The lines the grounding check needs: every cited line number and its neighbours. */
  static NavigableSet<Integer> wanted(List<Evidence> cited) {
    NavigableSet<Integer> out = new TreeSet<>();
    for (Evidence e : cited) {
      for (int i = Math.max(1, e.line() - SLACK); i <= e.line() + SLACK; i++) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * @param log line number to the log's text, for at least the {@link #wanted} lines
   * @param shown line number to the text the model was shown (redacted)
   */
  static Result check(
      List<Evidence> cited,
      Map<Integer, String> log,
      Map<Integer, String> shown,
      Redactor redactor) {
    List<Evidence> ok = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (Evidence e : cited) {
      String want = fold(e.text());
      if (want.isEmpty()) {
        rejected.add("line " + e.line() + ": empty text");
        continue;
      }
      int found = -1;
      for (int d = 0; d <= SLACK && found < 0; d++) {
        for (int n : d == 0 ? new int[] {e.line()} : new int[] {e.line() - d, e.line() + d}) {
          if (matches(want, log.get(n)) || matches(want, shown.get(n))) {
            found = n;
            break;
          }
        }
      }
      if (found < 0) {
        rejected.add(
            "line " + e.line() + ": the log has no such text there (within " + SLACK + " lines)");
        continue;
      }
      String text = log.containsKey(found) ? redactor.mask(log.get(found)) : shown.get(found);
      int at = found;
      if (ok.stream().noneMatch(x -> x.line() == at)) {
        ok.add(new Evidence(at, text));
      }
    }
    return new Result(ok, rejected);
  }

  /**
   * A cached answer's citations moved onto the log in hand. The cache answers for a failure's
   * fingerprint, so the same failure in another job reuses an answer whose line numbers, and the
   * numbers inside the cited lines (timestamps, ids, ports), are the first log's. Each citation
   * that no longer matches near its line is re-found by its {@link #shape}: the shown line of the
   * same shape nearest to the cited number. A citation with no such line is left as it was, for
   * {@link #check} to reject: reuse never invents evidence, it only finds the same line elsewhere.
   */
  static List<Evidence> relocate(List<Evidence> cited, Map<Integer, String> shown) {
    List<Evidence> out = new ArrayList<>(cited.size());
    for (Evidence e : cited) {
      String want = fold(e.text());
      boolean inPlace = false;
      for (int n = e.line() - SLACK; n <= e.line() + SLACK && !inPlace; n++) {
        inPlace = matches(want, shown.get(n));
      }
      if (inPlace || want.isEmpty()) {
        out.add(e);
        continue;
      }
      String wantShape = shape(e.text());
      int best = -1;
      for (var line : shown.entrySet()) {
        String have = shape(line.getValue());
        boolean same =
            have.equals(wantShape)
                || (wantShape.length() >= MIN_PARTIAL && have.contains(wantShape));
        if (same
            && (best < 0
                || Math.abs(line.getKey() - e.line()) < Math.abs(best - e.line())
                || (Math.abs(line.getKey() - e.line()) == Math.abs(best - e.line())
                    && line.getKey() < best))) {
          best = line.getKey();
        }
      }
      out.add(best < 0 ? e : new Evidence(best, shown.get(best)));
    }
    return out;
  }

  /**
   * A line's shape: runs of hex (7+) and of digits folded to {@code #}, whitespace to one space.
   * The failure fingerprint is built from the shapes of the selected lines.
   */
  static String shape(String line) {
    return line.replaceAll("[0-9a-fA-F]{7,}", "#")
        .replaceAll("\\d+", "#")
        .replaceAll("\\s+", " ")
        .strip();
  }

  private static boolean matches(String want, String line) {
    if (line == null) {
      return false;
    }
    String have = fold(line);
    if (have.equals(want)) {
      return true;
    }
    return want.length() >= MIN_PARTIAL && have.contains(want);
  }

  /** Whitespace-insensitive form: runs of whitespace fold to one space, ends trimmed. */
  static String fold(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
