package dev.pitcrew.store;

import dev.pitcrew.diagnosis.llm.TokenLedger;
import dev.pitcrew.diagnosis.llm.TokenLimits;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The model's daily token budgets and usage in the database (tables {@code llm_budget} and {@code
 * llm_usage}), so that a restart does not reset a day's budget and replicas share it. A reservation
 * is a conditional {@code UPDATE ... WHERE tokens + n <= limit} on the day's global row and then
 * the repository's row, in one transaction: two replicas cannot both take the last tokens.
 */
public final class LlmUsage implements TokenLedger {
  static final String GLOBAL = "*";

  private final Jdbi jdbi;
  private final TokenLimits limits;
  private final Clock clock;
  private final Consumer<Call> listener;

  /**
   * @param listener told of every recorded call after it is stored (the service's metrics)
   */
  public LlmUsage(Jdbi jdbi, TokenLimits limits, Clock clock, Consumer<Call> listener) {
    this.jdbi = jdbi;
    this.limits = limits;
    this.clock = clock;
    this.listener = listener;
  }

  public LlmUsage(Jdbi jdbi, TokenLimits limits, Clock clock) {
    this(jdbi, limits, clock, c -> {});
  }

  @Override
  public Optional<String> reserve(Optional<String> repository, long tokens) {
    LocalDate day = today();
    ensureRow(day, GLOBAL);
    repository.ifPresent(r -> ensureRow(day, r));
    return jdbi.inTransaction(
        h -> {
          if (!take(h, day, GLOBAL, tokens, limits.perDay())) {
            h.rollback();
            return Optional.of(limits.overGlobal());
          }
          if (repository.isPresent()
              && !take(h, day, repository.get(), tokens, limits.forRepository(repository.get()))) {
            h.rollback();
            return Optional.of(limits.overRepository(repository.get()));
          }
          return Optional.<String>empty();
        });
  }

  private static boolean take(Handle h, LocalDate day, String scope, long tokens, long limit) {
    return h.createUpdate(
                "UPDATE llm_budget SET tokens = tokens + :n"
                    + " WHERE usage_day = :d AND budget_scope = :s AND tokens + :n <= :limit")
            .bind("n", tokens)
            .bind("d", day)
            .bind("s", scope)
            .bind("limit", limit)
            .execute()
        == 1;
  }

  @Override
  public void settle(Optional<String> repository, long reserved, long used) {
    LocalDate day = today();
    jdbi.useTransaction(
        h -> {
          adjust(h, day, GLOBAL, used - reserved);
          repository.ifPresent(r -> adjust(h, day, r, used - reserved));
        });
  }

  private static void adjust(Handle h, LocalDate day, String scope, long delta) {
    h.createUpdate(
            "UPDATE llm_budget SET tokens = GREATEST(0, tokens + :delta)"
                + " WHERE usage_day = :d AND budget_scope = :s")
        .bind("delta", delta)
        .bind("d", day)
        .bind("s", scope)
        .execute();
  }

  private void ensureRow(LocalDate day, String scope) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO llm_budget (usage_day, budget_scope, tokens)"
                          + " SELECT :d, :s, 0 FROM (VALUES (1)) AS one (x) WHERE NOT EXISTS"
                          + " (SELECT 1 FROM llm_budget WHERE usage_day = :d AND budget_scope = :s)")
                  .bind("d", day)
                  .bind("s", scope)
                  .execute());
    } catch (RuntimeException e) {
      if (!Sql.isUniqueViolation(e)) {
        throw e;
      }
      // another replica made the row first: fine
    }
  }

  @Override
  public void record(Call c) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO llm_usage (at, repository, incident_id, model, outcome,"
                        + " input_tokens, output_tokens, cost_usd)"
                        + " VALUES (:at, :repo, :inc, :model, :outcome, :in, :out, :cost)")
                .bind("at", Sql.utc(c.at()))
                .bind("repo", c.repository().orElse(null))
                .bind("inc", c.incidentId().orElse(null))
                .bind("model", c.model())
                .bind("outcome", c.outcome())
                .bind("in", c.inputTokens())
                .bind("out", c.outputTokens())
                .bind("cost", c.costUsd())
                .execute());
    listener.accept(c);
  }

  /** Tokens counted today: the global budget's when {@code repository} is empty. */
  public long tokensToday(Optional<String> repository) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT tokens FROM llm_budget WHERE usage_day = :d AND budget_scope = :s")
                .bind("d", today())
                .bind("s", repository.orElse(GLOBAL))
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }

  /** The consultations recorded since an instant, oldest first. */
  public List<Call> since(Instant since) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT at, repository, incident_id, model, outcome, input_tokens,"
                        + " output_tokens, cost_usd FROM llm_usage WHERE at >= :since ORDER BY id")
                .bind("since", Sql.utc(since))
                .map(
                    (rs, ctx) ->
                        new Call(
                            rs.getObject("at", OffsetDateTime.class).toInstant(),
                            Optional.ofNullable(rs.getString("repository")),
                            Optional.ofNullable(rs.getString("incident_id")),
                            rs.getString("model"),
                            rs.getString("outcome"),
                            rs.getLong("input_tokens"),
                            rs.getLong("output_tokens"),
                            rs.getDouble("cost_usd")))
                .list());
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
