package dev.pitcrew.cli;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.LogSources;
import dev.pitcrew.policy.RepoSettings;
import dev.pitcrew.policy.RiskPolicy;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RemediationRegistry;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "remediate",
    description =
        "Diagnose a CI log and plan the fix against a local checkout; with --dry-run only print"
            + " the plan (unified diffs and forge calls).",
    mixinStandardHelpOptions = true)
final class RemediateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "LOG", description = "The failed job's log.")
  String log;

  @Option(
      names = "--repo",
      required = true,
      paramLabel = "DIR",
      description = "The local checkout of the repository at the failed commit.")
  Path repo;

  @Option(names = "--dry-run", description = "Print the plan and change nothing.")
  boolean dryRun;

  @Option(
      names = "--yes",
      description = "Approve a plan that the policy says needs a person (you are that person).")
  boolean yes;

  @Option(
      names = "--attempt",
      defaultValue = "1",
      description = "Which automatic attempt on this pipeline this is (default 1).")
  int attempt;

  private final CliContext ctx;

  RemediateCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(repo)) {
      err.println("pitcrew: --repo " + repo + " is not a directory; pass the checkout's folder");
      return 2;
    }
    if (attempt < 1) {
      err.println("pitcrew: --attempt counts from 1, got " + attempt);
      return 2;
    }
    List<LogSource> sources = LogSources.resolve(log, System.in);
    if (sources.size() != 1) {
      err.println("pitcrew: remediate takes one log file, " + log + " holds " + sources.size());
      return 2;
    }
    Diagnosis d = ctx.diagnoser(false).diagnose(sources.get(0), Optional.empty(), List.of());
    DiagnoseCommand.printHuman(out, d);
    if (d.error().isPresent()) {
      return 1;
    }
    RepoFiles files = RepoFiles.of(repo);
    RiskPolicy global = ctx.riskPolicy();
    RiskPolicy policy = files.read(RepoSettings.FILE).map(global::forRepository).orElse(global);
    RemediationRegistry registry = ctx.registry();
    RemediationContext rc = context();
    Optional<Plan> maybe = registry.plan(d, rc, files);
    if (maybe.isEmpty()) {
      out.println("plan: none — Pitcrew does not act on this diagnosis");
      out.flush();
      return 0;
    }
    Plan plan = maybe.get();
    Verdict v = policy.judge(d, plan, attempt);
    printPlan(out, plan, v);
    if (dryRun) {
      out.println("dry run: nothing was changed");
      out.flush();
      return 0;
    }
    boolean allowed =
        v.decision() == Verdict.Decision.ALLOW
            || v.decision() == Verdict.Decision.NOTIFY
            || (v.decision() == Verdict.Decision.ASK && yes);
    if (!allowed) {
      out.println(
          v.decision() == Verdict.Decision.ASK
              ? "not applied: the policy asks for approval; re-run with --yes to approve"
              : "not applied: " + v.reason());
      out.flush();
      return 0;
    }
    Path root = repo.toAbsolutePath().normalize();
    for (Plan.FileChange fc : plan.fileChanges()) {
      Path p = root.resolve(fc.path()).normalize();
      if (!p.startsWith(root)) {
        throw new IOException("refusing to write " + fc.path() + " outside " + root);
      }
      Files.createDirectories(p.getParent());
      Files.writeString(p, fc.after(), StandardCharsets.UTF_8);
      out.println("wrote " + fc.path());
    }
    if (!plan.forgeCalls().isEmpty()) {
      out.println("not run (needs a forge; pitcrew serve does these): ");
      plan.forgeCalls().forEach(c -> out.println("  - " + c));
    }
    out.flush();
    return 0;
  }

  static void printPlan(PrintWriter out, Plan plan, Verdict v) {
    out.println("plan: " + plan.action() + " (risk " + plan.risk().wire() + ")");
    out.println("   " + plan.summary());
    out.println("   policy: " + v.decision() + " — " + v.reason());
    for (String c : plan.forgeCalls()) {
      out.println("   forge: " + c);
    }
    for (Plan.FileChange fc : plan.fileChanges()) {
      out.print(fc.diff());
    }
  }

  private RemediationContext context() throws IOException {
    Path root = repo.toAbsolutePath().normalize();
    String sha = "unknown";
    String branch = "unknown";
    if (Files.exists(root.resolve(".git"))) {
      try (Repository r = new FileRepositoryBuilder().setWorkTree(root.toFile()).build()) {
        ObjectId head = r.resolve("HEAD");
        sha = head == null ? "unknown" : head.name();
        String b = r.getBranch();
        branch = b == null ? "unknown" : b;
      }
    }
    RepoRef ref = new RepoRef(Provider.LOCAL, "local", root.getFileName().toString());
    RunRef run = new RunRef(ref, "local", attempt);
    Run r =
        new Run(
            run, branch, sha, null, "failed", root.toUri().toString(), Instant.EPOCH, null, null);
    return new RemediationContext(
        new OfflineForge(), ref, r, attempt, Optional.of(root), "local-" + abbreviate(sha));
  }

  private static String abbreviate(String sha) {
    return sha.length() > 8 ? sha.substring(0, 8) : sha;
  }
}
