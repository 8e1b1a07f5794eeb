package dev.pitcrew.diagnosis.llm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model's tokens cost, in US dollars per million input and output tokens, by model-name
 * prefix (the longest matching prefix wins, so {@code claude-sonnet-4-5-20250929} is priced as
 * {@code claude-sonnet-4}). The defaults are the providers' list prices of late 2025; {@code
 * PITCREW_LLM_PRICES} adds or replaces entries. A model with no entry (a self-hosted one) costs 0.
 */
public final class Prices {
  /** Dollars per million tokens. */
  public record Price(double input, double output) {}

  /** List prices, USD per million tokens (Anthropic and OpenAI pricing pages, 2025). */
  public static final Map<String, Price> DEFAULTS = defaults();

  private final List<Map.Entry<String, Price>> byLongestPrefix;

  public Prices(Map<String, Price> table) {
    List<Map.Entry<String, Price>> l = new ArrayList<>(Map.copyOf(table).entrySet());
    l.sort(Comparator.comparingInt((Map.Entry<String, Price> e) -> e.getKey().length()).reversed());
    this.byLongestPrefix = List.copyOf(l);
  }

  public static Prices standard() {
    return new Prices(DEFAULTS);
  }

  private static Map<String, Price> defaults() {
    Map<String, Price> m = new LinkedHashMap<>();
    m.put("claude-opus-4-5", new Price(5, 25));
    m.put("claude-opus-4", new Price(15, 75));
    m.put("claude-sonnet-4", new Price(3, 15));
    m.put("claude-3-7-sonnet", new Price(3, 15));
    m.put("claude-haiku-4", new Price(1, 5));
    m.put("claude-3-5-haiku", new Price(0.8, 4));
    m.put("gpt-4o-mini", new Price(0.15, 0.6));
    m.put("gpt-4o", new Price(2.5, 10));
    m.put("gpt-4.1-mini", new Price(0.4, 1.6));
    m.put("gpt-4.1", new Price(2, 8));
    return Map.copyOf(m);
  }

  /**
   * The defaults with {@code PITCREW_LLM_PRICES} on top: {@code prefix=input/output,...}, dollars
   * per million tokens, such as {@code my-gateway-model=1.5/6,llama3=0/0}.
   *
   * @throws IllegalArgumentException naming the entry that is not understood
   */
  public static Prices fromEnv(Map<String, String> env) {
    Map<String, Price> m = new LinkedHashMap<>(DEFAULTS);
    for (String part : env.getOrDefault("PITCREW_LLM_PRICES", "").split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.lastIndexOf('=');
      String[] io = eq < 0 ? new String[0] : part.substring(eq + 1).split("/");
      try {
        if (eq <= 0 || io.length != 2) {
          throw new NumberFormatException();
        }
        double in = Double.parseDouble(io[0].strip());
        double out = Double.parseDouble(io[1].strip());
        if (in < 0 || out < 0 || Double.isNaN(in) || Double.isNaN(out)) {
          throw new NumberFormatException();
        }
        m.put(part.substring(0, eq).strip(), new Price(in, out));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "PITCREW_LLM_PRICES entry '"
                + part.strip()
                + "' must look like model=3/15 (dollars per million input/output tokens)");
      }
    }
    return new Prices(m);
  }

  /** The price of a model, when the table has one. */
  public Optional<Price> of(String model) {
    for (var e : byLongestPrefix) {
      if (model.startsWith(e.getKey())) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** The estimated cost in dollars; 0 for a model with no price. */
  public double cost(String model, long inputTokens, long outputTokens) {
    return of(model)
        .map(p -> (inputTokens * p.input() + outputTokens * p.output()) / 1_000_000.0)
        .orElse(0.0);
  }
}
