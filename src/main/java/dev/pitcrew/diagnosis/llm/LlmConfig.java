package dev.pitcrew.diagnosis.llm;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The language-model settings, read from the environment. Off unless a provider is chosen or a key
 * is present, so that Pitcrew works fully without any model. The key is kept out of {@link
 * #toString()}.
 */
public record LlmConfig(
    Provider provider,
    String model,
    Optional<String> baseUrl,
    Optional<String> apiKey,
    int maxInputTokens,
    int maxOutputTokens,
    Duration timeout,
    int maxCallsPerRun,
    long maxTokensPerDay,
    boolean confirmRiskyPlans,
    double lowConfidence) {

  /** Which API the model is reached through. */
  public enum Provider {
    OFF,
    ANTHROPIC,
    OPENAI
  }

  public static final String DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-5";

  public static LlmConfig off() {
    return new LlmConfig(
        Provider.OFF,
        "",
        Optional.empty(),
        Optional.empty(),
        8000,
        1024,
        Duration.ofSeconds(60),
        20,
        2_000_000,
        true,
        0.5);
  }

  /**
   * Reads {@code PITCREW_LLM} (anthropic|openai|off), {@code PITCREW_LLM_MODEL}, {@code
   * PITCREW_LLM_BASE_URL}, {@code PITCREW_LLM_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code
   * ANTHROPIC_BASE_URL} and the limits. Without {@code PITCREW_LLM}: anthropic when {@code
   * ANTHROPIC_API_KEY} is set, openai when {@code PITCREW_LLM_BASE_URL} is, else off.
   *
   * @throws IllegalArgumentException with a message saying what to set, for a bad value
   */
  public static LlmConfig fromEnv(Map<String, String> env) {
    String chosen = blank(env.get("PITCREW_LLM")).orElse(null);
    Provider p;
    if (chosen == null) {
      if (blank(env.get("ANTHROPIC_API_KEY")).isPresent()) {
        p = Provider.ANTHROPIC;
      } else if (blank(env.get("PITCREW_LLM_BASE_URL")).isPresent()) {
        p = Provider.OPENAI;
      } else {
        p = Provider.OFF;
      }
    } else {
      p =
          switch (chosen.strip().toLowerCase(Locale.ROOT)) {
            case "anthropic", "claude" -> Provider.ANTHROPIC;
            case "openai", "ollama", "vllm", "lmstudio" -> Provider.OPENAI;
            case "off", "none", "false", "0" -> Provider.OFF;
            default ->
                throw new IllegalArgumentException(
                    "PITCREW_LLM='" + chosen + "' is not understood; use anthropic, openai or off");
          };
    }
    LlmConfig d = off();
    int maxIn = intVar(env, "PITCREW_LLM_MAX_INPUT_TOKENS", d.maxInputTokens(), 500, 1_000_000);
    int maxOut = intVar(env, "PITCREW_LLM_MAX_OUTPUT_TOKENS", d.maxOutputTokens(), 100, 100_000);
    int timeout = intVar(env, "PITCREW_LLM_TIMEOUT_SECONDS", 60, 1, 3600);
    int calls = intVar(env, "PITCREW_LLM_MAX_CALLS_PER_RUN", d.maxCallsPerRun(), 0, 1_000_000);
    int perDay =
        intVar(
            env, "PITCREW_LLM_MAX_TOKENS_PER_DAY", (int) d.maxTokensPerDay(), 0, Integer.MAX_VALUE);
    boolean confirm =
        !blank(env.get("PITCREW_LLM_CONFIRM")).map(v -> v.equalsIgnoreCase("false")).orElse(false);
    Optional<String> model = blank(env.get("PITCREW_LLM_MODEL"));
    return switch (p) {
      case OFF -> d;
      case ANTHROPIC -> {
        Optional<String> key = blank(env.get("ANTHROPIC_API_KEY"));
        if (key.isEmpty()) {
          throw new IllegalArgumentException(
              "PITCREW_LLM=anthropic needs ANTHROPIC_API_KEY; set it, or PITCREW_LLM=off");
        }
        yield new LlmConfig(
            p,
            model.orElse(DEFAULT_ANTHROPIC_MODEL),
            blank(env.get("ANTHROPIC_BASE_URL")),
            key,
            maxIn,
            maxOut,
            Duration.ofSeconds(timeout),
            calls,
            perDay,
            confirm,
            d.lowConfidence());
      }
      case OPENAI -> {
        Optional<String> url = blank(env.get("PITCREW_LLM_BASE_URL"));
        if (url.isEmpty()) {
          throw new IllegalArgumentException(
              "PITCREW_LLM=openai needs PITCREW_LLM_BASE_URL, such as http://localhost:11434/v1"
                  + " for Ollama");
        }
        if (model.isEmpty()) {
          throw new IllegalArgumentException(
              "PITCREW_LLM=openai needs PITCREW_LLM_MODEL, the model name the endpoint serves");
        }
        yield new LlmConfig(
            p,
            model.get(),
            url,
            blank(env.get("PITCREW_LLM_API_KEY")),
            maxIn,
            maxOut,
            Duration.ofSeconds(timeout),
            calls,
            perDay,
            confirm,
            d.lowConfidence());
      }
    };
  }

  public boolean enabled() {
    return provider != Provider.OFF;
  }

  @Override
  public String toString() {
    return "LlmConfig[provider="
        + provider
        + ", model="
        + model
        + ", baseUrl="
        + baseUrl.orElse("default")
        + ", apiKey="
        + (apiKey.isPresent() ? "(set)" : "(none)")
        + ", maxInputTokens="
        + maxInputTokens
        + "]";
  }

  private static Optional<String> blank(String v) {
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  private static int intVar(Map<String, String> env, String name, int dflt, int min, int max) {
    Optional<String> v = blank(env.get(name));
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + "='" + v.get() + "' must be a whole number from " + min + " to " + max);
    }
  }
}
