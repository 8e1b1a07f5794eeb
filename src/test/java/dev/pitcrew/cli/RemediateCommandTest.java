package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pitcrew remediate LOG --repo DIR [--dry-run]} against a real git checkout. */
class RemediateCommandTest {
  @TempDir Path dir;
  Path repo;

  record Result(int status, String out, String err) {}

  static Result run(Map<String, String> env, String... args) {
    var cl = Cli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  @BeforeEach
  void checkout() throws Exception {
    repo = Files.createDirectory(dir.resolve("app"));
    Files.writeString(repo.resolve("requirements.txt"), "# web\nflask==3.0.0\n");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit()
          .setMessage("init")
          .setAuthor("t", "t@example.org")
          .setCommitter("t", "t@example.org")
          .setSign(false)
          .call();
    }
  }

  @Test
  void plansABackedOffRerunForANetworkTimeoutAndChangesNothing() throws Exception {
    Path log = dir.resolve("job.log");
    Files.writeString(
        log,
        """
        npm ERR! code ETIMEDOUT
        npm ERR! network request to https://registry.npmjs.org/lodash failed, reason: connect ETIMEDOUT 104.16.0.35:443
        npm ERR! errno ETIMEDOUT
        """);
    Result r = run(Map.of(), "remediate", log.toString(), "--repo", repo.toString(), "--dry-run");
    assertThat(r.status()).as(r.err()).isEqualTo(0);
    assertThat(r.out())
        .contains("plan: retry_pipeline (risk low)")
        .contains("after 1 minute (attempt 1 of 3)")
        .contains("policy: ALLOW — low risk: applied automatically")
        .contains("dry run: nothing was changed");
    assertThat(Files.readString(repo.resolve("requirements.txt")))
        .isEqualTo("# web\nflask==3.0.0\n");
  }

  @Test
  void aCompileErrorGetsNoPlan() throws Exception {
    Path log = dir.resolve("job.log");
    Files.writeString(
        log,
        """
        [ERROR] COMPILATION ERROR :
        [ERROR] /src/main/java/App.java:[3,5] cannot find symbol
        [ERROR]   symbol:   class Strin
        """);
    Result r = run(Map.of(), "remediate", log.toString(), "--repo", repo.toString(), "--dry-run");
    assertThat(r.status()).isEqualTo(0);
    assertThat(r.out()).contains("plan: none");
  }

  @Test
  void theKillSwitchDeniesTheRerun() throws Exception {
    Path log = dir.resolve("job.log");
    Files.writeString(
        log,
        "npm ERR! code ETIMEDOUT\nnpm ERR! network request to https://registry.npmjs.org/x failed,"
            + " reason: connect ETIMEDOUT 104.16.0.35:443\n");
    Result r =
        run(
            Map.of("PITCREW_KILL_SWITCH", "true"),
            "remediate",
            log.toString(),
            "--repo",
            repo.toString());
    assertThat(r.out()).contains("policy: DENY — the global kill switch is on");
    assertThat(r.out()).contains("not applied");
  }

  @Test
  void aMissingRepoIsAUsageError() throws Exception {
    Path log = dir.resolve("job.log");
    Files.writeString(log, "x\n");
    Result r = run(Map.of(), "remediate", log.toString(), "--repo", dir.resolve("nope").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("is not a directory");
  }

  @Test
  void printsTheOneLineDiffForAMissingPackageTheHistoryKnows() throws Exception {
    try (Git git = Git.open(repo.toFile())) {
      Files.writeString(
          repo.resolve("requirements.txt"), "# web\nflask==3.0.0\nrequests==2.31.0\n");
      git.add().addFilepattern(".").call();
      git.commit()
          .setMessage("add")
          .setAuthor("t", "t@example.org")
          .setCommitter("t", "t@example.org")
          .setSign(false)
          .call();
      Files.writeString(repo.resolve("requirements.txt"), "# web\nflask==3.0.0\n");
      git.add().addFilepattern(".").call();
      git.commit()
          .setMessage("drop")
          .setAuthor("t", "t@example.org")
          .setCommitter("t", "t@example.org")
          .setSign(false)
          .call();
    }
    Path log = dir.resolve("job.log");
    Files.writeString(log, "E   ModuleNotFoundError: No module named 'requests'\n");
    Result r = run(Map.of(), "remediate", log.toString(), "--repo", repo.toString(), "--dry-run");
    assertThat(r.out())
        .contains("plan: add_dependency (risk low)")
        .contains("policy: ALLOW")
        .contains("--- a/requirements.txt\n+++ b/requirements.txt\n")
        .contains("+requests==2.31.0\n");
    Result applied = run(Map.of(), "remediate", log.toString(), "--repo", repo.toString());
    assertThat(applied.out()).contains("wrote requirements.txt");
    assertThat(Files.readString(repo.resolve("requirements.txt")))
        .isEqualTo("# web\nflask==3.0.0\nrequests==2.31.0\n");
  }

  @Test
  void anAttackerTyposquatInTheLogIsNeverAdded() throws Exception {
    Path log = dir.resolve("job.log");
    Files.writeString(log, "E   ModuleNotFoundError: No module named 'reqeusts'\n");
    Result r = run(Map.of(), "remediate", log.toString(), "--repo", repo.toString());
    assertThat(r.out()).contains("plan: notify_developer").contains("typosquat");
    assertThat(Files.readString(repo.resolve("requirements.txt")))
        .isEqualTo("# web\nflask==3.0.0\n");
  }
}
