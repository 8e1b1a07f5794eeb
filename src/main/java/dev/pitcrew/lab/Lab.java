package dev.pitcrew.lab;

import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.local.LocalForge;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sets scenarios up on a local forge: the repository with the broken project, the outside world's
 * faults (a full cache volume, a registry that resets connections), and a person's reference fix.
 * The demo and the lab test share it, so what the test proves is what the demo shows.
 */
public final class Lab implements AutoCloseable {
  private final LocalForge forge;
  private final List<AutoCloseable> world = new ArrayList<>();

  public Lab(LocalForge forge) {
    this.forge = forge;
  }

  /** A scenario on the forge: its repository, ready to run. */
  public record Prepared(Scenario scenario, RepoRef repo) {}

  /**
   * The runner environment for the lab: this process's, with version-manager shims (pyenv, nvm)
   * taken off the PATH, since each shim costs a second per call on a busy machine and the lab's
   * projects need only the system's python3, node and java.
   */
  public static LocalForge.Options runnerOptions(LocalForge.Options base) {
    Map<String, String> env = new LinkedHashMap<>(base.runnerEnv());
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    String kept =
        Arrays.stream(path.split(File.pathSeparator))
            .filter(p -> !p.contains("/shims") && !p.isBlank())
            .collect(Collectors.joining(File.pathSeparator));
    env.put("PATH", kept.isEmpty() ? path : kept);
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    return base.withRunnerEnv(env);
  }

  /** Creates the scenario's repository and its outside-world faults; starts no run. */
  public Prepared prepare(Scenario s) throws IOException {
    RepoRef repo = forge.createRepository(s.repository(), s.projectFiles(), "Initial commit");
    if (s.world().registryResetsFirst() > 0) {
      FlakyRegistry registry = new FlakyRegistry(s.world().registryResetsFirst());
      world.add(registry);
      forge.setVariable(repo, "SCHEMA_REGISTRY_URL", registry.url());
    }
    if (s.world().fullDiskAt().isPresent()) {
      Path target = forge.toolCache(repo).resolve(s.world().fullDiskAt().get()).normalize();
      if (!target.startsWith(forge.toolCache(repo))) {
        throw new IllegalArgumentException(
            s.name() + ": full_disk_at must stay inside the tool cache");
      }
      Files.createDirectories(target.getParent());
      Files.deleteIfExists(target);
      // writes to /dev/full fail with the kernel's ENOSPC: a full volume without root or quotas
      Files.createSymbolicLink(target, Path.of("/dev/full"));
    }
    return new Prepared(s, repo);
  }

  /** Starts the scenario's pipelines on {@code main}, as the developer's push did. */
  public List<RunRef> start(Prepared p) throws IOException {
    return forge.trigger(p.repo(), forge.defaultBranch(p.repo()));
  }

  /**
   * Applies the scenario's reference fix to a failed run the way a person would, and returns the
   * run that verifies it, finished.
   */
  public Run applyReferenceFix(Prepared p, Run failed, Duration timeout) throws IOException {
    RunRef next =
        switch (p.scenario().fix()) {
          case Scenario.Fix.Commit c -> {
            String branch = "fix/" + p.scenario().name();
            forge.ensureBranch(p.repo(), branch, failed.sha());
            String sha = forge.commitFiles(p.repo(), branch, c.message(), c.files());
            List<Run> runs = forge.runsFor(p.repo(), sha);
            if (runs.isEmpty()) {
              throw new IOException(
                  p.scenario().name() + ": the fix commit " + sha + " started no pipeline");
            }
            yield runs.get(runs.size() - 1).ref();
          }
          case Scenario.Fix.Variable v -> {
            forge.setVariable(p.repo(), v.name(), v.value());
            yield forge.rerunFailedJobs(failed.ref());
          }
          case Scenario.Fix.Rerun r -> forge.rerunFailedJobs(failed.ref());
        };
    return forge.awaitCompletion(next, timeout);
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : world) {
      c.close();
    }
    world.clear();
  }
}
