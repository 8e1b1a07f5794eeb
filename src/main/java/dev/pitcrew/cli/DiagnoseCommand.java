package dev.pitcrew.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.DiagnosisJson;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.LogSources;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "diagnose",
    description = "Say why CI logs failed and what would fix them.",
    mixinStandardHelpOptions = true)
final class DiagnoseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print JSON Lines, one object per log.")
  boolean json;

  @Option(names = "--no-llm", description = "Use the rules only, even when a model is configured.")
  boolean noLlm;

  @Option(
      names = "--previous-success",
      paramLabel = "PATH",
      description =
          "A log of the same job when it passed: lines that also appear there are ignored.")
  String previousSuccess;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "A checkout of the repository the logs come from: its pipeline file (.gitlab-ci.yml, or"
              + " the only workflow in .github/workflows) goes into the model's prompt, and it"
              + " vouches for files and packages the model names.")
  java.nio.file.Path repo;

  @Option(
      names = "--pipeline-file",
      paramLabel = "PATH",
      description =
          "The pipeline definition the failed run executed (a workflow .yml or .gitlab-ci.yml),"
              + " shown to the model redacted and trimmed like the log; relative to --repo when"
              + " given.")
  java.nio.file.Path pipelineFile;

  @Parameters(
      arity = "1..*",
      paramLabel = "TARGET",
      description =
          "Log files (.log, .gz, run-log .zip), directories, - for standard input, or the URL of"
              + " a GitHub Actions run or job or a GitLab pipeline or job.")
  List<String> targets;

  private final CliContext ctx;

  DiagnoseCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    Optional<dev.pitcrew.diagnosis.llm.LlmAnalyzer.Repository> checkout = Optional.empty();
    dev.pitcrew.diagnosis.Subject subject = dev.pitcrew.diagnosis.Subject.NONE;
    try {
      if (repo != null) {
        checkout =
            Optional.of(
                dev.pitcrew.diagnosis.llm.CheckoutRepository.open(
                    repo, Optional.ofNullable(pipelineFile)));
      } else if (pipelineFile != null) {
        var f = dev.pitcrew.diagnosis.llm.CheckoutRepository.readPipelineFile(null, pipelineFile);
        subject =
            subject.withPipelineFile(
                Optional.of(new dev.pitcrew.diagnosis.Subject.PipelineFile(f.path(), f.content())));
      }
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("pitcrew diagnose: " + e.getMessage());
      return 2;
    }
    Diagnoser diagnoser = ctx.diagnoser(!noLlm, checkout);
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = Json.MAPPER;
    List<RemoteTargets.Target> sources = new ArrayList<>();
    for (String t : targets) {
      if (t.startsWith("http://") || t.startsWith("https://")) {
        sources.addAll(ctx.remoteTargets().resolve(t));
        continue;
      }
      for (LogSource s : LogSources.resolve(t, System.in)) {
        sources.add(new RemoteTargets.Target(s, Optional.empty()));
      }
    }
    Optional<LogSource> prev = Optional.empty();
    if (previousSuccess != null) {
      List<LogSource> p = LogSources.resolve(previousSuccess, System.in);
      if (!p.isEmpty()) {
        prev = Optional.of(p.get(0));
      }
    }
    var prevSet = ctx.fingerprints(prev, spec.commandLine().getErr());
    int unreadable = 0;
    for (RemoteTargets.Target target : sources) {
      LogSource s = target.log();
      // an explicit --previous-success wins over the forge's last successful run
      Diagnosis d =
          previousSuccess == null && target.previous().isPresent()
              ? diagnoser.diagnose(s, target.previous(), subject)
              : diagnoser.diagnose(s, prevSet, List.of(), subject);
      if (d.error().isPresent()) {
        unreadable++;
      }
      if (json) {
        out.println(mapper.writeValueAsString(DiagnosisJson.toMap(d)));
      } else {
        printHuman(out, d);
      }
      out.flush();
    }
    return unreadable == 0 ? 0 : 1;
  }

  static void printHuman(PrintWriter out, Diagnosis d) {
    out.println("== " + d.file());
    if (d.error().isPresent()) {
      out.println("   could not read: " + d.error().get());
      out.println();
      return;
    }
    out.printf(
        "   %s (confidence %.2f, risk %s)%s%n",
        d.category().wire(),
        d.confidence(),
        d.riskLevel().wire(),
        d.playbookId().map(p -> " — " + p).orElse(""));
    out.println("   root cause: " + d.rootCause());
    for (Evidence e : d.evidence()) {
      out.printf(
          "   line %d: %s%n",
          e.line(), dev.pitcrew.internal.Strings.abbreviate(e.text().strip(), 200));
    }
    String fix =
        "none".equals(d.remediationStrategy())
            ? "none — a person needs to look at this"
            : d.remediationStrategy()
                + (d.remediationParams().isEmpty() ? "" : " " + d.remediationParams());
    out.println("   fix: " + fix);
    out.println("   why: " + d.explanation());
    for (String n : d.notes()) {
      out.println("   note: " + n);
    }
    out.println();
  }
}
