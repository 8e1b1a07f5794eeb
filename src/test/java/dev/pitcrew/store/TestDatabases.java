package dev.pitcrew.store;

import dev.pitcrew.config.PitcrewConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Real databases for integration tests: an H2 file in a temporary folder, or a fresh PostgreSQL
 * database on 127.0.0.1:5432 (user postgres, trust auth) created for this run and dropped after.
 * PostgreSQL tests are skipped with a message only when the server is unreachable outside CI.
 */
public final class TestDatabases {
  static final String PG_ADMIN =
      System.getenv()
          .getOrDefault("PITCREW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");

  private TestDatabases() {}

  /** Settings for an embedded H2 database in {@code dir}. */
  public static Map<String, String> h2(Path dir) {
    Map<String, String> m = new HashMap<>();
    m.put("PITCREW_DATA_DIR", dir.toString());
    return m;
  }

  /** Creates a uniquely named PostgreSQL database and returns settings pointing at it. */
  public static Map<String, String> postgres() {
    String name = "pitcrew_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(
            "PostgreSQL at " + PG_ADMIN + " is required on CI but unreachable: " + e.getMessage(),
            e);
      }
      Assumptions.abort(
          "PostgreSQL at "
              + PG_ADMIN
              + " is unreachable ("
              + e.getMessage()
              + "); skipping the PostgreSQL run of this suite. Start PostgreSQL 15 to run it.");
    }
    Map<String, String> m = new HashMap<>();
    m.put("PITCREW_DB_URL", PG_ADMIN.substring(0, PG_ADMIN.lastIndexOf('/') + 1) + name);
    m.put("PITCREW_DB_USER", "postgres");
    return m;
  }

  /** Drops a database made by {@link #postgres()}. */
  public static void drop(Map<String, String> settings) {
    String url = settings.get("PITCREW_DB_URL");
    if (url == null) {
      return;
    }
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      // a leftover test database is harmless; the name is unique per run
    }
  }

  public static Database open(Map<String, String> settings) {
    return Database.open(PitcrewConfig.of(settings));
  }
}
