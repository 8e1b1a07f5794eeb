package dev.pitcrew.remediation.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.local.LocalForge;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RemediationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failing step re-run in a scratch clone of the fix's branch, on the local forge's real git
 * repositories with real bash processes.
 */
class ReproductionTest {
  @TempDir Path tmp;
  LocalForge forge;
  RepoRef repo;
  Run failed;

  static final String WORKFLOW =
      """
      name: ci
      on: push
      env:
        EXPECTED_MODE: fixed
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - name: Prepare
              run: echo prepared > prepared.txt
            - name: Check the settings
              run: |
                test -f prepared.txt
                if [ -f slow.txt ]; then sleep 30; fi
                echo "leaked ghp_abcdefghijklmnopqrstuvwxyz0123456789"
                cat settings.conf
                grep -q "mode=$EXPECTED_MODE" settings.conf
      """;

  @BeforeEach
  void failingRun() throws Exception {
    forge = new LocalForge(tmp.resolve("lab"), LocalForge.Options.defaults());
    repo =
        forge.createRepository(
            "acme/app",
            Map.of(".github/workflows/ci.yml", WORKFLOW, "settings.conf", "mode=broken\n"),
            "init");
    List<RunRef> runs = forge.trigger(repo, "main");
    failed = forge.awaitCompletion(runs.get(0), Duration.ofSeconds(60));
    assertThat(failed.outcome()).isEqualTo("failed");
  }

  @AfterEach
  void close() {
    forge.close();
  }

  private Outcome deliver(String file, String after, Reproduction.Settings settings)
      throws Exception {
    var d = Fixtures.diagnosis(Category.ENVIRONMENT, RiskLevel.LOW, "fix", Map.of());
    Plan plan =
        new Plan(
            "fix_settings",
            RiskLevel.LOW,
            "fix the settings",
            List.of(Plans.change(file, forge.fileContent(repo, file, "main").orElse(""), after)),
            List.of(),
            Plans.withPullRequestText(Map.of(), d, "fix the settings", "Sets mode.", "u"));
    RemediationContext ctx =
        new RemediationContext(
            forge,
            repo,
            failed,
            1,
            Optional.empty(),
            "inc-9",
            Optional.of(new Reproduction(settings)));
    return ChangeDelivery.deliver(plan, ctx);
  }

  private String body() {
    List<PullRequest> prs = forge.pullRequests(repo);
    assertThat(prs).hasSize(1);
    return forge.pullRequestBody(prs.get(0)).orElseThrow();
  }

  @Test
  void aFixThatWorksIsReportedAsPassingWithTheCommandAndTheOutputTail() throws Exception {
    Outcome o = deliver("settings.conf", "mode=fixed\n", Reproduction.Settings.DEFAULTS);
    assertThat(o.detail()).contains("reproduced locally: exit code 0");
    String body = body();
    assertThat(body)
        .contains("## Verification\n\nPitcrew ran the failing step of job `test`")
        .contains("`pitcrew/inc-9-fix_settings`")
        .contains("**it passed** (exit code 0")
        .contains("$ test -f prepared.txt\nif [ -f slow.txt ]")
        .contains("mode=fixed")
        .doesNotContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    assertThat(body.indexOf("Pitcrew ran the failing step"))
        .isLessThan(body.indexOf("Pitcrew re-runs the pipeline on this branch"));
  }

  @Test
  void aFixThatDoesNotWorkIsReportedWithItsExitCode() throws Exception {
    Outcome o = deliver("settings.conf", "mode=other\n", Reproduction.Settings.DEFAULTS);
    assertThat(o.detail()).contains("reproduced locally: exit code 1");
    assertThat(body()).contains("**it still fails** (exit code 1").contains("mode=other");
  }

  @Test
  void aStepThatHangsIsKilledAtTheTimeLimit() throws Exception {
    Reproduction.Settings oneSecond =
        new Reproduction.Settings(
            true, false, Optional.empty(), Optional.empty(), Duration.ofSeconds(1), 4096, 10);
    long t0 = System.nanoTime();
    Outcome o = deliver("slow.txt", "yes\n", oneSecond);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
    assertThat(o.detail()).contains("reproduced locally: timed out");
    assertThat(body()).contains("did not finish within the time limit");
  }

  @Test
  void readsGitLabScriptLinesWithVariablesAndSkipsStepsThatNeedCiExpressions() throws Exception {
    String gitlab =
        """
        variables:
          LANG: C.UTF-8
        before_script:
          - pip install -r requirements.txt
        test:
          variables:
            PYTEST_ADDOPTS: "-q"
          script:
            - pytest
        """;
    assertThat(Reproduction.steps(".gitlab-ci.yml", gitlab, "test"))
        .extracting(Reproduction.Step::script)
        .containsExactly("pip install -r requirements.txt", "pytest");
    assertThat(Reproduction.steps(".gitlab-ci.yml", gitlab, "test").get(1).env())
        .containsEntry("PYTEST_ADDOPTS", "-q")
        .containsEntry("LANG", "C.UTF-8");
    String github =
        """
        jobs:
          build:
            steps:
              - run: echo ${{ secrets.DEPLOY_KEY }} > key
              - run: make
        """;
    assertThat(Reproduction.steps(".github/workflows/ci.yml", github, "build")).isEmpty();
  }

  @Test
  void theOutputIsCappedToItsTail() {
    Reproduction.TailBuffer b = new Reproduction.TailBuffer(1024);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      sb.append("line ").append(i).append('\n');
    }
    b.drain(new java.io.ByteArrayInputStream(sb.toString().getBytes()));
    assertThat(b.tail(3)).isEqualTo("line 9997\nline 9998\nline 9999");
    assertThat(b.tail(1000).length()).isLessThanOrEqualTo(1024);
    assertThat(Reproduction.fence("a ```` b")).isEqualTo("`````");
  }

  @Test
  void remoteForgesAreReproducedOnlyWhenConfiguredWithACloneUrlAndToken() throws Exception {
    assertThat(Reproduction.settings(k -> Optional.empty()).enabled()).isTrue();
    assertThat(Reproduction.settings(k -> Optional.empty()).remote()).isFalse();
    assertThat(
            Reproduction.settings(
                    k -> k.equals("PITCREW_REPRODUCE") ? Optional.of("off") : Optional.empty())
                .enabled())
        .isFalse();
    assertThatThrownBy(
            () ->
                Reproduction.settings(
                    k -> k.equals("PITCREW_REPRODUCE") ? Optional.of("remote") : Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PITCREW_REPRODUCE_CLONE_URL");
    Map<String, String> remote =
        Map.of(
            "PITCREW_REPRODUCE", "remote",
            "PITCREW_REPRODUCE_CLONE_URL", "https://github.com/{repo}.git",
            "PITCREW_REPRODUCE_TOKEN", "t");
    assertThat(Reproduction.settings(k -> Optional.ofNullable(remote.get(k))).remote()).isTrue();
    // a forge without a local clone, with reproduction left at "local": nothing runs
    RecordingForge github = new RecordingForge();
    RemediationContext ctx =
        Fixtures.context(github, 1, null)
            .withReproduction(Optional.of(new Reproduction(Reproduction.Settings.DEFAULTS)));
    assertThat(ctx.reproduction().orElseThrow().reproduce(ctx, "pitcrew/x")).isEmpty();
  }
}
