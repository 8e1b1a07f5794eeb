package dev.pitcrew.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code pitcrew} command line. */
@Command(
    name = "pitcrew",
    description = "Diagnose and heal broken CI/CD pipelines.",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class)
public final class Cli implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs a command line and returns the exit status: 0 ok, 1 failure, 2 usage error. */
  public static int run(String[] args, Map<String, String> env) {
    CommandLine cl = commandLine(env);
    return cl.execute(args);
  }

  public static CommandLine commandLine(Map<String, String> env) {
    CliContext ctx = new CliContext(env);
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            try {
              var c = cls.getDeclaredConstructor(CliContext.class);
              c.setAccessible(true);
              return c.newInstance(ctx);
            } catch (NoSuchMethodException e) {
              return CommandLine.defaultFactory().create(cls);
            }
          }
        };
    CommandLine cl = new CommandLine(new Cli(), factory);
    cl.addSubcommand("diagnose", new CommandLine(DiagnoseCommand.class, factory));
    cl.addSubcommand("playbooks", new CommandLine(PlaybooksCommand.class, factory));
    cl.addSubcommand("eval", new CommandLine(EvalCommand.class, factory));
    cl.addSubcommand("bench", new CommandLine(BenchCommand.class, factory));
    cl.addSubcommand("serve", new CommandLine(ServeCommand.class, factory));
    cl.addSubcommand("audit", new CommandLine(AuditCommand.class, factory));
    cl.addSubcommand("export", new CommandLine(ExportCommand.class, factory));
    cl.addSubcommand("remediate", new CommandLine(RemediateCommand.class, factory));
    cl.addSubcommand("demo", new CommandLine(DemoCommand.class, factory));
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("pitcrew: " + ex.getMessage());
          return 1;
        });
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Cli.class.getPackage().getImplementationVersion();
      return new String[] {"pitcrew " + (v == null ? "dev" : v)};
    }
  }
}
