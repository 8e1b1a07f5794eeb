package dev.pitcrew.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.remediation.testtiming.FlakinessTracker.Flakiness;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The flakiness history on the embedded H2 file and on a real PostgreSQL server. */
class TestFlakinessIT {
  @TempDir Path tmp;
  private Database db;
  private Map<String, String> settings;

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-29T05:00:00Z"), ZoneOffset.UTC);
  private static final String REPO = "github:github.com:octo/app";

  private TestFlakiness open(String kind, int window) {
    settings = kind.equals("h2") ? TestDatabases.h2(tmp) : TestDatabases.postgres();
    db = TestDatabases.open(settings);
    return new TestFlakiness(db.jdbi(), CLOCK, window);
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
    if (settings != null) {
      TestDatabases.drop(settings);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void countsEachRunOfATestOncePerRepository(String kind) {
    TestFlakiness t = open(kind, 50);
    t.record(REPO, "com.acme.FooTest.bar", "run-1", false);
    t.record(REPO, "com.acme.FooTest.bar", "run-1", false); // the step ran twice
    t.record(REPO, "com.acme.FooTest.bar", "run-2", true);
    t.record(REPO, "com.acme.FooTest.baz", "run-1", true);
    t.record("github:github.com:octo/other", "com.acme.FooTest.bar", "run-9", false);
    assertThat(t.flakiness(REPO, "com.acme.FooTest.bar")).isEqualTo(new Flakiness(2, 1));
    assertThat(t.flakiness(REPO, "com.acme.FooTest.bar").rate()).isEqualTo(0.5);
    assertThat(t.flakiness(REPO, "never.Seen.test")).isEqualTo(Flakiness.NONE);
    assertThat(t.failedIn(REPO, "run-1")).containsExactly("com.acme.FooTest.bar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void ratesCoverOnlyTheMostRecentRuns(String kind) {
    TestFlakiness t = open(kind, 3);
    t.record(REPO, "tests/test_api.py::test_get", "run-1", false);
    t.record(REPO, "tests/test_api.py::test_get", "run-2", false);
    t.record(REPO, "tests/test_api.py::test_get", "run-3", true);
    t.record(REPO, "tests/test_api.py::test_get", "run-4", true);
    assertThat(t.flakiness(REPO, "tests/test_api.py::test_get")).isEqualTo(new Flakiness(3, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void theHistorySurvivesARestart(String kind) {
    TestFlakiness t = open(kind, 50);
    t.record(REPO, "Cart › adds an item", "run-1", false);
    db.close();
    db = TestDatabases.open(settings);
    TestFlakiness again = new TestFlakiness(db.jdbi(), CLOCK, 50);
    assertThat(again.flakiness(REPO, "Cart › adds an item")).isEqualTo(new Flakiness(1, 1));
  }
}
