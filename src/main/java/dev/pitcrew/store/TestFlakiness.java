package dev.pitcrew.store;

import dev.pitcrew.remediation.testtiming.FlakinessTracker;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The flakiness history in the database ({@code test_observations}), shared by every replica: one
 * row per repository, test and run attempt. Rates are taken over each test's most recent runs.
 */
public final class TestFlakiness implements FlakinessTracker {
  private final Jdbi jdbi;
  private final Clock clock;
  private final int window;

  /** Rates over the last {@code window} observed runs of each test. */
  public TestFlakiness(Jdbi jdbi, Clock clock, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("the window must be at least 1 run, got " + window);
    }
    this.jdbi = jdbi;
    this.clock = clock;
    this.window = window;
  }

  @Override
  public void record(String repository, String testId, String runKey, boolean passed) {
    try {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "INSERT INTO test_observations (repository, test_id, run_key, passed,"
                          + " observed_at) VALUES (:r, :t, :k, :p, :at)")
                  .bind("r", repository)
                  .bind("t", testId)
                  .bind("k", runKey)
                  .bind("p", passed)
                  .bind("at", Sql.utc(clock.instant()))
                  .execute());
    } catch (UnableToExecuteStatementException e) {
      if (!Sql.isUniqueViolation(e)) {
        throw e;
      }
      // this run of this test is recorded already (a retried step)
    }
  }

  @Override
  public Flakiness flakiness(String repository, String testId) {
    List<Boolean> recent =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT passed FROM test_observations WHERE repository = :r AND test_id ="
                            + " :t ORDER BY id DESC")
                    .bind("r", repository)
                    .bind("t", testId)
                    .setMaxRows(window)
                    .mapTo(Boolean.class)
                    .list());
    int failures = (int) recent.stream().filter(p -> !p).count();
    return new Flakiness(recent.size(), failures);
  }

  @Override
  public List<String> failedIn(String repository, String runKey) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT test_id FROM test_observations WHERE repository = :r AND run_key = :k"
                        + " AND passed = FALSE ORDER BY id")
                .bind("r", repository)
                .bind("k", runKey)
                .mapTo(String.class)
                .list());
  }
}
