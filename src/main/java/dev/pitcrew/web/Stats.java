package dev.pitcrew.web;

import dev.pitcrew.metrics.TimeSaved;
import dev.pitcrew.store.ActionRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of {@code /api/stats}, computed from execution-history records: pure, so the numbers
 * are tested without a server.
 */
public final class Stats {
  private Stats() {}

  /** Success is a verified fix; failure a fix that did not hold or an escalation. */
  public static Map<String, Object> compute(
      List<ActionRecord> records, Instant since, Map<String, Double> minutesSaved) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("since", since.toString());
    out.put("total", records.size());
    out.put("success_rate", rate(records));
    Map<String, List<ActionRecord>> byCat = new TreeMap<>();
    for (ActionRecord r : records) {
      byCat
          .computeIfAbsent(
              r.failureCategory() == null ? "unknown" : r.failureCategory(), k -> new ArrayList<>())
          .add(r);
    }
    Map<String, Object> cats = new LinkedHashMap<>();
    byCat.forEach(
        (c, rs) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("total", rs.size());
          m.put("succeeded", rs.stream().filter(r -> "success".equals(r.outcome())).count());
          m.put("success_rate", rate(rs));
          cats.put(c, m);
        });
    out.put("by_category", cats);
    long autoFixed =
        records.stream().filter(r -> r.autoFixApplied() && "success".equals(r.outcome())).count();
    long manual =
        records.stream()
            .filter(r -> "manual".equals(r.outcome()) || "escalated".equals(r.status()))
            .count();
    out.put("auto_fixed", autoFixed);
    out.put("manual", manual);
    List<Double> ttf =
        records.stream().map(ActionRecord::timeToFix).filter(t -> t != null).sorted().toList();
    Map<String, Object> time = new LinkedHashMap<>();
    time.put("count", ttf.size());
    time.put("median_s", percentile(ttf, 0.5));
    time.put("p90_s", percentile(ttf, 0.9));
    time.put(
        "mean_s",
        ttf.isEmpty() ? null : ttf.stream().mapToDouble(Double::doubleValue).average().orElse(0));
    out.put("time_to_remediation", time);
    // the one definition the dashboard uses too: manual effort minus the automatic time
    List<TimeSaved.Fixes> fixes = new ArrayList<>();
    for (ActionRecord r : records) {
      if (r.autoFixApplied() && "success".equals(r.outcome())) {
        fixes.add(
            new TimeSaved.Fixes(
                r.failureCategory() == null ? "unknown" : r.failureCategory(),
                1,
                TimeSaved.seconds(r.timeToFix())));
      }
    }
    out.put(
        "time_saved_minutes", TimeSaved.minutes(TimeSaved.fromMinutes(minutesSaved).saved(fixes)));
    Map<LocalDate, Integer> perDay = new TreeMap<>();
    for (ActionRecord r : records) {
      perDay.merge(r.timestamp().atZone(ZoneOffset.UTC).toLocalDate(), 1, Integer::sum);
    }
    List<Map<String, Object>> trend = new ArrayList<>();
    perDay.forEach((d, n) -> trend.add(Map.of("day", d.toString(), "failures", n)));
    out.put("failure_trend", trend);
    Map<String, Object> fp = new LinkedHashMap<>();
    fp.put(
        "fix_did_not_hold",
        records.stream()
            .filter(r -> r.attempt() > 1 || "failed".equals(r.newPipelineStatus()))
            .count());
    fp.put(
        "rejected_by_people",
        records.stream().filter(r -> r.approvalRequired() && "skipped".equals(r.status())).count());
    fp.put("escalated", records.stream().filter(r -> "escalated".equals(r.status())).count());
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

  private static Double rate(List<ActionRecord> rs) {
    long ok = rs.stream().filter(r -> "success".equals(r.outcome())).count();
    long decided =
        rs.stream()
            .filter(r -> "success".equals(r.outcome()) || "failure".equals(r.outcome()))
            .count();
    return decided == 0 ? null : Math.round(1000.0 * ok / decided) / 1000.0;
  }

  static Double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return null;
    }
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
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
