package dev.pitcrew.diagnosis.llm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The daily token budgets: one for the whole deployment and one per repository, so that one noisy
 * repository cannot spend everyone's budget. Both count input plus output tokens per UTC day.
 *
 * @param perDay {@code PITCREW_LLM_MAX_TOKENS_PER_DAY}, all repositories together (2,000,000)
 * @param perRepositoryPerDay {@code PITCREW_LLM_MAX_TOKENS_PER_REPO_PER_DAY}, each repository
 *     (200,000)
 * @param overrides {@code PITCREW_LLM_REPO_TOKENS_PER_DAY}: {@code owner/name=tokens,...} for
 *     repositories that need more or less than the default; 0 keeps the model away from one
 */
public record TokenLimits(long perDay, long perRepositoryPerDay, Map<String, Long> overrides) {
  public static final long DEFAULT_PER_DAY = 2_000_000;
  public static final long DEFAULT_PER_REPOSITORY_PER_DAY = 200_000;

  public TokenLimits {
    overrides = Map.copyOf(overrides);
  }

  public static TokenLimits defaults() {
    return new TokenLimits(DEFAULT_PER_DAY, DEFAULT_PER_REPOSITORY_PER_DAY, Map.of());
  }

  /** A repository's daily budget. */
  public long forRepository(String repository) {
    return overrides.getOrDefault(repository, perRepositoryPerDay);
  }

  /**
   * Reads the per-repository keys; the global budget comes from {@link LlmConfig#maxTokensPerDay}.
   *
   * @throws IllegalArgumentException naming the key and what it must look like
   */
  public static TokenLimits fromEnv(Map<String, String> env, long perDay) {
    return fromLookup(k -> Optional.ofNullable(env.get(k)), perDay);
  }

  /**
   * The same from any settings lookup (the service's configuration), including the global {@code
   * PITCREW_LLM_MAX_TOKENS_PER_DAY}.
   */
  public static TokenLimits fromLookup(java.util.function.Function<String, Optional<String>> get) {
    return fromLookup(
        get,
        number(
            "PITCREW_LLM_MAX_TOKENS_PER_DAY",
            get.apply("PITCREW_LLM_MAX_TOKENS_PER_DAY").orElse(null),
            DEFAULT_PER_DAY));
  }

  private static TokenLimits fromLookup(
      java.util.function.Function<String, Optional<String>> get, long perDay) {
    long perRepo =
        number(
            "PITCREW_LLM_MAX_TOKENS_PER_REPO_PER_DAY",
            get.apply("PITCREW_LLM_MAX_TOKENS_PER_REPO_PER_DAY").orElse(null),
            DEFAULT_PER_REPOSITORY_PER_DAY);
    Map<String, Long> over = new LinkedHashMap<>();
    String raw = get.apply("PITCREW_LLM_REPO_TOKENS_PER_DAY").orElse("");
    for (String part : raw.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.lastIndexOf('=');
      if (eq <= 0 || part.substring(0, eq).isBlank()) {
        throw new IllegalArgumentException(
            "PITCREW_LLM_REPO_TOKENS_PER_DAY entry '"
                + part.strip()
                + "' must look like owner/name=100000");
      }
      over.put(
          part.substring(0, eq).strip(),
          number("PITCREW_LLM_REPO_TOKENS_PER_DAY", part.substring(eq + 1), 0));
    }
    return new TokenLimits(perDay, perRepo, over);
  }

  private static long number(String key, String v, long dflt) {
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.strip().replace("_", ""));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + ": '" + v.strip() + "' must be a whole number of tokens, 0 or more");
    }
  }

  /** Why a call was refused for the global budget. */
  public String overGlobal() {
    return "the daily budget of " + perDay + " tokens would be exceeded";
  }

  /** Why a call was refused for a repository's budget. */
  public String overRepository(String repository) {
    return "the daily budget of "
        + forRepository(repository)
        + " tokens for "
        + repository
        + " would be exceeded";
  }

  /** Why a reservation of {@code tokens} would go over, or empty. */
  public Optional<String> refusal(
      long usedToday, long tokens, Optional<String> repository, long repoUsedToday) {
    if (usedToday + tokens > perDay) {
      return Optional.of(overGlobal());
    }
    if (repository.isPresent() && repoUsedToday + tokens > forRepository(repository.get())) {
      return Optional.of(overRepository(repository.get()));
    }
    return Optional.empty();
  }
}
