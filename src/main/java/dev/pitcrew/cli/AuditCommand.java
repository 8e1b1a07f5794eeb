package dev.pitcrew.cli;

import dev.pitcrew.audit.AuditLog;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.store.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pitcrew audit verify}: walks the hash chain and names the first broken entry. */
@Command(
    name = "audit",
    description = "Check the audit log.",
    mixinStandardHelpOptions = true,
    subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "verify",
      description =
          "Verify the hash chain of the audit log; exit 1 and name the first broken entry if any.",
      mixinStandardHelpOptions = true)
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    private final CliContext ctx;

    Verify(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      PitcrewConfig config = PitcrewConfig.load(ctx.env(), Path.of("."));
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = Database.open(config)) {
        AuditLog.Verification v = new AuditLog(db.jdbi(), Clock.systemUTC()).verify();
        if (v.intact()) {
          out.println("audit log intact: " + v.entries() + " entries");
          out.flush();
          return 0;
        }
        out.println(
            "audit log broken at entry "
                + v.firstBrokenSeq().orElseThrow()
                + ": "
                + v.problem().orElse(""));
        out.flush();
        return 1;
      }
    }
  }
}
