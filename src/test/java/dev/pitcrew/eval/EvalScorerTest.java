package dev.pitcrew.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scorer agrees with the corpus's score.py on a hand-checked example. */
class EvalScorerTest {
  private static EvalScorer.Prediction p(String file, String category, String... evidence) {
    return new EvalScorer.Prediction(file, category, List.of(evidence));
  }

  @Test
  void computesTheSameFiguresAsScorePy() {
    List<EvalScorer.Label> labels =
        List.of(
            new EvalScorer.Label("logs/a.log.gz", "dependency", "No module named 'x'"),
            new EvalScorer.Label("logs/b.log.gz", "code", "AssertionError: boom"),
            new EvalScorer.Label("logs/c.log.gz", "code", "error: cannot find symbol"),
            new EvalScorer.Label("logs/d.log.gz", "infrastructure", "Connection reset by peer"),
            new EvalScorer.Label("logs/e.log.gz", "unknown", ""));
    Map<String, EvalScorer.Prediction> preds = new LinkedHashMap<>();
    preds.put(
        "x/logs/a.log.gz",
        p("x/logs/a.log.gz", "dependency", "2024-01-01T00:00:00.000Z E  No module named 'x'"));
    preds.put("x/logs/b.log.gz", p("x/logs/b.log.gz", "test", "AssertionError: boom"));
    preds.put("x/logs/c.log.gz", p("x/logs/c.log.gz", "code", "warning: unused"));
    preds.put("x/logs/d.log.gz", p("x/logs/d.log.gz", "code"));
    Map<String, Object> r = EvalScorer.score(labels, preds);
    assertThat(r.get("logs")).isEqualTo(4);
    assertThat(r.get("accuracy")).isEqualTo(0.5);
    // dependency F1 1.0, code P 0.5 R 0.5 F1 0.5, infrastructure 0 -> mean of the 3 present
    assertThat(r.get("macro_f1")).isEqualTo(0.5);
    // predicted fixable: a (right), b (test, wrong) -> 0.5
    assertThat(r.get("action_precision")).isEqualTo(0.5);
    assertThat(r.get("action_coverage")).isEqualTo(0.5);
    assertThat(r.get("masking_rate")).isEqualTo(0.5);
    // correct with evidence: a (hit, timestamp stripped), c (miss) -> 0.5
    assertThat(r.get("evidence_hit")).isEqualTo(0.5);
  }
}
