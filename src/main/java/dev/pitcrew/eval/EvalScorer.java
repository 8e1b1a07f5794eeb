package dev.pitcrew.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Scores predictions against a labelled corpus with the metrics of the corpus's score.py: accuracy
 * and macro-F1 over the six real categories, action precision and coverage, masking rate and
 * evidence hit rate.
 */
public final class EvalScorer {
  static final List<String> CATS =
      List.of("dependency", "environment", "test", "resource", "infrastructure", "code");
  static final List<String> FIXABLE =
      List.of("dependency", "environment", "test", "resource", "infrastructure");
  static final List<String> MASKING = List.of("test", "infrastructure", "resource");
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*[A-Za-z]");
  private static final Pattern TS = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s*");
  private static final Pattern WS = Pattern.compile("\\s+");

  /** A labelled log. */
  public record Label(String file, String category, String evidence) {}

  /** A prediction for one log. */
  public record Prediction(String file, String category, List<String> evidence) {}

  private EvalScorer() {}

  static String norm(String s) {
    String t = ANSI.matcher(s == null ? "" : s).replaceAll("");
    t = TS.matcher(t.strip()).replaceFirst("");
    return WS.matcher(t).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
  }

  public static Map<String, Object> score(List<Label> labels, Map<String, Prediction> byFile) {
    Map<String, Integer> tp = new TreeMap<>();
    Map<String, Integer> fp = new TreeMap<>();
    Map<String, Integer> fn = new TreeMap<>();
    Map<String, Integer> confusion = new LinkedHashMap<>();
    int n = 0;
    int correct = 0;
    int missing = 0;
    int fixPred = 0;
    int fixPredOk = 0;
    int codeTotal = 0;
    int codeMasked = 0;
    int fixTrue = 0;
    int fixTrueFound = 0;
    int evTotal = 0;
    int evHit = 0;
    for (Label l : labels) {
      String t = l.category();
      if ("unknown".equals(t)) {
        continue;
      }
      n++;
      Prediction p = find(byFile, l.file());
      String pc;
      if (p == null) {
        missing++;
        pc = "missing";
      } else {
        pc = p.category() == null ? "unknown" : p.category();
      }
      if (!pc.equals(t)) {
        confusion.merge(t + " -> " + pc, 1, Integer::sum);
      }
      if (pc.equals(t)) {
        correct++;
        tp.merge(t, 1, Integer::sum);
      } else {
        fn.merge(t, 1, Integer::sum);
        if (CATS.contains(pc)) {
          fp.merge(pc, 1, Integer::sum);
        }
      }
      if (FIXABLE.contains(pc)) {
        fixPred++;
        fixPredOk += pc.equals(t) ? 1 : 0;
      }
      if (FIXABLE.contains(t)) {
        fixTrue++;
        fixTrueFound += pc.equals(t) ? 1 : 0;
      }
      if ("code".equals(t)) {
        codeTotal++;
        codeMasked += MASKING.contains(pc) ? 1 : 0;
      }
      if (p != null && l.evidence() != null && !l.evidence().isEmpty() && pc.equals(t)) {
        evTotal++;
        String want = norm(l.evidence());
        boolean hit = false;
        for (String e : p.evidence()) {
          String x = norm(e);
          if (!want.isEmpty() && !x.isEmpty() && (want.contains(x) || x.contains(want))) {
            hit = true;
            break;
          }
        }
        evHit += hit ? 1 : 0;
      }
    }
    Map<String, Object> per = new LinkedHashMap<>();
    List<Double> f1s = new ArrayList<>();
    for (String c : CATS) {
      int tpc = tp.getOrDefault(c, 0);
      int fpc = fp.getOrDefault(c, 0);
      int fnc = fn.getOrDefault(c, 0);
      double pr = tpc + fpc > 0 ? (double) tpc / (tpc + fpc) : 0;
      double rc = tpc + fnc > 0 ? (double) tpc / (tpc + fnc) : 0;
      double f1 = pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0;
      per.put(c, Map.of("precision", r3(pr), "recall", r3(rc), "f1", r3(f1), "support", tpc + fnc));
      if (tpc + fnc > 0) {
        f1s.add(f1);
      }
    }
    Map<String, Object> res = new LinkedHashMap<>();
    res.put("logs", n);
    res.put("missing_predictions", missing);
    res.put("accuracy", n > 0 ? r3((double) correct / n) : 0);
    res.put(
        "macro_f1", f1s.isEmpty() ? 0 : r3(f1s.stream().mapToDouble(d -> d).average().orElse(0)));
    res.put("action_precision", fixPred > 0 ? r3((double) fixPredOk / fixPred) : 0);
    res.put("action_coverage", fixTrue > 0 ? r3((double) fixTrueFound / fixTrue) : 0);
    res.put("masking_rate", codeTotal > 0 ? r3((double) codeMasked / codeTotal) : 0);
    res.put("evidence_hit", evTotal > 0 ? r3((double) evHit / evTotal) : 0);
    res.put("per_category", per);
    List<Map.Entry<String, Integer>> conf = new ArrayList<>(confusion.entrySet());
    conf.sort((a, b) -> b.getValue() - a.getValue());
    Map<String, Integer> top = new LinkedHashMap<>();
    conf.stream().limit(12).forEach(e -> top.put(e.getKey(), e.getValue()));
    res.put("top_confusions", top);
    return res;
  }

  private static Prediction find(Map<String, Prediction> byFile, String lf) {
    Prediction p = byFile.get(lf);
    if (p != null) {
      return p;
    }
    for (var e : byFile.entrySet()) {
      if (e.getKey().endsWith(lf) || lf.endsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  private static double r3(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
