package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.JobRef;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.http.FakeTime;
import dev.pitcrew.forge.http.ForgeHttp;
import dev.pitcrew.forge.http.HttpPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request the GitHub adapter makes, validated by Stoplight Prism serving GitHub's official
 * REST description in validation mode ({@code --errors}): an undocumented path or method, a missing
 * required parameter or a body that breaks the operation's schema is answered 4xx with {@code
 * sl-violations}. Prism comes from the npm registry ({@code @stoplight/prism-cli@5.14.2}, the
 * newest that runs on Node 20), installed under {@code target/prism} on first use; the description
 * is {@code ../shared/fixtures/github-openapi}, or {@code @octokit/openapi@23.0.2} from npm when
 * that is absent. Skipped, saying why, only when npm is missing or the registry cannot be reached.
 *
 * <p>A small loopback proxy sits between the adapter and Prism: it asks Prism for {@code
 * application/json} (Prism cannot negotiate GitHub's vendor type {@code
 * application/vnd.github+json} and would answer 406), turns redirects into 404 (the description's
 * log-download examples point at github.com, and this test must not leave the machine), and records
 * Prism's verdict per request. The adapter's results do not matter here (Prism answers with
 * examples, not state); only whether each request was valid.
 */
class PrismConformanceIT {
  static final String PRISM = "@stoplight/prism-cli@5.14.2";
  static final String OCTOKIT = "@octokit/openapi@23.0.2";

  record Verdict(String method, String path, int status, String violations) {}

