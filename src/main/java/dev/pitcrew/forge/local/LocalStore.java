package dev.pitcrew.forge.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What the local forge remembers: runs with their jobs, pull requests, issues, variables and the
 * webhook deliveries it sent. Kept in memory and written to {@code state.json} in the lab folder
 * after every change, so a restarted forge (or a person with {@code jq}) sees the same history.
 */
final class LocalStore {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** A run: one execution of one pipeline file on one commit. */
  record RunRow(
      long id,
      String repo,
      String pipelinePath,
      String pipelineName,
      int runNumber,
      String branch,
      String sha,
      String event,
      String status,
      String conclusion,
      Instant createdAt,
      Instant updatedAt,
      Long rerunOf,
      List<JobRow> jobs,
      String actor) {
    RunRow {
      jobs = List.copyOf(jobs);
    }

    RunRow with(String status, String conclusion, Instant at, List<JobRow> jobs) {
      return new RunRow(
          id,
          repo,
          pipelinePath,
          pipelineName,
          runNumber,
          branch,
          sha,
          event,
          status,
          conclusion,
          createdAt,
          at,
          rerunOf,
          jobs,
          actor);
    }
  }

  /** A job of a run, with where its log is. */
  record JobRow(
      long id,
      String name,
      String status,
      String conclusion,
      Integer exitCode,
      Instant startedAt,
      Instant completedAt,
      String logFile,
      List<JobRunner.StepResult> steps) {
    JobRow {
      steps = List.copyOf(steps);
    }
  }

  record PullRow(
      String repo,
      int number,
      String head,
      String base,
      String title,
      String body,
      List<String> labels,
      String state,
      List<String> comments) {
    PullRow {
      labels = List.copyOf(labels);
      comments = List.copyOf(comments);
    }
  }

  record IssueRow(
      String repo, int number, String title, String body, List<String> labels, String state) {
    IssueRow {
      labels = List.copyOf(labels);
    }
  }

  /** One webhook delivery: what was sent and how the receiver answered (status 0: not reached). */
  record DeliveryRow(
      String id,
      String event,
      String action,
      long runId,
      Long jobId,
      int status,
      String error,
      Instant at) {}

  /** The whole state, as written to disk. */
  record State(
      long lastId,
      Map<String, Map<String, String>> variables,
      List<RunRow> runs,
      List<PullRow> pulls,
      List<IssueRow> issues,
      List<DeliveryRow> deliveries) {
    static State empty() {
      return new State(1000, Map.of(), List.of(), List.of(), List.of(), List.of());
    }
  }

  private final Path file;
  private long lastId;
  private final Map<String, Map<String, String>> variables = new LinkedHashMap<>();
  private final List<RunRow> runs = new ArrayList<>();
  private final List<PullRow> pulls = new ArrayList<>();
  private final List<IssueRow> issues = new ArrayList<>();
  private final List<DeliveryRow> deliveries = new ArrayList<>();

  LocalStore(Path file) throws IOException {
    this.file = file;
    State s = Files.exists(file) ? JSON.readValue(file.toFile(), State.class) : State.empty();
    lastId = s.lastId();
    s.variables().forEach((k, v) -> variables.put(k, new LinkedHashMap<>(v)));
    for (RunRow r : s.runs()) {
      // a run that was going when the forge stopped will never finish
      runs.add(
          "completed".equals(r.status())
              ? r
              : r.with("completed", "cancelled", r.updatedAt(), r.jobs()));
    }
    pulls.addAll(s.pulls());
    issues.addAll(s.issues());
    deliveries.addAll(s.deliveries());
  }

  synchronized long nextId() {
    lastId++;
    save();
    return lastId;
  }

  synchronized RunRow addRun(RunRow r) {
    runs.add(r);
    save();
    return r;
  }

  synchronized RunRow updateRun(long id, UnaryOperator<RunRow> f) {
    for (int i = 0; i < runs.size(); i++) {
      if (runs.get(i).id() == id) {
        RunRow n = f.apply(runs.get(i));
        runs.set(i, n);
        save();
        return n;
      }
    }
    throw new IllegalArgumentException("no run " + id);
  }

  synchronized Optional<RunRow> run(long id) {
    return runs.stream().filter(r -> r.id() == id).findFirst();
  }

  synchronized List<RunRow> runs(Predicate<RunRow> p) {
    return runs.stream().filter(p).toList();
  }

  synchronized int nextRunNumber(String repo, String pipelinePath) {
    return (int)
            runs.stream()
                .filter(r -> r.repo().equals(repo) && r.pipelinePath().equals(pipelinePath))
                .count()
        + 1;
  }

  synchronized Optional<String> variable(String repo, String name) {
    return Optional.ofNullable(variables.getOrDefault(repo, Map.of()).get(name));
  }

  synchronized Map<String, String> variables(String repo) {
    return Map.copyOf(variables.getOrDefault(repo, Map.of()));
  }

  synchronized Optional<String> setVariable(String repo, String name, String value) {
    String old = variables.computeIfAbsent(repo, k -> new LinkedHashMap<>()).put(name, value);
    save();
    return Optional.ofNullable(old);
  }

  synchronized PullRow ensurePull(
      String repo, String head, String base, String title, String body, List<String> labels) {
    for (PullRow p : pulls) {
      if (p.repo().equals(repo) && p.head().equals(head) && p.state().equals("open")) {
        return p;
      }
    }
    int n = (int) pulls.stream().filter(p -> p.repo().equals(repo)).count() + 1;
    PullRow p = new PullRow(repo, n, head, base, title, body, labels, "open", List.of());
    pulls.add(p);
    save();
    return p;
  }

  synchronized void comment(String repo, int number, String body) {
    for (int i = 0; i < pulls.size(); i++) {
      PullRow p = pulls.get(i);
      if (p.repo().equals(repo) && p.number() == number) {
        List<String> c = new ArrayList<>(p.comments());
        c.add(body);
        pulls.set(
            i,
            new PullRow(
                p.repo(),
                p.number(),
                p.head(),
                p.base(),
                p.title(),
                p.body(),
                p.labels(),
                p.state(),
                c));
        save();
        return;
      }
    }
    throw new IllegalArgumentException("no pull request #" + number + " in " + repo);
  }

  synchronized List<PullRow> pulls(String repo) {
    return pulls.stream().filter(p -> p.repo().equals(repo)).toList();
  }

  synchronized IssueRow ensureIssue(String repo, String title, String body, List<String> labels) {
    for (IssueRow i : issues) {
      if (i.repo().equals(repo) && i.title().equals(title) && i.state().equals("open")) {
        return i;
      }
    }
    int n = (int) issues.stream().filter(i -> i.repo().equals(repo)).count() + 1;
    IssueRow i = new IssueRow(repo, n, title, body, labels, "open");
    issues.add(i);
    save();
    return i;
  }

  synchronized List<IssueRow> issues(String repo) {
    return issues.stream().filter(i -> i.repo().equals(repo)).toList();
  }

  synchronized void addDelivery(DeliveryRow d) {
    deliveries.add(d);
    save();
  }

  synchronized List<DeliveryRow> deliveries() {
    return List.copyOf(deliveries);
  }

  private void save() {
    State s =
        new State(
            lastId,
            variables,
            List.copyOf(runs),
            List.copyOf(pulls),
            List.copyOf(issues),
            List.copyOf(deliveries));
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), s);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the local forge's state to " + file, e);
    }
  }
}
