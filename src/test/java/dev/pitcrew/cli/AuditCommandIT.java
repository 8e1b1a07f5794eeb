package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.audit.AuditLog;
import dev.pitcrew.store.Database;
import dev.pitcrew.store.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandIT {
  @TempDir Path tmp;

  @Test
  void reportsAnIntactChainAndThenTheFirstTamperedEntry() {
    Map<String, String> env = TestDatabases.h2(tmp);
    try (Database db = TestDatabases.open(env)) {
      AuditLog log = new AuditLog(db.jdbi(), Clock.systemUTC());
      log.append("ra-1", "pitcrew", "received", "run 1");
      log.append("ra-1", "pitcrew", "diagnosed", "infrastructure");
    }
    StringWriter out = new StringWriter();
    var cl = Cli.commandLine(env);
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("audit", "verify")).isZero();
    assertThat(out.toString()).contains("audit log intact: 2 entries");

    try (Database db = TestDatabases.open(env)) {
      db.jdbi().useHandle(h -> h.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"));
    }
    StringWriter out2 = new StringWriter();
    var cl2 = Cli.commandLine(env);
    cl2.setOut(new PrintWriter(out2));
    assertThat(cl2.execute("audit", "verify")).isEqualTo(1);
    assertThat(out2.toString())
        .contains("audit log broken at entry 1: entry 1 was changed after it was written");
  }
}