  static Process prism;
  static HttpServer proxy;
  static URI prismBase;
  static final List<Verdict> verdicts = new CopyOnWriteArrayList<>();
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startPrism() throws Exception {
    String given = System.getProperty("prism.url");
    if (given != null && !given.isBlank()) {
      prismBase = URI.create(given); // a Prism already running (development)
    } else {
      Path dir = Path.of("target/prism").toAbsolutePath();
      Path bin = dir.resolve("node_modules/.bin/prism");
      Path shared =
          Path.of("../shared/fixtures/github-openapi/api.github.com.openapi-3.0.bundled.json")
              .toAbsolutePath()
              .normalize();
      Path octokit = dir.resolve("node_modules/@octokit/openapi/generated/api.github.com.json");
      List<String> wanted = new ArrayList<>();
      if (!Files.isExecutable(bin)) {
        wanted.add(PRISM);
      }
      if (!Files.isReadable(shared) && !Files.isReadable(octokit)) {
        wanted.add(OCTOKIT);
      }
      if (!wanted.isEmpty()) {
        Npm.install(dir, wanted, "Prism");
      }
      Path description = Files.isReadable(shared) ? shared : octokit;
      int port;
      try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      prism =
          new ProcessBuilder(
                  bin.toString(),
                  "mock",
                  "--errors",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  String.valueOf(port),
                  description.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prism.log").toFile())
              .start();
      prismBase = URI.create("http://127.0.0.1:" + port);
      // loading the 13 MB description takes 20 s on an idle machine, much longer on a busy one
      Instant deadline = Instant.now().plus(Duration.ofMinutes(6));
      while (!up()) {
        if (!prism.isAlive()) {
          throw new IllegalStateException(
              "Prism exited with " + prism.exitValue() + "; see target/prism/prism.log");
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("Prism did not load the description in 6 minutes");
        }
        Thread.sleep(1000);
      }
    }
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext("/", PrismConformanceIT::forward);
    proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    proxy.start();
  }

  /** The JSON array (or object, as a one-element list) in s; empty when it is not JSON. */
  static List<com.fasterxml.jackson.databind.JsonNode> json(String s) {
    try {
      com.fasterxml.jackson.databind.JsonNode n = GitHubSim.JSON.readTree(s);
      return n == null ? List.of() : n.isArray() ? toList(n) : List.of(n);
    } catch (IOException e) {
      return List.of();
    }
  }

  static List<com.fasterxml.jackson.databind.JsonNode> toList(
      com.fasterxml.jackson.databind.JsonNode n) {
    List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  static boolean up() {
    try {
      CLIENT.send(
          HttpRequest.newBuilder(prismBase.resolve("/")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The headers the adapter sends that the description knows about; the rest are transport. */
  static final Set<String> PASSED =
      Set.of("authorization", "content-type", "user-agent", "x-github-api-version");

  static void forward(HttpExchange ex) throws IOException {
    try {
      relay(ex);
    } catch (IOException | RuntimeException e) {
      verdicts.add(
          new Verdict(ex.getRequestMethod(), ex.getRequestURI().getPath(), 0, "proxy: " + e));
      ex.sendResponseHeaders(502, -1);
      ex.close();
    }
  }

  static void relay(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String rawQuery = ex.getRequestURI().getRawQuery();
    // the adapter's base is /api/v3 (Enterprise Server style); the description's paths are bare
    String path = ex.getRequestURI().getRawPath().replaceFirst("^/api/v3", "");
    // GitHub's {path} and {ref} carry slashes (contents/src/app.py, git/ref/heads/a/b); Prism
    // matches a path parameter within one segment only, so they travel %2F-encoded
    java.util.regex.Matcher slashy =
        java.util.regex.Pattern.compile("^(/repos/[^/]+/[^/]+/(?:contents|git/ref|git/refs))/(.+)$")
            .matcher(path);
    if (slashy.matches()) {
      path = slashy.group(1) + "/" + slashy.group(2).replace("/", "%2F");
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(prismBase.resolve(path + (rawQuery == null ? "" : "?" + rawQuery)))
            .timeout(Duration.ofSeconds(60))
            .method(
                ex.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    ex.getRequestHeaders()
        .forEach(
            (k, v) -> {
              if (PASSED.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                v.forEach(x -> b.header(k, x));
              }
            });
    b.header("Accept", "application/json");
    HttpResponse<byte[]> r;
    try {
      r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String text = new String(r.body(), StandardCharsets.UTF_8);
    List<String> problems = new ArrayList<>();
    if (text.contains("NO_PATH_MATCHED_ERROR") || text.contains("NO_METHOD_MATCHED_ERROR")) {
      problems.add(text);
    }
    List<com.fasterxml.jackson.databind.JsonNode> found = new ArrayList<>();
    r.headers().firstValue("sl-violations").ifPresent(h -> found.addAll(json(h)));
    if (r.statusCode() == 422) {
      found.addAll(
          json(text).stream().flatMap(n -> toList(n.path("validation")).stream()).toList());
    }
    for (com.fasterxml.jackson.databind.JsonNode v : found) {
      String where = v.path("location").path(0).asText();
      if (where.equals("response")) {
        continue; // Prism checking its own example answers against the response schema
      }
      if (v.path("location").toString().equals("[\"path\",\"workflow_id\"]")
          && v.path("code").asText().equals("oneOf")) {
        // a known Prism false positive: workflow_id is oneOf [integer, string] and a numeric id,
        // which the description explicitly allows, matches both after Prism's coercion
        continue;
      }
      problems.add(v.toString());
    }
    verdicts.add(
        new Verdict(ex.getRequestMethod(), path, r.statusCode(), String.join("; ", problems)));
    int status = r.statusCode() / 100 == 3 ? 404 : r.statusCode();
    byte[] out = status == 404 && r.statusCode() / 100 == 3 ? new byte[0] : r.body();
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (status == 204 || out.length == 0) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.stop(0);
    }
    if (prism != null) {
      prism.descendants().forEach(ProcessHandle::destroy);
      prism.destroy();
    }
  }

  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  static void attempt(Step s) {
    try {
      s.run();
    } catch (Exception e) {
      // Prism answers with examples, not with state: the adapter may well give up; the verdicts
      // of the requests it sent are what this test checks
    }
  }

  /** The check must be able to fail: a pull request without its required base is refused. */
  @Test
  void prismRefusesARequestThatBreaksTheDescription() throws Exception {
    int before = verdicts.size();
    HttpResponse<String> r =
        CLIENT.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + proxy.getAddress().getPort()
                            + "/api/v3/repos/octocat/Hello-World/pulls"))
                .header("Authorization", "Bearer " + GitHubForgeIT.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"t\",\"head\":\"h\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(verdicts.subList(before, verdicts.size()))
        .singleElement()
        .satisfies(v -> assertThat(v.violations()).contains("base"));
    verdicts.subList(before, verdicts.size()).clear();
  }

  @Test
  void everyRequestTheAdapterMakesIsValidAgainstGitHubsDescription() {
    int first = verdicts.size();
    FakeTime time = new FakeTime();
    ForgeHttp http =
        new ForgeHttp(
            "GitHub",
            ForgeHttp.defaultClient(),
            new HttpPolicy(
                1,
                Duration.ofMillis(10),
                Duration.ofMillis(10),
                Duration.ZERO,
                Duration.ofSeconds(60),
                1000,
                Duration.ofSeconds(1)),
            time,
            time,
            () -> 0.5);
    URI api = URI.create("http://127.0.0.1:" + proxy.getAddress().getPort() + "/api/v3");
    GitHubForge forge =
        new GitHubForge(api, "github.com", GitHubAuth.token(GitHubForgeIT.TOKEN), http, 1 << 20);
    var repo = GitHubForgeIT.REPO;
    RunRef run = new RunRef(repo, "30433642", 1);
    JobRef job = new JobRef(run, "399444496", "build");
    String sha = "acb5820ced9479c074f688cc328bf03f341a511d";
    Run failed = new Run(run, "main", sha, "159038", "failed", null, null, "octocat", List.of());

    attempt(() -> forge.run(run));
    attempt(() -> forge.run(new RunRef(repo, "30433642", 0)));
    attempt(() -> forge.runOfJob(repo, "399444496"));
    attempt(() -> forge.jobLog(job).open().close());
    attempt(() -> forge.runLogs(run));
    attempt(() -> forge.lastSuccessfulRun(failed));
    attempt(() -> forge.fileContent(repo, "src/app.py", "main"));
    attempt(() -> forge.defaultBranch(repo));
    attempt(() -> forge.runForCommit(repo, sha));
    attempt(() -> forge.runForCommit(repo, sha, "159038"));
    attempt(() -> forge.rerunFailedJobs(run));
    attempt(() -> forge.rerunRun(run));
    attempt(() -> forge.retryJob(job));
    attempt(() -> forge.ensureBranch(repo, "pitcrew/inc-1-pin", sha));
    attempt(() -> forge.headOf(repo, "pitcrew/inc-1-pin"));
    attempt(() -> forge.commitFiles(repo, "pitcrew/inc-1-pin", "pin", Map.of("a.txt", "a\n")));
    attempt(
        () -> forge.ensurePullRequest(repo, "pitcrew/inc-1-pin", "main", "t", "b", List.of("x")));
    attempt(
        () ->
            forge.comment(
                new PullRequest(
                    repo, "1347", "https://github.com/x/y/pull/1347", "h", "main", "open"),
                "a comment"));
    attempt(() -> forge.variable(repo, "NODE_OPTIONS"));
    attempt(() -> forge.setVariable(repo, "NODE_OPTIONS", "--max-old-space-size=4096"));
    attempt(() -> forge.ensureIssue(repo, "CI broken", "details", List.of("pitcrew")));
    Forge asForge = forge;
    attempt(() -> asForge.failedJobLogs(run));

    List<Verdict> mine = List.copyOf(verdicts.subList(first, verdicts.size()));
    assertThat(mine).hasSizeGreaterThan(20);
    List<Verdict> invalid =
        mine.stream().filter(v -> v.status() == 405 || !v.violations().isBlank()).toList();
    assertThat(invalid).as("requests Prism found invalid against GitHub's description").isEmpty();
    // the operations seen, for the record
    assertThat(mine.stream().map(v -> v.method() + " " + v.path()).distinct().count())
        .isGreaterThan(15);
  }
}
