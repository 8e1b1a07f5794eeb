package dev.pitcrew.forge.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CI definition the local forge can run: the {@code run:} steps of a GitHub Actions workflow or
 * the {@code script:} lines of a {@code .gitlab-ci.yml}, with each job's environment, time limit
 * and memory limit. Everything else in the file ({@code on:}, {@code uses:} actions, services) is
 * read past: the local forge runs every pipeline on every push.
 *
 * @param path the file in the repository ({@code .github/workflows/ci.yml})
 * @param name the workflow's {@code name:}, or the file name
 * @param gitlab whether the file is a GitLab pipeline (the log ends like a GitLab job)
 */
record Pipeline(String path, String name, boolean gitlab, List<Job> jobs) {
  Pipeline {
    jobs = List.copyOf(jobs);
  }

  /**
   * One job.
   *
   * @param timeout {@code timeout-minutes} (GitHub, fractions allowed) or {@code timeout} (GitLab)
   * @param memoryMb the memory limit from {@code container.options} ({@code --memory 64m}) or the
   *     {@code KUBERNETES_MEMORY_LIMIT} variable, when set
   */
  record Job(
      String id,
      String name,
      Map<String, String> env,
      Duration timeout,
      Optional<Integer> memoryMb,
      List<Step> steps) {
    Job {
      env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
      steps = List.copyOf(steps);
    }
  }

  /** A step: a shell script with its own environment, or an action the local forge skips. */
  record Step(String name, Optional<String> run, Optional<String> uses, Map<String, String> env) {
    Step {
      env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }
  }

