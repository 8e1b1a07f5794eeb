package dev.pitcrew.web;

import dev.pitcrew.metrics.TimeSaved;
import dev.pitcrew.store.ActionTotals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of {@code /api/stats}, assembled from the totals the database computes ({@link
 * ActionTotals}): no record is loaded, so the endpoint stays fast and small with 100,000 actions,
 * and the assembly is pure, so the numbers are tested without a server.
 */
public final class Stats {
  private Stats() {}

  /** Success is a verified fix; failure a fix that did not hold or an escalation. */
  public static Map<String, Object> compute(
      ActionTotals.Window window, Instant since, Map<String, Double> minutesSaved) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("since", since.toString());
    long total = 0;
    Map<String, Long> all = new java.util.HashMap<>();
    Map<String, Object> cats = new LinkedHashMap<>();
    for (var c : window.outcomes().entrySet()) {
      Map<String, Long> byOutcome = c.getValue();
      long n = byOutcome.values().stream().mapToLong(Long::longValue).sum();
      total += n;
      byOutcome.forEach((o, k) -> all.merge(o, k, Long::sum));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("total", n);
      m.put("succeeded", byOutcome.getOrDefault("success", 0L));
      m.put("success_rate", rate(byOutcome));
      cats.put(c.getKey(), m);
    }
    out.put("total", total);
    out.put("success_rate", rate(all));
    out.put("by_category", cats);
    out.put("auto_fixed", window.fixes().stream().mapToLong(TimeSaved.Fixes::count).sum());
    out.put("manual", window.signals().manual());
    double[] ttf = window.timesToFix();
    Map<String, Object> time = new LinkedHashMap<>();
    time.put("count", ttf.length);
    time.put("median_s", percentile(ttf, 0.5));
    time.put("p90_s", percentile(ttf, 0.9));
    time.put("mean_s", ttf.length == 0 ? null : Arrays.stream(ttf).average().orElse(0));
    out.put("time_to_remediation", time);
    // the one definition the dashboard uses too: manual effort minus the automatic time
    out.put(
        "time_saved_minutes",
        TimeSaved.minutes(TimeSaved.fromMinutes(minutesSaved).saved(window.fixes())));
    List<Map<String, Object>> trend = new ArrayList<>();
    for (ActionTotals.Day d : window.days()) {
      trend.add(Map.of("day", d.day().toString(), "failures", d.failures()));
    }
    out.put("failure_trend", trend);
    Map<String, Object> fp = new LinkedHashMap<>();
    fp.put("fix_did_not_hold", window.signals().didNotHold());
    fp.put("rejected_by_people", window.signals().rejectedByPeople());
    fp.put("escalated", window.signals().escalated());
    out.put("false_positive_signals", fp);
    return out;
  }

  /**
   * The language model's usage, overall and per repository: {@code calls} answered by the model,
   * {@code cache_hits} (answers reused for the same failure fingerprint), {@code failed} and {@code
   * refused_by_budget} consultations, tokens in and out, and the estimated cost in dollars.
   */
  public static Map<String, Object> llm(List<dev.pitcrew.diagnosis.llm.TokenLedger.Call> calls) {
    Map<String, Object> out = usage(calls);
    Map<String, List<dev.pitcrew.diagnosis.llm.TokenLedger.Call>> byRepo = new TreeMap<>();
    for (var c : calls) {
      byRepo.computeIfAbsent(c.repository().orElse("(none)"), k -> new ArrayList<>()).add(c);
    }
    Map<String, Object> per = new LinkedHashMap<>();
    byRepo.forEach((r, cs) -> per.put(r, usage(cs)));
    out.put("by_repository", per);
    return out;
  }

  private static Map<String, Object> usage(List<dev.pitcrew.diagnosis.llm.TokenLedger.Call> cs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("calls", count(cs, dev.pitcrew.diagnosis.llm.TokenLedger.Call.CALLED));
    m.put("cache_hits", count(cs, dev.pitcrew.diagnosis.llm.TokenLedger.Call.CACHED));
    m.put("failed", count(cs, dev.pitcrew.diagnosis.llm.TokenLedger.Call.FAILED));
    m.put("refused_by_budget", count(cs, dev.pitcrew.diagnosis.llm.TokenLedger.Call.REFUSED));
    m.put("input_tokens", cs.stream().mapToLong(c -> c.inputTokens()).sum());
    m.put("output_tokens", cs.stream().mapToLong(c -> c.outputTokens()).sum());
    m.put(
        "estimated_cost_usd",
        Math.round(cs.stream().mapToDouble(c -> c.costUsd()).sum() * 1_000_000) / 1_000_000.0);
    return m;
  }

  private static long count(List<dev.pitcrew.diagnosis.llm.TokenLedger.Call> cs, String outcome) {
    return cs.stream().filter(c -> outcome.equals(c.outcome())).count();
  }

  /** Successes among the actions that were decided (succeeded or failed); null before any was. */
  private static Double rate(Map<String, Long> byOutcome) {
    long ok = byOutcome.getOrDefault("success", 0L);
    long decided = ok + byOutcome.getOrDefault("failure", 0L);
    return decided == 0 ? null : Math.round(1000.0 * ok / decided) / 1000.0;
  }

  /** The nearest-rank percentile of ascending values; null when there are none. */
  static Double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Default manual minutes per category, overridable with PITCREW_MINUTES_SAVED_<CATEGORY>. */
  public static Map<String, Double> minutesSaved(
      java.util.function.Function<String, java.util.Optional<String>> setting) {
    Map<String, Double> m = new LinkedHashMap<>();
    Map<String, Double> defaults =
        Map.of(
            "dependency",
            30.0,
            "environment",
            25.0,
            "test",
            20.0,
            "resource",
            25.0,
            "infrastructure",
            15.0,
            "code",
            0.0,
            "unknown",
            0.0);
    for (String c :
        List.of(
            "dependency", "environment", "test", "resource", "infrastructure", "code", "unknown")) {
      String key = "PITCREW_MINUTES_SAVED_" + c.toUpperCase(java.util.Locale.ROOT);
      m.put(
          c,
          setting
              .apply(key)
              .map(
                  v -> {
                    try {
                      return Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                      throw new IllegalArgumentException(
                          key + "='" + v + "' is not a number of minutes");
                    }
                  })
              .orElse(defaults.get(c)));
    }
    return m;
  }
}
