package dev.pitcrew.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool behind a breaker: once getting a connection has failed (the database is stopped or
 * unreachable), further requests fail at once instead of each waiting the pool's whole connection
 * timeout, so a webhook is answered 503 in milliseconds and requests do not pile up on a dead
 * database. A background thread, not a caller, probes the database every {@code retryAfter} (a
 * probe against a dead database waits the pool's timeout, which no webhook should); its first
 * success closes the breaker. A pool that is merely busy is not "down": only a failed connection
 * opens it.
 */
final class FailFastDataSource implements DataSource {
  private final DataSource pool;
  private final Duration retryAfter;
  private final Clock clock;
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile Instant downSince;
  private volatile String reason = "";

  FailFastDataSource(DataSource pool, Duration retryAfter, Clock clock) {
    this.pool = pool;
    this.retryAfter = retryAfter;
    this.clock = clock;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Instant since = downSince;
    if (since != null) {
      throw new SQLTransientConnectionException(
          "the database is unreachable (since " + since + "): " + reason, "08001");
    }
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      if (unreachable(e)) {
        reason = why(e);
        if (downSince == null) {
          downSince = clock.instant();
        }
        startProbing();
      }
      throw e;
    }
  }

  /**
   * Whether the breaker is open (the database was found unreachable and has not answered since).
   */
  boolean open() {
    return downSince != null;
  }

  private void startProbing() {
    if (downSince != null && probing.compareAndSet(false, true)) {
      Thread t = new Thread(this::probe, "pitcrew-db-probe");
      t.setDaemon(true);
      t.start();
    }
  }

  private void probe() {
    try {
      while (downSince != null) {
        try {
          Thread.sleep(retryAfter.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        try (Connection c = pool.getConnection()) {
          downSince = null;
        } catch (SQLException e) {
          if (unreachable(e)) {
            reason = why(e);
          } else {
            // the database answered (a busy or closed pool is not a dead database)
            downSince = null;
          }
        }
      }
    } finally {
      probing.set(false);
      // a caller may have found the database gone again while this probe was ending
      startProbing();
    }
  }

  /**
   * True when the pool could not reach the database: a connection exception (SQLState class 08) or
   * a network error, on its own or as the cause of the pool's timeout. A pool that only waited for
   * a busy connection (no cause), or a server refusing for want of resources ("too many clients",
   * class 53), does not count: its working connections may come back any moment.
   */
  static boolean unreachable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && s.getSQLState().startsWith("08")) {
        return true;
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** The driver's own words (the pool's timeout message wraps them), first sentence. */
  private static String why(SQLException e) {
    Throwable t = e.getCause() != null ? e.getCause() : e;
    String m = String.valueOf(t.getMessage());
    int dot = m.indexOf(". ");
    return dot > 0 ? m.substring(0, dot) : m;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the pool has fixed credentials");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || pool.isWrapperFor(iface);
  }
}
