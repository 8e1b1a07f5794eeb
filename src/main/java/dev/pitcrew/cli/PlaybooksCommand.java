package dev.pitcrew.cli;

import dev.pitcrew.playbook.PlaybookLoader;
import dev.pitcrew.playbook.PlaybookTester;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "playbooks",
    description = "Check and test playbooks.",
    mixinStandardHelpOptions = true,
    subcommands = {PlaybooksCommand.Lint.class, PlaybooksCommand.Test.class})
final class PlaybooksCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static PlaybookLoader.Result load(CliContext ctx, List<Path> dirs) {
    return dirs == null || dirs.isEmpty() ? ctx.playbooks() : PlaybookLoader.loadDefault(dirs);
  }

  @Command(
      name = "lint",
      description =
          "Validate playbooks against the schema (the shipped ones and PITCREW_PLAYBOOKS, or DIRs"
              + " on top of the shipped ones) and report overrides.",
      mixinStandardHelpOptions = true)
  static final class Lint implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "DIR")
    List<Path> dirs;

    private final CliContext ctx;

    Lint(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      PlaybookLoader.Result r = load(ctx, dirs);
      for (String e : r.errors()) {
        err.println("error: " + e);
      }
      for (String w : r.warnings()) {
        out.println("note: " + w);
      }
      out.printf(
          "%d playbooks loaded, %d error(s), %d override(s)%n",
          r.catalog().size(), r.errors().size(), r.catalog().overrides().size());
      return r.errors().isEmpty() ? 0 : 1;
    }
  }

  @Command(
      name = "test",
      description = "Run every playbook's examples: match-*.log must match, miss-*.log must not.",
      mixinStandardHelpOptions = true)
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "DIR")
    List<Path> dirs;

    private final CliContext ctx;

    Test(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PlaybookLoader.Result r = load(ctx, dirs);
      for (String e : r.errors()) {
        out.println("error: " + e);
      }
      PlaybookTester.Report report = new PlaybookTester(r.catalog()).run();
      for (String f : report.failures()) {
        out.println("FAIL " + f);
      }
      out.printf(
          "%d passed, %d failed%n", report.passed(), report.failures().size() + r.errors().size());
      return report.failures().isEmpty() && r.errors().isEmpty() ? 0 : 1;
    }
  }
}
