package dev.pitcrew.playbook;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.rules.Hit;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.diagnosis.rules.ScanResult;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.LogSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs every playbook's examples: each {@code examples/match-*.log} must be matched by the playbook
 * (with the captures its playbook.yaml expects) and diagnosed in the playbook's category by the
 * whole library; each {@code examples/miss-*.log} must not be matched by it.
 */
public final class PlaybookTester {
  private final PlaybookCatalog catalog;
  private final RuleEngine engine;

  /** Outcome: how many checks passed, and a line for each that failed. */
  public record Report(int passed, List<String> failures) {}

  public PlaybookTester(PlaybookCatalog catalog) {
    this.catalog = catalog;
    this.engine = new RuleEngine(catalog);
  }

  public Report run() {
    int passed = 0;
    List<String> failures = new ArrayList<>();
    for (Playbook p : catalog.all()) {
      List<String> f = test(p);
      if (f.isEmpty()) {
        passed++;
      }
      failures.addAll(f);
    }
    return new Report(passed, failures);
  }

  /** Problems with one playbook's examples; empty when all pass. */
  public List<String> test(Playbook p) {
    List<String> problems = new ArrayList<>();
    if (p.folder().isEmpty()) {
      return problems;
    }
    Path dir = p.folder().get().resolve("examples");
    List<Path> files;
    try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
      files = s.sorted().toList();
    } catch (IOException e) {
      return List.of(p.id() + ": cannot list examples: " + e.getMessage());
    }
    List<Path> matches = files.stream().filter(f -> name(f).startsWith("match-")).toList();
    List<Path> misses = files.stream().filter(f -> name(f).startsWith("miss-")).toList();
    if (matches.isEmpty()) {
      problems.add(
          p.id() + ": has no examples/match-*.log; add one real log excerpt it must match");
    }
    RuleEngine alone = new RuleEngine(single(p));
    for (Path f : matches) {
      String where = p.id() + "/examples/" + name(f);
      try {
        ScanResult scan = alone.scan(source(f), Optional.empty());
        List<Hit> hits = scan.hits();
        if (hits.isEmpty()) {
          problems.add(where + ": no pattern of " + p.id() + " matched any line");
          continue;
        }
        Map<String, String> want =
            p.examples().stream()
                .filter(e -> e.file().equals(name(f)))
                .findFirst()
                .map(Playbook.Example::captures)
                .orElse(Map.of());
        Map<String, String> got = hits.get(0).captures();
        for (var e : want.entrySet()) {
          if (!e.getValue().equals(got.get(e.getKey()))) {
            problems.add(
                where
                    + ": capture '"
                    + e.getKey()
                    + "' is '"
                    + got.get(e.getKey())
                    + "', expected '"
                    + e.getValue()
                    + "' (line "
                    + hits.get(0).line()
                    + ")");
          }
        }
        Diagnosis d = engine.diagnose(source(f), Optional.empty());
        if (d.category() != p.category()) {
          problems.add(
              where
                  + ": the library diagnoses it as "
                  + d.category().wire()
                  + " ("
                  + d.playbookId().orElse("no playbook")
                  + ", line "
                  + (d.evidence().isEmpty() ? "?" : d.evidence().get(0).line())
                  + "), not "
                  + p.category().wire());
        }
      } catch (IOException e) {
        problems.add(where + ": cannot read: " + e.getMessage());
      }
    }
    for (Path f : misses) {
      String where = p.id() + "/examples/" + name(f);
      try {
        ScanResult scan = alone.scan(source(f), Optional.empty());
        if (!scan.hits().isEmpty()) {
          Hit h = scan.hits().get(0);
          problems.add(where + ": must not match, but line " + h.line() + " did: " + h.text());
        }
      } catch (IOException e) {
        problems.add(where + ": cannot read: " + e.getMessage());
      }
    }
    for (Playbook.Example e : p.examples()) {
      if (matches.stream().noneMatch(f -> name(f).equals(e.file()))) {
        problems.add(
            p.id() + ": playbook.yaml names example " + e.file() + " but examples/ lacks it");
      }
    }
    return problems;
  }

  private static PlaybookCatalog single(Playbook p) {
    PlaybookCatalog c = new PlaybookCatalog();
    c.add(p);
    return c;
  }

  private static String name(Path f) {
    return f.getFileName().toString().replace("/", "");
  }

  private static LogSource source(Path f) throws IOException {
    return LogSources.ofBytes(f.toString(), Files.readAllBytes(f));
  }
}
