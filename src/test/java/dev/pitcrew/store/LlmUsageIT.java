package dev.pitcrew.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.llm.TokenLedger;
import dev.pitcrew.diagnosis.llm.TokenLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model's token budgets and usage in the database, on H2 and on PostgreSQL. */
class LlmUsageIT {
  @TempDir Path tmp;
  private final List<Database> open = new ArrayList<>();
  private Map<String, String> settings;

  static final Clock DAY1 = Clock.fixed(Instant.parse("2026-11-28T14:22:00Z"), ZoneOffset.UTC);
  static final Clock DAY2 = Clock.fixed(Instant.parse("2026-11-29T00:00:05Z"), ZoneOffset.UTC);
  static final TokenLimits LIMITS = new TokenLimits(10_000, 4_000, Map.of("quiet/repo", 0L));
  static final Optional<String> A = Optional.of("octo/a");
  static final Optional<String> B = Optional.of("octo/b");

  private Database open(String kind) {
    if (settings == null) {
      settings = kind.equals("h2") ? TestDatabases.h2(tmp) : TestDatabases.postgres();
    }
    Database db = TestDatabases.open(settings);
    open.add(db);
    return db;
  }

  @AfterEach
  void close() {
    open.forEach(Database::close);
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aRepositoryCannotSpendMoreThanItsBudgetNorAllOfThemMoreThanTheGlobalOne(String kind) {
    LlmUsage u = new LlmUsage(open(kind).jdbi(), LIMITS, DAY1);
    assertThat(u.reserve(A, 3_000)).isEmpty();
    assertThat(u.reserve(A, 1_500))
        .hasValueSatisfying(s -> assertThat(s).contains("4000 tokens for octo/a"));
    // the refused reservation took nothing, from either budget
    assertThat(u.tokensToday(A)).isEqualTo(3_000);
    assertThat(u.tokensToday(Optional.empty())).isEqualTo(3_000);
    u.settle(A, 3_000, 1_200);
    assertThat(u.tokensToday(A)).isEqualTo(1_200);
    assertThat(u.reserve(A, 2_800)).isEmpty();
    assertThat(u.reserve(B, 4_000)).isEmpty();
    assertThat(u.reserve(Optional.of("octo/c"), 3_000))
        .hasValueSatisfying(s -> assertThat(s).contains("daily budget of 10000 tokens"));
    assertThat(u.reserve(Optional.of("quiet/repo"), 1)).isPresent();
    assertThat(u.reserve(Optional.empty(), 2_000)).isEmpty();
    assertThat(u.tokensToday(Optional.empty())).isEqualTo(10_000);
    // a new UTC day starts from zero
    LlmUsage tomorrow = new LlmUsage(open.get(0).jdbi(), LIMITS, DAY2);
    assertThat(tomorrow.tokensToday(A)).isZero();
    assertThat(tomorrow.reserve(A, 4_000)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void replicasShareOneBudgetAndARestartKeepsIt(String kind) throws Exception {
    LlmUsage one = new LlmUsage(open(kind).jdbi(), LIMITS, DAY1);
    LlmUsage two = new LlmUsage(open(kind).jdbi(), LIMITS, DAY1);
    // 40 reservations of 500 race for a 4,000-token repository budget: exactly 8 succeed
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Optional<String>>> fs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      LlmUsage u = i % 2 == 0 ? one : two;
      fs.add(pool.submit(() -> u.reserve(A, 500)));
    }
    int granted = 0;
    for (var f : fs) {
      granted += f.get().isEmpty() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(granted).isEqualTo(8);
    assertThat(one.tokensToday(A)).isEqualTo(4_000);

    open.forEach(Database::close);
    open.clear();
    LlmUsage restarted = new LlmUsage(open(kind).jdbi(), LIMITS, DAY1);
    assertThat(restarted.tokensToday(A)).isEqualTo(4_000);
    assertThat(restarted.reserve(A, 1)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void eachConsultationIsRecordedWithItsTokensAndCost(String kind) {
    List<TokenLedger.Call> heard = new ArrayList<>();
    LlmUsage u = new LlmUsage(open(kind).jdbi(), LIMITS, DAY1, heard::add);
    Instant t = DAY1.instant();
    u.record(
        new TokenLedger.Call(
            t, A, Optional.of("ra-1"), "claude-sonnet-4-5", "called", 1200, 300, 0.0081));
    u.record(
        new TokenLedger.Call(t.plusSeconds(5), A, Optional.of("ra-2"), "m", "cached", 0, 0, 0));
    u.record(
        new TokenLedger.Call(
            t.plusSeconds(9), Optional.empty(), Optional.empty(), "m", "refused", 0, 0, 0));
    List<TokenLedger.Call> all = u.since(t.minusSeconds(1));
    assertThat(all).hasSize(3).isEqualTo(heard);
    assertThat(all.get(0).incidentId()).contains("ra-1");
    assertThat(all.get(0).costUsd()).isEqualTo(0.0081);
    assertThat(all.get(2).repository()).isEmpty();
    assertThat(u.since(t.plusSeconds(6))).hasSize(1);
  }
}