  /** GitHub's default job time limit. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(360);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> GITLAB_RESERVED =
      Set.of(
          "stages",
          "variables",
          "default",
          "include",
          "workflow",
          "image",
          "services",
          "before_script",
          "after_script",
          "cache",
          "spec");
  private static final Pattern MEMORY =
      Pattern.compile("(?:--memory[= ]|-m )\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]i?)?[bB]?");

  /** Parses a GitHub Actions workflow file. */
  static Pipeline github(String path, String yaml) {
    JsonNode root = read(path, yaml);
    String name = text(root.get("name")).orElse(fileName(path));
    Map<String, String> wfEnv = map(root.get("env"));
    JsonNode jobs = root.get("jobs");
    if (jobs == null || !jobs.isObject() || jobs.isEmpty()) {
      throw new IllegalArgumentException(
          path + ": a workflow needs a 'jobs:' map with at least one job");
    }
    List<Job> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = jobs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode j = e.getValue();
      Map<String, String> env = new LinkedHashMap<>(wfEnv);
      env.putAll(map(j.get("env")));
      Duration timeout = DEFAULT_TIMEOUT;
      if (j.hasNonNull("timeout-minutes")) {
        timeout = minutes(path, e.getKey(), j.get("timeout-minutes").asText());
      }
      Optional<Integer> memory = Optional.empty();
      JsonNode container = j.get("container");
      if (container != null && container.isObject()) {
        memory = text(container.get("options")).flatMap(Pipeline::dockerMemory);
      }
      List<Step> steps = new ArrayList<>();
      JsonNode stepsNode = j.get("steps");
      if (stepsNode == null || !stepsNode.isArray()) {
        throw new IllegalArgumentException(
            path + ": job '" + e.getKey() + "' needs a 'steps:' list");
      }
      for (JsonNode s : stepsNode) {
        Optional<String> run = text(s.get("run"));
        Optional<String> uses = text(s.get("uses"));
        String stepName =
            text(s.get("name"))
                .orElse(
                    run.map(r -> "Run " + r.strip().lines().findFirst().orElse(""))
                        .orElse("Run " + uses.orElse("step")));
        steps.add(new Step(stepName, run, uses, map(s.get("env"))));
      }
      out.add(
          new Job(e.getKey(), text(j.get("name")).orElse(e.getKey()), env, timeout, memory, steps));
    }
    return new Pipeline(path, name, false, out);
  }

  /** Parses a {@code .gitlab-ci.yml}. */
  static Pipeline gitlab(String path, String yaml) {
    JsonNode root = read(path, yaml);
    Map<String, String> globalVars = map(root.get("variables"));
    List<String> globalBefore = lines(root.get("before_script"));
    List<Job> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String id = e.getKey();
      JsonNode j = e.getValue();
      if (GITLAB_RESERVED.contains(id) || id.startsWith(".") || !j.isObject()) {
        continue;
      }
      List<String> script = lines(j.get("script"));
      if (script.isEmpty()) {
        throw new IllegalArgumentException(path + ": job '" + id + "' needs a 'script:'");
      }
      Map<String, String> vars = new LinkedHashMap<>(globalVars);
      vars.putAll(map(j.get("variables")));
      Duration timeout =
          text(j.get("timeout")).map(t -> gitlabDuration(path, id, t)).orElse(Duration.ofHours(1));
      Optional<Integer> memory =
          Optional.ofNullable(vars.get("KUBERNETES_MEMORY_LIMIT")).flatMap(Pipeline::quantityMb);
      List<String> before = j.has("before_script") ? lines(j.get("before_script")) : globalBefore;
      List<String> all = new ArrayList<>(before);
      all.addAll(script);
      List<Step> steps = new ArrayList<>();
      steps.add(
          new Step(
              "Executing \"step_script\" stage of the job script",
              Optional.of(String.join("\n", all)),
              Optional.empty(),
              Map.of()));
      out.add(new Job(id, id, vars, timeout, memory, steps));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(path + ": no job with a 'script:' found");
    }
    return new Pipeline(path, "gitlab-ci", true, out);
  }

  private static JsonNode read(String path, String yaml) {
    try {
      JsonNode n = YAML.readTree(yaml);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException(path + ": expected a YAML mapping at the top");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(path + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
  }

  static Optional<Integer> dockerMemory(String options) {
    Matcher m = MEMORY.matcher(options);
    if (!m.find()) {
      return Optional.empty();
    }
    return toMb(Double.parseDouble(m.group(1)), m.group(2) == null ? "" : m.group(2));
  }

  static Optional<Integer> quantityMb(String q) {
    Matcher m = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]i?)?\\s*").matcher(q);
    if (!m.matches()) {
      return Optional.empty();
    }
    return toMb(Double.parseDouble(m.group(1)), m.group(2) == null ? "" : m.group(2));
  }

  private static Optional<Integer> toMb(double n, String unit) {
    double mb =
        switch (unit.toLowerCase(Locale.ROOT).replace("i", "")) {
          case "k" -> n / 1024;
          case "m" -> n;
          case "g" -> n * 1024;
          default -> n / (1024 * 1024);
        };
    return Optional.of((int) Math.max(1, Math.round(mb)));
  }

  private static Duration minutes(String path, String job, String v) {
    try {
      double m = Double.parseDouble(v.strip());
      if (m <= 0) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(Math.round(m * 60_000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          path + ": job '" + job + "': timeout-minutes must be a positive number, got '" + v + "'");
    }
  }

  static Duration gitlabDuration(String path, String job, String v) {
    Matcher m =
        Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(h|hours?|m|min|minutes?|s|sec|seconds?)")
            .matcher(v.toLowerCase(Locale.ROOT));
    long ms = 0;
    boolean any = false;
    while (m.find()) {
      any = true;
      double n = Double.parseDouble(m.group(1));
      char unit = m.group(2).charAt(0);
      ms += Math.round(n * (unit == 'h' ? 3_600_000 : unit == 'm' ? 60_000 : 1000));
    }
    if (!any || ms <= 0) {
      throw new IllegalArgumentException(
          path + ": job '" + job + "': timeout must look like '1h 30m' or '45s', got '" + v + "'");
    }
    return Duration.ofMillis(ms);
  }

  private static Optional<String> text(JsonNode n) {
    return n == null || n.isNull() || n.isContainerNode()
        ? Optional.empty()
        : Optional.of(n.asText());
  }

  private static Map<String, String> map(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      n.fields()
          .forEachRemaining(
              e -> {
                JsonNode v = e.getValue();
                // GitLab allows {value: ..., description: ...}
                if (v.isObject() && v.has("value")) {
                  v = v.get("value");
                }
                out.put(e.getKey(), v.isNull() ? "" : v.asText());
              });
    }
    return out;
  }

  private static List<String> lines(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isArray()) {
      n.forEach(x -> out.add(x.asText()));
    } else {
      out.add(n.asText());
    }
    return out;
  }

  private static String fileName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
