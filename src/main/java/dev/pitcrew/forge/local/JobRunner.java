package dev.pitcrew.forge.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one job's steps with bash in a checkout and writes the log the way GitHub Actions shows it:
 * each line timestamped, each step in a {@code ##[group]}, a failing step closed by {@code
 * ##[error]Process completed with exit code N.} The job's time limit kills the whole process tree;
 * its memory limit is passed to the runtimes through their own flags ({@code JAVA_TOOL_OPTIONS
 * -Xmx}, {@code NODE_OPTIONS --max-old-space-size}) because a cgroup is not available to an
 * unprivileged runner.
 */
final class JobRunner {
  static final String SHELL = "/usr/bin/bash --noprofile --norc -e -o pipefail {0}";
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern EXPR = Pattern.compile("\\$\\{\\{\\s*([\\w.-]+)\\s*}}");

  private final Clock clock;

  JobRunner(Clock clock) {
    this.clock = clock;
  }

  /** What happened to a step. */
  record StepResult(
      int number, String name, String conclusion, Instant startedAt, Instant completedAt) {}

  /**
   * What happened to a job.
   *
   * @param conclusion {@code success} or {@code failure}
   * @param exitCode the failing step's exit code, 0 on success, null when the job timed out
   */
  record JobResult(
      String conclusion,
      Integer exitCode,
      boolean timedOut,
      Instant startedAt,
      Instant completedAt,
      List<StepResult> steps) {}

  /**
   * Runs the job.
   *
   * @param context the {@code github.*} and {@code vars.*} values for {@code ${{ }}} expressions,
   *     and the runner's base environment
   */
  JobResult run(
      Pipeline pipeline,
      Pipeline.Job job,
      Path workspace,
      Path runnerTemp,
      Map<String, String> baseEnv,
      Map<String, String> vars,
      Path logFile)
      throws IOException {
    Instant started = clock.instant();
    Instant deadline = started.plus(job.timeout());
    List<StepResult> results = new ArrayList<>();
    Files.createDirectories(logFile.getParent());
    Files.createDirectories(runnerTemp);
    try (PrintWriter log =
        new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
      Map<String, String> jobEnv = new LinkedHashMap<>(baseEnv);
      // like GitLab CI variables, repository variables reach every job's environment
      jobEnv.putAll(vars);
      Map<String, String> declared = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : job.env().entrySet()) {
        declared.put(e.getKey(), expand(e.getValue(), jobEnv, vars));
      }
      jobEnv.putAll(declared);
      job.memoryMb().ifPresent(mb -> applyMemoryLimit(jobEnv, mb));

      line(log, "##[group]Set up job");
      line(log, "Current runner version: 'pitcrew-local-1.0'");
      line(log, "Runner name: 'pitcrew-local'");
      line(
          log, "Job defined at: " + pipeline.path() + "@" + baseEnv.getOrDefault("GITHUB_REF", ""));
      job.memoryMb()
          .ifPresent(
              mb -> line(log, "Memory limit: " + mb + " MB (JAVA_TOOL_OPTIONS, NODE_OPTIONS)"));
      line(log, "Time limit: " + human(job.timeout()));
      line(log, "##[endgroup]");
      results.add(new StepResult(1, "Set up job", "success", started, clock.instant()));

      String conclusion = "success";
      Integer exitCode = 0;
      boolean timedOut = false;
      int number = 2;
      for (Pipeline.Step step : job.steps()) {
        Instant stepStart = clock.instant();
        if ("failure".equals(conclusion)) {
          results.add(new StepResult(number++, step.name(), "skipped", stepStart, stepStart));
          continue;
        }
        if (step.run().isEmpty()) {
          line(log, "##[group]Run " + step.uses().orElse("action"));
          line(
              log,
              "with: (the local forge runs shell steps only; the checkout is already in place)");
          line(log, "##[endgroup]");
          results.add(new StepResult(number++, step.name(), "success", stepStart, clock.instant()));
          continue;
        }
        Map<String, String> env = new LinkedHashMap<>(jobEnv);
        Map<String, String> stepEnv = new LinkedHashMap<>();
        step.env().forEach((k, v) -> stepEnv.put(k, expand(v, jobEnv, vars)));
        env.putAll(stepEnv);
        String script = expand(step.run().get(), env, vars);
        line(log, "##[group]Run " + script.strip().lines().findFirst().orElse(""));
        script.strip().lines().forEach(l -> line(log, l));
        line(log, "shell: " + SHELL);
        Map<String, String> shown = new LinkedHashMap<>(declared);
        shown.putAll(stepEnv);
        if (!shown.isEmpty()) {
          line(log, "env:");
          shown.forEach((k, v) -> line(log, "  " + k + ": " + v));
        }
        line(log, "##[endgroup]");
        Path scriptFile = runnerTemp.resolve("step-" + number + ".sh");
        Files.writeString(scriptFile, script + "\n");
        Duration left = Duration.between(clock.instant(), deadline);
        int code;
        if (left.isNegative() || left.isZero()) {
          code = -1;
        } else {
          code = exec(scriptFile, workspace, env, left, log);
        }
        if (code == -1) {
          timedOut = true;
          if (!pipeline.gitlab()) {
            line(
                log,
                "##[error]The job running on runner pitcrew-local has exceeded the maximum"
                    + " execution time of "
                    + minutesText(job.timeout())
                    + " minutes.");
            line(log, "##[error]The operation was canceled.");
          }
          conclusion = "failure";
          exitCode = null;
          results.add(
              new StepResult(number++, step.name(), "cancelled", stepStart, clock.instant()));
          continue;
        }
        if (code != 0) {
          line(log, "##[error]Process completed with exit code " + code + ".");
          conclusion = "failure";
          exitCode = code;
          results.add(new StepResult(number++, step.name(), "failure", stepStart, clock.instant()));
          continue;
        }
        results.add(new StepResult(number++, step.name(), "success", stepStart, clock.instant()));
      }
      line(log, "Cleaning up orphan processes");
      if (pipeline.gitlab() && "failure".equals(conclusion)) {
        line(
            log,
            timedOut
                ? "ERROR: Job failed: execution took longer than "
                    + goDuration(job.timeout())
                    + " seconds"
                : "ERROR: Job failed: exit code " + exitCode);
      }
      Instant done = clock.instant();
      results.add(new StepResult(number, "Complete job", "success", done, done));
      return new JobResult(conclusion, exitCode, timedOut, started, done, results);
    }
  }

  /** Runs a script; returns its exit code, or -1 when the time limit killed it. */
  private int exec(Path script, Path cwd, Map<String, String> env, Duration limit, PrintWriter log)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash", "--noprofile", "--norc", "-e", "-o", "pipefail", script.toString());
    pb.directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    Thread pump =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                      line(log, l);
                    }
                  } catch (IOException e) {
                    line(log, "##[warning]log stream closed: " + e.getMessage());
                  }
                });
    try {
      boolean finished = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        pump.join(Duration.ofSeconds(5));
        return -1;
      }
      pump.join(Duration.ofSeconds(10));
      // a step's background children do not outlive it, as on a hosted runner
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      return p.exitValue();
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + script, e);
    }
  }

  static void applyMemoryLimit(Map<String, String> env, int mb) {
    env.merge("JAVA_TOOL_OPTIONS", "-Xmx" + mb + "m", (a, b) -> a + " " + b);
    env.merge("NODE_OPTIONS", "--max-old-space-size=" + mb, (a, b) -> a + " " + b);
  }

  /**
   * Expands {@code ${{ vars.X }}}, {@code ${{ env.X }}}, {@code ${{ secrets.X }}} (empty) and
   * {@code ${{ github.x }}}.
   */
  static String expand(String s, Map<String, String> env, Map<String, String> vars) {
    if (s == null || !s.contains("${{")) {
      return s;
    }
    Matcher m = EXPR.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String expr = m.group(1);
      String value = "";
      int dot = expr.indexOf('.');
      if (dot > 0) {
        String ctx = expr.substring(0, dot);
        String key = expr.substring(dot + 1);
        value =
            switch (ctx) {
              case "vars" -> vars.getOrDefault(key, "");
              case "env" -> env.getOrDefault(key, "");
              case "github" ->
                  env.getOrDefault("GITHUB_" + key.toUpperCase(java.util.Locale.ROOT), "");
              case "runner" ->
                  env.getOrDefault("RUNNER_" + key.toUpperCase(java.util.Locale.ROOT), "");
              default -> "";
            };
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void line(PrintWriter log, String text) {
    synchronized (log) {
      log.print(TS.format(clock.instant()));
      log.print(' ');
      log.print(text);
      log.print('\n');
      log.flush();
      if (log.checkError()) {
        throw new UncheckedIOException(new IOException("could not write the job log"));
      }
    }
  }

  private static String minutesText(Duration d) {
    double m = d.toMillis() / 60_000.0;
    return m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m);
  }

  /** A duration as Go prints it ({@code 1h0m0s}, {@code 4s}), as GitLab's runner reports it. */
  static String goDuration(Duration d) {
    long h = d.toHours();
    long m = d.toMinutesPart();
    double sec = d.toSecondsPart() + d.toMillisPart() / 1000.0;
    String secText = sec == Math.rint(sec) ? Long.toString((long) sec) : Double.toString(sec);
    if (h > 0) {
      return h + "h" + m + "m" + secText + "s";
    }
    if (m > 0) {
      return m + "m" + secText + "s";
    }
    return secText + "s";
  }

  private static String human(Duration d) {
    return d.toSeconds() >= 60 ? minutesText(d) + " min" : d.toMillis() / 1000.0 + " s";
  }
}
