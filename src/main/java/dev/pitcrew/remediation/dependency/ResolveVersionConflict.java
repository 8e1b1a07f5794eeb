package dev.pitcrew.remediation.dependency;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.remediation.Action;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.change.ChangeDelivery;
import dev.pitcrew.remediation.dependency.pip.PipConflict;
import dev.pitcrew.remediation.dependency.pip.RequirementsTxt;
import dev.pitcrew.remediation.dependency.pip.Specifiers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code resolve_version_conflict}: resolves a pip {@code ResolutionImpossible} by re-pinning the
 * package the user pinned to the newest version that every dependency accepts.
 *
 * <p>The constraints come from pip's own explanation in the failed job's log ({@code The user
 * requested labhttp==1.6.0}, {@code labclient 1.0 depends on labhttp<1.6,>=1.4}). The candidate
 * versions come only from what can be shown to exist: distributions the repository ships (vendored
 * wheels, sdists or source folders, a local index its pip options name) and the versions pip said
 * its index offered ({@code from versions: ...}). The edit re-pins one {@code ==} line of
 * requirements.txt, keeping its extras, markers and comment. The risk follows semantic versioning
 * from the current pin: a patch is low, a minor medium, a major high (which waits for a person).
 * When no candidate satisfies every constraint, or the package is not pinned with {@code ==}, the
 * plan is advice.
 */
public final class ResolveVersionConflict implements Action {
  public static final String NAME = "resolve_version_conflict";
  private static final int MAX_LOG = 4 * 1024 * 1024;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files)
      throws IOException {
    Map<String, String> in = d.remediationParams();
    String file = in.getOrDefault("file", "requirements.txt");
    if (file.isBlank() || file.endsWith(".toml")) {
      file = "requirements.txt";
    }
    PipConflict conflict = PipConflict.parse(log(d, ctx));
    List<String> pinned = conflict.userPinnedConflicts();
    if (pinned.isEmpty()) {
      return Optional.of(
          Plans.suggestion(
              d,
              "pip's explanation names no pinned requirement that a dependency constrains; align"
                  + " the pins by hand (pip install --dry-run --report shows the resolution)",
              in));
    }
    Optional<String> text = files.read(file);
    if (text.isEmpty()) {
      return Optional.of(Plans.suggestion(d, "no " + file + " to re-pin in", in));
    }
    List<String> reasons = new ArrayList<>();
    for (String pkg : pinned) {
      Optional<Plan> p = planFor(d, ctx, files, conflict, pkg, file, text.get(), reasons);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.of(
        Plans.suggestion(
            d,
            "Cannot resolve the version conflict automatically: " + String.join("; ", reasons),
            in));
  }

  private Optional<Plan> planFor(
      Diagnosis d,
      RemediationContext ctx,
      RepoFiles files,
      PipConflict conflict,
      String pkg,
      String file,
      String text,
      List<String> reasons)
      throws IOException {
    Optional<String> current = RequirementsTxt.pinned(text, pkg);
    if (current.isEmpty()) {
      reasons.add(pkg + " is not pinned with == in " + file);
      return Optional.empty();
    }
    List<PipConflict.Constraint> wants = conflict.dependencyConstraints(pkg);
    Map<String, String> sources = new LinkedHashMap<>();
    for (RepositoryPackages.Found f : RepositoryPackages.find(Ecosystem.PIP, pkg, files)) {
      sources.putIfAbsent(f.version(), f.path());
    }
    for (String v : conflict.offered(pkg)) {
      sources.putIfAbsent(v, "the index pip searched");
    }
    List<String> fitting =
        sources.keySet().stream()
            .filter(v -> wants.stream().allMatch(c -> Specifiers.satisfies(v, c.specifier())))
            .sorted(
                Comparator.comparing(
                    (String v) -> Specifiers.release(v).orElseThrow(), Specifiers::compare))
            .toList();
    String need = wants.stream().map(c -> c.from() + " needs " + c.specifier()).collect(joining());
    if (fitting.isEmpty()) {
      reasons.add(
          "no version of "
              + pkg
              + " that the repository or its index shows ("
              + (sources.isEmpty() ? "none found" : String.join(", ", sources.keySet()))
              + ") satisfies "
              + need);
      return Optional.empty();
    }
    String chosen = fitting.get(fitting.size() - 1);
    if (chosen.equals(current.get())) {
      reasons.add(pkg + "==" + chosen + " already satisfies " + need);
      return Optional.empty();
    }
    dev.pitcrew.remediation.dependency.Edit edit;
    try {
      edit = RequirementsTxt.pin(text, pkg, chosen);
    } catch (dev.pitcrew.remediation.dependency.Edit.Refused r) {
      reasons.add(r.getMessage());
      return Optional.empty();
    }
    RiskLevel risk = Versions.risk(current.get(), chosen);
    Map<String, String> params = new LinkedHashMap<>(d.remediationParams());
    params.put("ecosystem", "pip");
    params.put("file", file);
    params.put("package", pkg);
    params.put("from", current.get());
    params.put("version", chosen);
    params.put("constraints", need);
    params.put("source", sources.get(chosen));
    String lockNote = "";
    for (String lock : Ecosystem.PIP.lockfiles()) {
      if (files.read(lock).isPresent()) {
        lockNote = " The lockfile " + lock + " is now out of sync and must be regenerated.";
        params.put("lockfile", lock);
        break;
      }
    }
    Set<String> rejected = new LinkedHashSet<>(sources.keySet());
    rejected.removeAll(fitting);
    return Optional.of(
        ChangeDelivery.filePlan(
            d,
            ctx,
            NAME,
            risk,
            "Pin "
                + pkg
                + " from "
                + current.get()
                + " to "
                + chosen
                + ", the newest version "
                + wants.stream().map(PipConflict.Constraint::from).collect(joining())
                + " accepts ("
                + risk.wire()
                + " risk)",
            List.of(Plans.change(file, text, edit.after())),
            params,
            "This change makes one edit: "
                + edit.description()
                + ". "
                + need
                + "; of the versions available ("
                + String.join(", ", sources.keySet())
                + ") "
                + chosen
                + " is the newest that satisfies it"
                + (rejected.isEmpty() ? "" : " (" + String.join(", ", rejected) + " do not)")
                + "; it comes from "
                + sources.get(chosen)
                + "."
                + lockNote));
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(" and ");
  }

  /** The failed job's log through the forge, else the diagnosis's evidence lines. */
  private static String log(Diagnosis d, RemediationContext ctx) {
    StringBuilder b = new StringBuilder();
    try {
      for (Forge.JobLog j : ctx.forge().failedJobLogs(ctx.run().ref())) {
        try (InputStream s = j.log().open()) {
          b.append(new String(s.readNBytes(MAX_LOG), StandardCharsets.UTF_8)).append('\n');
        }
      }
    } catch (IOException | RuntimeException e) {
      // the evidence below still carries the lines that matched
    }
    for (Evidence e : d.evidence()) {
      b.append(e.text()).append('\n');
    }
    return b.toString();
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    return ChangeDelivery.deliver(plan, ctx);
  }
}
