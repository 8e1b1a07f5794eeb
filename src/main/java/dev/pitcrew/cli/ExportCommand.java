package dev.pitcrew.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.playbook.Playbook;
import dev.pitcrew.store.ActionRecord;
import dev.pitcrew.store.Database;
import dev.pitcrew.store.Incidents;
import dev.pitcrew.web.ApiRoutes;
import dev.pitcrew.web.PitcrewServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pitcrew export}: the execution history and the playbook library as the JSON files of the
 * user story ({@code remediation_actions.json}, {@code remediation_playbooks.json}), each an array
 * of records in the field names of docs/contracts.md, the same as {@code /api/actions} and {@code
 * /api/playbooks} answer.
 */
@Command(
    name = "export",
    description =
        "Write the remediation actions and the playbooks to remediation_actions.json and"
            + " remediation_playbooks.json.",
    mixinStandardHelpOptions = true)
final class ExportCommand implements Callable<Integer> {
  static final String ACTIONS = "remediation_actions.json";
  static final String PLAYBOOKS = "remediation_playbooks.json";
  private static final int PAGE = 500;

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Folder to write the two files to (default: PITCREW_DATA_DIR/db, /data/db in the container).")
  Path out;

  private final CliContext ctx;

  ExportCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    PitcrewConfig config = PitcrewConfig.load(ctx.env(), Path.of("."));
    Path dir = out != null ? out : config.dataDir().resolve("db");
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      spec.commandLine().getErr().println("pitcrew: --out " + dir + " is a file, not a folder");
      return 2;
    }
    Files.createDirectories(dir);
    var playbooks = ctx.playbooks();
    for (String e : playbooks.errors()) {
      spec.commandLine().getErr().println("pitcrew: playbook skipped: " + e);
    }
    List<ActionRecord> actions = new ArrayList<>();
    List<Map<String, Object>> books = new ArrayList<>();
    try (Database db = Database.open(config)) {
      Incidents incidents = new Incidents(db.jdbi(), Clock.systemUTC(), Incidents.randomIds());
      for (int offset = 0; ; offset += PAGE) {
        List<ActionRecord> page =
            incidents.actions(
                new Incidents.Query(
                    Optional.empty(), Optional.empty(), Optional.empty(), PAGE, offset));
        actions.addAll(page);
        if (page.size() < PAGE) {
          break;
        }
      }
      Map<String, long[]> usage = incidents.playbookUsage();
      for (Playbook p : playbooks.catalog().all()) {
        books.add(ApiRoutes.playbookRecord(p, usage.get(p.id())));
      }
    }
    write(dir.resolve(ACTIONS), actions);
    write(dir.resolve(PLAYBOOKS), books);
    PrintWriter w = spec.commandLine().getOut();
    w.println("exported " + actions.size() + " actions to " + dir.resolve(ACTIONS));
    w.println("exported " + books.size() + " playbooks to " + dir.resolve(PLAYBOOKS));
    w.flush();
    return 0;
  }

  /** Writes next to the target and moves it into place, so a reader never sees half a file. */
  private static void write(Path file, Object value) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    PitcrewServer.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), value);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
