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
}
