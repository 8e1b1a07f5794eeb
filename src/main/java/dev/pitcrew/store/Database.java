package dev.pitcrew.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pitcrew.config.PitcrewConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The one database of a Pitcrew deployment: an H2 file under {@code PITCREW_DATA_DIR} by default,
 * PostgreSQL when {@code PITCREW_DB_URL} is a {@code jdbc:postgresql:} URL (ADR 0002, 0004). Opens
 * a pool and applies the migrations before anything else touches it.
 */
public final class Database implements AutoCloseable {
  /** After a failed connection, how long requests fail at once before the database is tried. */
  static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(1);

  private final HikariDataSource pool;
  private final FailFastDataSource breaker;
  private final Jdbi jdbi;
  private final boolean postgres;

  private Database(HikariDataSource pool, boolean postgres) {
    this.pool = pool;
    this.breaker = new FailFastDataSource(pool, RETRY_AFTER, java.time.Clock.systemUTC());
    this.jdbi = Jdbi.create(breaker);
    this.postgres = postgres;
  }

  /** Opens the configured database and migrates it to the current schema. */
  public static Database open(PitcrewConfig config) {
    String url = config.dbUrl();
    boolean pg = url.startsWith("jdbc:postgresql:");
    if (!pg && !url.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(
          "PITCREW_DB_URL must be a jdbc:postgresql: URL (or unset for the embedded database)");
    }
    if (!pg && url.startsWith("jdbc:h2:file:")) {
      try {
        Files.createDirectories(config.dataDir());
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot create the data directory "
                + config.dataDir().toAbsolutePath()
                + " ("
                + e.getMessage()
                + "); set PITCREW_DATA_DIR to a writable folder",
            e);
      }
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    config.dbUser().ifPresent(hc::setUsername);
    config.dbPassword().ifPresent(hc::setPassword);
    if (!pg && config.dbUser().isEmpty()) {
      hc.setUsername("sa");
    }
    hc.setMaximumPoolSize(config.integer("PITCREW_DB_POOL_SIZE", 10));
    hc.setConnectionTimeout(
        config.duration("PITCREW_DB_TIMEOUT", java.time.Duration.ofSeconds(5)).toMillis());
    hc.setPoolName("pitcrew");
    hc.setInitializationFailTimeout(-1);
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new IllegalStateException(
          "cannot open the database ("
              + rootMessage(e)
              + "); check PITCREW_DB_URL and that the server is up",
          e);
    }
    return new Database(ds, pg);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  /**
   * The pool behind a breaker: while the database is unreachable, getting a connection fails at
   * once (so webhooks answer 503 in milliseconds) rather than after the pool's timeout.
   */
  public DataSource dataSource() {
    return breaker;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public boolean postgres() {
    return postgres;
  }

  /** Empty when the database answers; otherwise why not, for {@code /health}. */
  public java.util.Optional<String> problem() {
    // fails at once while the breaker is open, probes the database when a probe is due
    try (Connection c = breaker.getConnection()) {
      return c.isValid(2)
          ? java.util.Optional.empty()
          : java.util.Optional.of("connection not valid");
    } catch (SQLException e) {
      return java.util.Optional.of(e.getMessage());
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
