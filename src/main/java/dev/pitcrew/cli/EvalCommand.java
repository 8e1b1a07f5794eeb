package dev.pitcrew.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.DiagnosisJson;
import dev.pitcrew.eval.EvalScorer;
import dev.pitcrew.logs.LogSources;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "eval",
    description =
        "Diagnose a labelled corpus (DIR/labels.jsonl and the logs it names) and score it with the"
            + " metrics of the corpus's score.py.",
    mixinStandardHelpOptions = true)
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Option(
      names = "--predictions",
      paramLabel = "FILE",
      description = "Also write the predictions as JSON Lines.")
  Path predictions;

  @Option(names = "--json", description = "Print the scores as one JSON object.")
  boolean json;

  @Option(names = "--no-llm", description = "Use the rules only.")
  boolean noLlm;

  @Option(names = "--threads", description = "Logs diagnosed in parallel (default: cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  private final CliContext ctx;

  EvalCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path labelsFile = dir.resolve("labels.jsonl");
    if (!Files.isRegularFile(labelsFile)) {
      spec.commandLine()
          .getErr()
          .println("pitcrew eval: " + labelsFile + " not found; DIR must hold labels.jsonl");
      return 2;
    }
    List<EvalScorer.Label> labels = new ArrayList<>();
    for (String line : Files.readAllLines(labelsFile, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = Json.MAPPER.readTree(line);
      labels.add(
          new EvalScorer.Label(
              n.path("file").asText(),
              n.path("category").asText(),
              n.path("evidence").asText(null)));
    }
    Diagnoser diagnoser = ctx.diagnoser(!noLlm);
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    List<Future<Diagnosis>> futures = new ArrayList<>();
    for (EvalScorer.Label l : labels) {
      Path log = dir.resolve(l.file());
      futures.add(
          pool.submit(
              () -> {
                var sources = LogSources.resolve(log.toString(), System.in);
                return diagnoser
                    .diagnose(sources.get(0), Optional.empty(), List.of())
                    .withFile(l.file());
              }));
    }
    Map<String, EvalScorer.Prediction> byFile = new LinkedHashMap<>();
    List<Diagnosis> all = new ArrayList<>();
    for (Future<Diagnosis> f : futures) {
      Diagnosis d = f.get();
      all.add(d);
      byFile.put(
          d.file(),
          new EvalScorer.Prediction(
              d.file(), d.category().wire(), d.evidence().stream().map(e -> e.text()).toList()));
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (predictions != null) {
      try (BufferedWriter w = Files.newBufferedWriter(predictions, StandardCharsets.UTF_8)) {
        for (Diagnosis d : all) {
          w.write(Json.MAPPER.writeValueAsString(DiagnosisJson.toMap(d)));
          w.newLine();
        }
      }
    }
    Map<String, Object> res = EvalScorer.score(labels, byFile);
    res.put("seconds", Math.round(seconds * 100) / 100.0);
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(res));
      return 0;
    }
    out.printf(
        "logs %s (missing predictions %s) in %.1f s%n",
        res.get("logs"), res.get("missing_predictions"), seconds);
    for (String k :
        List.of(
            "accuracy",
            "macro_f1",
            "action_precision",
            "action_coverage",
            "masking_rate",
            "evidence_hit")) {
      out.printf("%-18s %s%n", k, res.get(k));
    }
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> per =
        (Map<String, Map<String, Object>>) res.get("per_category");
    per.forEach(
        (c, v) ->
            out.printf(
                "  %-15s P %.3f  R %.3f  F1 %.3f  n %s%n",
                c, v.get("precision"), v.get("recall"), v.get("f1"), v.get("support")));
    out.println("confusions (truth -> predicted): " + res.get("top_confusions"));
    return 0;
  }
}
