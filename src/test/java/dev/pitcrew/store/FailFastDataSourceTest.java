package dev.pitcrew.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailFastDataSourceTest {
  private static HikariDataSource pool(String url, int size) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(url.startsWith("jdbc:h2:") ? "sa" : "postgres");
    hc.setMaximumPoolSize(size);
    hc.setConnectionTimeout(2000);
    hc.setInitializationFailTimeout(-1);
    hc.setMinimumIdle(1);
    return new HikariDataSource(hc);
  }

  @Test
  void anUnreachableDatabaseFailsLaterRequestsAtOnceWithTheReason() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens here once the socket is closed
    }
    try (HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + closed + "/x", 2)) {
      FailFastDataSource ds =
          new FailFastDataSource(pool, Duration.ofSeconds(30), Clock.systemUTC());
      assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);

      long start = System.nanoTime();
      assertThatThrownBy(ds::getConnection)
          .isInstanceOf(SQLTransientConnectionException.class)
          .hasMessageContaining("the database is unreachable")
          .hasMessageContaining("Connection to 127.0.0.1:" + closed + " refused");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
    }
  }

  @Test
  void aBusyPoolIsNotTakenForADeadDatabaseAndAWorkingOneClosesTheBreaker() throws Exception {
    try (HikariDataSource pool = pool("jdbc:h2:mem:busy;DB_CLOSE_DELAY=-1", 1)) {
      FailFastDataSource ds =
          new FailFastDataSource(pool, Duration.ofSeconds(30), Clock.systemUTC());
      // the pool's one connection exists before the test takes it (a loaded machine opens it
      // slowly)
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> pool.getHikariPoolMXBean().getIdleConnections() == 1);
      try (Connection held = ds.getConnection()) {
        assertThat(held.isValid(1)).isTrue();
        // the only connection is taken: the wait times out, but nothing failed to connect
        assertThatThrownBy(ds::getConnection)
            .isInstanceOf(SQLTransientConnectionException.class)
            .hasMessageNotContaining("unreachable");
      }
      try (Connection again = ds.getConnection()) {
        assertThat(again.isValid(1)).isTrue();
      }
    }
  }

  /**
   * A pool whose database can be switched off and on; it counts the callers that reached it. A dead
   * database answers as the PostgreSQL driver does: a connection exception, SQLState 08001.
   */
  static final class SwitchedPool {
    volatile boolean up = true;
    final java.util.concurrent.atomic.AtomicInteger reached =
        new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger probed =
        new java.util.concurrent.atomic.AtomicInteger();
    final org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();

    SwitchedPool() {
      h2.setURL("jdbc:h2:mem:switched;DB_CLOSE_DELAY=-1");
      h2.setUser("sa");
    }

    javax.sql.DataSource dataSource() {
      return (javax.sql.DataSource)
          java.lang.reflect.Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {javax.sql.DataSource.class},
              (proxy, method, args) -> {
                if (method.getName().equals("getConnection")) {
                  (Thread.currentThread().getName().equals("pitcrew-db-probe") ? probed : reached)
                      .incrementAndGet();
                  if (!up) {
                    throw new java.sql.SQLTransientConnectionException(
                        "Connection to 127.0.0.1:5432 refused", "08001");
                  }
                  return h2.getConnection();
                }
                return method.invoke(h2, args);
              });
    }
  }

  @Test
  void onlyTheBackgroundProbeTouchesADeadDatabaseAndItClosesTheBreakerWhenItIsBack()
      throws Exception {
    SwitchedPool db = new SwitchedPool();
    FailFastDataSource ds =
        new FailFastDataSource(db.dataSource(), Duration.ofMillis(100), Clock.systemUTC());
    try (Connection c = ds.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
    db.up = false;
    assertThatThrownBy(ds::getConnection).hasMessage("Connection to 127.0.0.1:5432 refused");
    assertThat(ds.open()).isTrue();
    int before = db.reached.get();
    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(ds::getConnection)
          .isInstanceOf(SQLTransientConnectionException.class)
          .hasMessageContaining("the database is unreachable");
    }
    // the background probe tries the dead database; no caller waits on it
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> db.probed.get() >= 2);
    assertThat(db.reached.get()).isEqualTo(before);
    assertThat(ds.open()).isTrue();

    db.up = true;
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !ds.open());
    try (Connection c = ds.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
  }
}
