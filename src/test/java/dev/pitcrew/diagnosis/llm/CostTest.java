package dev.pitcrew.diagnosis.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The token budgets' settings, the price table and the in-memory ledger. */
class CostTest {
  @Test
  void limitsHaveDefaultsAndPerRepositoryOverrides() {
    TokenLimits d = TokenLimits.fromEnv(Map.of(), 2_000_000);
    assertThat(d.perDay()).isEqualTo(2_000_000);
    assertThat(d.forRepository("a/b")).isEqualTo(TokenLimits.DEFAULT_PER_REPOSITORY_PER_DAY);

    TokenLimits t =
        TokenLimits.fromEnv(
            Map.of(
                "PITCREW_LLM_MAX_TOKENS_PER_REPO_PER_DAY", "50000",
                "PITCREW_LLM_REPO_TOKENS_PER_DAY", "big/repo=900_000, quiet/repo=0"),
            1_000_000);
    assertThat(t.forRepository("a/b")).isEqualTo(50_000);
    assertThat(t.forRepository("big/repo")).isEqualTo(900_000);
    assertThat(t.forRepository("quiet/repo")).isZero();
    assertThat(TokenLimits.fromLookup(k -> Optional.empty()).perDay())
        .isEqualTo(TokenLimits.DEFAULT_PER_DAY);
  }

  @Test
  void badLimitSettingsNameTheKey() {
    assertThatThrownBy(
            () -> TokenLimits.fromEnv(Map.of("PITCREW_LLM_MAX_TOKENS_PER_REPO_PER_DAY", "lots"), 1))
        .hasMessageContaining("PITCREW_LLM_MAX_TOKENS_PER_REPO_PER_DAY")
        .hasMessageContaining("lots");
    assertThatThrownBy(
            () -> TokenLimits.fromEnv(Map.of("PITCREW_LLM_REPO_TOKENS_PER_DAY", "a/b:10"), 1))
        .hasMessageContaining("owner/name=100000");
    assertThatThrownBy(
            () -> TokenLimits.fromEnv(Map.of("PITCREW_LLM_REPO_TOKENS_PER_DAY", "a/b=-3"), 1))
        .hasMessageContaining("0 or more");
  }

  @Test
  void pricesMatchTheLongestModelPrefix() {
    Prices p = Prices.standard();
    // 1M input at $3 + 100k output at $15 = 3 + 1.5
    assertThat(p.cost("claude-sonnet-4-5-20250929", 1_000_000, 100_000)).isEqualTo(4.5);
    assertThat(p.cost("claude-opus-4-5", 1_000_000, 0)).isEqualTo(5.0);
    assertThat(p.cost("claude-opus-4-1", 1_000_000, 0)).isEqualTo(15.0);
    assertThat(p.cost("gpt-4o-mini", 1_000_000, 1_000_000)).isEqualTo(0.75);
    assertThat(p.of("llama3.1:8b")).isEmpty();
    assertThat(p.cost("llama3.1:8b", 5000, 500)).isZero();
  }

  @Test
  void priceSettingsAddAndReplaceEntries() {
    Prices p = Prices.fromEnv(Map.of("PITCREW_LLM_PRICES", "llama3=0.1/0.2, claude-sonnet-4=2/10"));
    assertThat(p.cost("llama3.1:8b", 1_000_000, 1_000_000))
        .isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(p.cost("claude-sonnet-4-5", 1_000_000, 0)).isEqualTo(2.0);
    assertThatThrownBy(() -> Prices.fromEnv(Map.of("PITCREW_LLM_PRICES", "gpt=cheap")))
        .hasMessageContaining("PITCREW_LLM_PRICES entry 'gpt=cheap'");
    assertThatThrownBy(() -> Prices.fromEnv(Map.of("PITCREW_LLM_PRICES", "gpt=1")))
        .hasMessageContaining("model=3/15");
  }

  @Test
  void theMemoryLedgerKeepsBothBudgetsAndStartsAfreshEachDay() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-28T23:00:00Z"));
    MemoryTokenLedger l =
        new MemoryTokenLedger(new TokenLimits(1000, 600, Map.of("quiet/repo", 0L)), clock);
    Optional<String> a = Optional.of("a/b");
    assertThat(l.reserve(a, 500)).isEmpty();
    assertThat(l.reserve(a, 200))
        .hasValueSatisfying(s -> assertThat(s).contains("600 tokens for a/b"));
    l.settle(a, 500, 300); // the call used less than reserved
    assertThat(l.tokensToday("a/b")).isEqualTo(300);
    assertThat(l.reserve(a, 200)).isEmpty();
    assertThat(l.reserve(Optional.of("c/d"), 600))
        .hasValueSatisfying(s -> assertThat(s).contains("daily budget of 1000 tokens"));
    assertThat(l.reserve(Optional.empty(), 400)).isEmpty();
    assertThat(l.reserve(Optional.of("quiet/repo"), 1)).isPresent();
    clock.now = Instant.parse("2026-11-29T00:00:01Z");
    assertThat(l.tokensToday()).isZero();
    assertThat(l.reserve(a, 600)).isEmpty();
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
