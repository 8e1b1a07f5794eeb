package dev.pitcrew.remediation.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pitcrew.forge.Run;
import dev.pitcrew.logs.LogLine;
import dev.pitcrew.logs.LogReader;
import dev.pitcrew.logs.Redactor;
import dev.pitcrew.remediation.RemediationContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Runs the failing step of a failed job in a scratch checkout of the fix's branch before the pull
 * request opens, so that its body can say what happened: the command, the exit code and the tail of
 * the output. The commands come from the pipeline file in the branch (the repository's own CI
 * configuration), never from the log; the log only says which of the job's steps failed.
 *
 * <p>Running repository code on Pitcrew's machine is a security decision: it is always on for the
 * local forge (the demo and the chaos lab run the same code anyway) and off for GitHub and GitLab
 * unless {@code PITCREW_REPRODUCE=remote} and a clone URL and token are configured. The step gets a
 * minimal environment (none of Pitcrew's own variables or secrets), a time limit that kills its
 * whole process tree, and an output cap.
 */
public final class Reproduction {
  /** When and how to reproduce. */
  public record Settings(
      boolean enabled,
      boolean remote,
      Optional<String> cloneUrlTemplate,
      Optional<String> token,
      Duration timeout,
      int outputCapBytes,
      int tailLines) {
    /** Local forge only, 10 minutes, 256 KiB of output kept, the last 40 lines shown. */
    public static final Settings DEFAULTS =
        new Settings(
            true,
            false,
            Optional.empty(),
            Optional.empty(),
            Duration.ofMinutes(10),
            256 * 1024,
            40);

    public static final Settings OFF =
        new Settings(
            false,
            false,
            Optional.empty(),
            Optional.empty(),
            Duration.ofMinutes(10),
            256 * 1024,
            40);
  }

  /**
   * What running the step did.
   *
   * @param exitCode the step's exit code; -1 when it was killed at the time limit
   */
  public record Result(
      String job, String command, int exitCode, boolean timedOut, Duration took, String tail) {
    public boolean passed() {
      return exitCode == 0 && !timedOut;
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> GITLAB_RESERVED =
      List.of(
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

  private final Settings settings;

  public Reproduction(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The settings from the configuration: {@code PITCREW_REPRODUCE} is {@code local} (the default:
   * the local forge only), {@code remote} (also GitHub and GitLab, which needs {@code
   * PITCREW_REPRODUCE_CLONE_URL} and {@code PITCREW_REPRODUCE_TOKEN}) or {@code off}.
   */
  public static Settings settings(java.util.function.Function<String, Optional<String>> config) {
    String mode = config.apply("PITCREW_REPRODUCE").orElse("local").toLowerCase(Locale.ROOT);
    Optional<String> url = config.apply("PITCREW_REPRODUCE_CLONE_URL");
    Optional<String> token = config.apply("PITCREW_REPRODUCE_TOKEN");
    boolean enabled;
    boolean remote;
    switch (mode) {
      case "off", "false", "no" -> {
        enabled = false;
        remote = false;
      }
      case "local" -> {
        enabled = true;
        remote = false;
      }
      case "remote", "all" -> {
        if (url.isEmpty() || token.isEmpty() || !url.get().contains("{repo}")) {
          throw new IllegalArgumentException(
              "PITCREW_REPRODUCE=remote runs repository code from GitHub or GitLab on this machine"
                  + " and needs PITCREW_REPRODUCE_CLONE_URL (with {repo}, e.g."
                  + " https://github.com/{repo}.git) and PITCREW_REPRODUCE_TOKEN; set both, or"
                  + " use local");
        }
        if (!url.get().startsWith("https://")) {
          throw new IllegalArgumentException(
              "PITCREW_REPRODUCE_CLONE_URL must be an https:// URL, so the token is not sent in"
                  + " clear text");
        }
        enabled = true;
        remote = true;
      }
      default ->
          throw new IllegalArgumentException(
              "PITCREW_REPRODUCE='" + mode + "' must be local, remote or off");
    }
    Duration timeout =
        dev.pitcrew.config.PitcrewConfig.parseDuration(
            "PITCREW_REPRODUCE_TIMEOUT", config.apply("PITCREW_REPRODUCE_TIMEOUT").orElse("10m"));
    int kb = positive(config, "PITCREW_REPRODUCE_OUTPUT_KB", 256);
    int tail = positive(config, "PITCREW_REPRODUCE_TAIL_LINES", 40);
    return new Settings(enabled, remote, url, token, timeout, kb * 1024, tail);
  }

  private static int positive(
      java.util.function.Function<String, Optional<String>> config, String key, int fallback) {
    Optional<String> v = config.apply(key);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.get().strip());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + "='" + v.get() + "' must be a whole number above 0");
    }
  }

  /**
   * Clones the repository at {@code branch}, runs the failed job's steps up to and including the
   * one that failed, and reports the last step run. Empty when reproduction is off for this forge,
   * no failed job is known, or the pipeline file has no shell step for it.
   */
  public Optional<Result> reproduce(RemediationContext ctx, String branch) throws IOException {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    Optional<String> url = ctx.forge().localCloneUrl(ctx.repo());
    UsernamePasswordCredentialsProvider credentials = null;
    if (url.isEmpty()) {
      if (!settings.remote()
          || settings.cloneUrlTemplate().isEmpty()
          || settings.token().isEmpty()) {
        return Optional.empty();
      }
      url = Optional.of(settings.cloneUrlTemplate().get().replace("{repo}", ctx.repo().fullName()));
      credentials = new UsernamePasswordCredentialsProvider("oauth2", settings.token().get());
    }
    Optional<Run.Job> failed =
        ctx.run().jobs().stream().filter(j -> "failed".equals(j.outcome())).findFirst();
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    Path scratch = Files.createTempDirectory("pitcrew-reproduce-");
    try {
      Path work = scratch.resolve("checkout");
      clone(url.get(), credentials, branch, work);
      String pipelinePath =
          ctx.run().workflow() != null && !ctx.run().workflow().isBlank()
              ? ctx.run().workflow()
              : ".gitlab-ci.yml";
      Path pipelineFile = work.resolve(pipelinePath).normalize();
      if (!pipelineFile.startsWith(work) || !Files.isRegularFile(pipelineFile)) {
        return Optional.empty();
      }
      String jobName = failed.get().ref().name();
      List<Step> steps =
          steps(pipelinePath, Files.readString(pipelineFile, StandardCharsets.UTF_8), jobName);
      if (steps.isEmpty()) {
        return Optional.empty();
      }
      int upTo = failingStep(ctx, failed.get(), steps);
      return Optional.of(run(jobName, steps.subList(0, upTo + 1), work, scratch));
    } finally {
      deleteTree(scratch);
    }
  }

  private void clone(
      String url, UsernamePasswordCredentialsProvider credentials, String branch, Path into)
      throws IOException {
    var cmd =
        Git.cloneRepository()
            .setURI(url)
            .setDirectory(into.toFile())
            .setBranch(Constants.R_HEADS + branch)
            .setTimeout((int) Math.max(10, settings.timeout().toSeconds()));
    if (!url.startsWith("file:")) {
      cmd.setDepth(1); // only the branch's head is needed from a remote forge
    }
    if (credentials != null) {
      cmd.setCredentialsProvider(credentials);
    }
    try (Git g = cmd.call()) {
      // the checkout is all we need
    } catch (GitAPIException e) {
      // the URL may carry nothing secret, but the message could echo it: keep it out
      throw new IOException("could not clone the branch " + branch + " to reproduce the failure");
    }
  }

  /** One shell step: its script, its environment (workflow, job, step), its folder. */
  record Step(String script, Map<String, String> env, String workingDirectory) {}

  /**
   * The shell steps of the job, in order; empty when the job is not in the file or a step needs
   * something only the CI system knows ({@code ${{ }}} expressions in its script).
   */
  static List<Step> steps(String path, String yaml, String jobName) throws IOException {
    JsonNode root = YAML.readTree(yaml);
    List<Step> out = new ArrayList<>();
    if (root == null || !root.isObject()) {
      return out;
    }
    if (path.endsWith(".gitlab-ci.yml")) {
      JsonNode job = root.get(jobName);
      if (job == null || !job.isObject() || GITLAB_RESERVED.contains(jobName)) {
        return out;
      }
      Map<String, String> env = env(root.get("variables"));
      env.putAll(env(job.get("variables")));
      List<String> lines =
          new ArrayList<>(
              lines(
                  job.has("before_script") ? job.get("before_script") : root.get("before_script")));
      lines.addAll(lines(job.get("script")));
      // GitLab runs each script line as its own command; one step each
      for (String l : lines) {
        out.add(new Step(l, env, "."));
      }
      return expressionFree(out);
    }
    JsonNode jobs = root.get("jobs");
    if (jobs == null || !jobs.isObject()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = jobs.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      JsonNode job = e.getValue();
      String name = job.path("name").asText(e.getKey());
      if (!name.equals(jobName) && !e.getKey().equals(jobName)) {
        continue;
      }
      Map<String, String> jobEnv = env(root.get("env"));
      jobEnv.putAll(env(job.get("env")));
      String defaultDir =
          job.path("defaults")
              .path("run")
              .path("working-directory")
              .asText(root.path("defaults").path("run").path("working-directory").asText("."));
      for (JsonNode st : job.path("steps")) {
        if (!st.hasNonNull("run")) {
          continue;
        }
        Map<String, String> env = new LinkedHashMap<>(jobEnv);
        env.putAll(env(st.get("env")));
        out.add(
            new Step(st.get("run").asText(), env, st.path("working-directory").asText(defaultDir)));
      }
      return expressionFree(out);
    }
    return out;
  }

  private static List<Step> expressionFree(List<Step> steps) {
    return steps.stream().anyMatch(s -> s.script().contains("${{")) ? List.of() : steps;
  }

  /** Literal variables; those set from CI expressions are left out (the step may then fail). */
  private static Map<String, String> env(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n == null || !n.isObject()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      JsonNode v = e.getValue();
      String text = v.isObject() ? v.path("value").asText("") : v.asText();
      if (!text.contains("${{") && e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        out.put(e.getKey(), text);
      }
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

  /**
   * Which step failed, from the job log's {@code ##[group]Run <first line>} (GitHub) or {@code $
   * <command>} (GitLab) headers: the last one before the end of the log, matched against the
   * pipeline's own steps. The last step when the log says nothing usable.
   */
  private static int failingStep(RemediationContext ctx, Run.Job job, List<Step> steps) {
    String last = null;
    try (InputStream in = ctx.forge().jobLog(job.ref()).open();
        LogReader r = new LogReader(in)) {
      for (LogLine l = r.next(); l != null; l = r.next()) {
        String t = l.text();
        int group = t.indexOf("##[group]Run ");
        if (group >= 0) {
          last = t.substring(group + "##[group]Run ".length()).strip();
        } else if (l.clean().startsWith("$ ")) {
          last = l.clean().substring(2).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      return steps.size() - 1;
    }
    if (last != null) {
      for (int i = steps.size() - 1; i >= 0; i--) {
        String first = steps.get(i).script().strip().lines().findFirst().orElse("").strip();
        if (!first.isEmpty() && first.equals(last)) {
          return i;
        }
      }
    }
    return steps.size() - 1;
  }

  private Result run(String job, List<Step> steps, Path work, Path scratch) throws IOException {
    Path home = Files.createDirectories(scratch.resolve("home"));
    Path tmp = Files.createDirectories(scratch.resolve("tmp"));
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    long t0 = System.nanoTime();
    TailBuffer out = new TailBuffer(settings.outputCapBytes());
    int exit = 0;
    boolean timedOut = false;
    String command = steps.get(steps.size() - 1).script();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      Path script = scratch.resolve("step-" + i + ".sh");
      Files.writeString(script, step.script(), StandardCharsets.UTF_8);
      Path dir = work.resolve(step.workingDirectory()).normalize();
      if (!dir.startsWith(work) || !Files.isDirectory(dir)) {
        dir = work;
      }
      ProcessBuilder pb =
          new ProcessBuilder(
                  "bash", "--noprofile", "--norc", "-e", "-o", "pipefail", script.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      Map<String, String> keep = new LinkedHashMap<>();
      for (String k : List.of("PATH", "LANG", "JAVA_HOME")) {
        String v = System.getenv(k);
        if (v != null) {
          keep.put(k, v);
        }
      }
      env.clear(); // none of Pitcrew's own variables (tokens, keys) reach repository code
      env.putAll(keep);
      env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
      env.putIfAbsent("LANG", "C.UTF-8");
      env.put("HOME", home.toString());
      env.put("TMPDIR", tmp.toString());
      env.put("CI", "true");
      env.put("PITCREW_REPRODUCTION", "true");
      step.env().forEach(env::putIfAbsent);
      Process p = pb.start();
      p.getOutputStream().close();
      Thread pump = Thread.ofVirtual().start(() -> out.drain(p.getInputStream()));
      long left = deadline - System.nanoTime();
      boolean finished;
      try {
        finished = left > 0 && p.waitFor(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finished = false;
      }
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        timedOut = true;
        exit = -1;
        command = step.script();
        join(pump);
        break;
      }
      join(pump);
      exit = p.exitValue();
      if (exit != 0) {
        command = step.script();
        break;
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    // whatever the step printed goes into a pull request: no token or look-alike leaves with it
    Redactor redactor = Redactor.of(settings.token().map(List::of).orElse(List.of()));
    return new Result(
        job,
        redactor.mask(command.strip()),
        exit,
        timedOut,
        took,
        redactor.mask(out.tail(settings.tailLines())));
  }

  private static void join(Thread t) {
    try {
      t.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Keeps the last {@code cap} bytes of a stream. */
  static final class TailBuffer {
    private final int cap;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private long dropped;

    TailBuffer(int cap) {
      this.cap = Math.max(1024, cap);
    }

    void drain(InputStream in) {
      byte[] b = new byte[8192];
      try (in) {
        for (int n = in.read(b); n >= 0; n = in.read(b)) {
          synchronized (this) {
            buf.write(b, 0, n);
            if (buf.size() > 2 * cap) {
              byte[] all = buf.toByteArray();
              buf.reset();
              buf.write(all, all.length - cap, cap);
              dropped += all.length - cap;
            }
          }
        }
      } catch (IOException e) {
        // the process went away; what was read is kept
      }
    }

    synchronized String tail(int lines) {
      byte[] all = buf.toByteArray();
      int from = Math.max(0, all.length - cap);
      String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
      List<String> l = text.lines().toList();
      List<String> last = l.subList(Math.max(0, l.size() - lines), l.size());
      return String.join("\n", last);
    }
  }

  /** The pull request's "Verification" paragraph for a reproduction. */
  public static String markdown(Result r, String branch) {
    StringBuilder b = new StringBuilder();
    b.append("Pitcrew ran the failing step of job `")
        .append(inline(r.job()))
        .append("` in a scratch checkout of `")
        .append(inline(branch))
        .append("` before opening this pull request: ");
    if (r.timedOut()) {
      b.append("**it did not finish within the time limit** (")
          .append(seconds(r.took()))
          .append(").\n\n");
    } else {
      b.append(r.passed() ? "**it passed**" : "**it still fails**")
          .append(" (exit code ")
          .append(r.exitCode())
          .append(", ")
          .append(seconds(r.took()))
          .append(").\n\n");
    }
    String fence = fence(r.command() + "\n" + r.tail());
    b.append(fence)
        .append("shell\n$ ")
        .append(r.command())
        .append('\n')
        .append(fence)
        .append("\n\n");
    if (!r.tail().isBlank()) {
      b.append("Last lines of its output:\n\n")
          .append(fence)
          .append("text\n")
          .append(r.tail())
          .append('\n')
          .append(fence)
          .append("\n\n");
    }
    return b.toString();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String inline(String s) {
    return s.replace('`', '\'').replace('\n', ' ');
  }

  /** A code fence longer than any run of backticks in the text, so the text cannot close it. */
  static String fence(String text) {
    int longest = 0;
    int run = 0;
    for (char c : text.toCharArray()) {
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return "`".repeat(Math.max(3, longest + 1));
  }

  private static void deleteTree(Path p) {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        x.toFile().setWritable(true);
        Files.deleteIfExists(x);
      }
    } catch (IOException e) {
      // scratch space only
    }
  }
}
