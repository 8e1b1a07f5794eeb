package dev.pitcrew.remediation.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Action;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.TestRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Before/after of each resource action against a real git checkout. */
class ResourceActionsTest {
  @TempDir Path dir;

  private static final String WORKFLOW =
      """
      name: ci
      on: push
      jobs:
        build:
          runs-on: ubuntu-latest
          timeout-minutes: 20 # keep CI fast
          steps:
            - uses: actions/checkout@v4
            - run: npm test
      """;

  private Plan plan(Action a, Map<String, String> files, Map<String, String> params)
      throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit("ci", files);
    }
    var d = Fixtures.diagnosis(Category.RESOURCE, RiskLevel.MEDIUM, a.name(), params);
    return a.plan(d, Fixtures.context(new RecordingForge(), 1, dir), RepoFiles.of(dir))
        .orElseThrow();
  }

  private static String after(Plan p, String path) {
    return p.fileChanges().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .orElseThrow()
        .after();
  }

  @Test
  void raisesAGithubTimeoutByHalfKeepingTheComment() throws Exception {
    Plan p =
        plan(
            new IncreaseJobTimeout(),
            Map.of(".github/workflows/ci.yml", WORKFLOW),
            Map.of("factor", "1.5"));
    assertThat(after(p, ".github/workflows/ci.yml"))
        .isEqualTo(WORKFLOW.replace("timeout-minutes: 20 #", "timeout-minutes: 30 #"));
    assertThat(p.forgeCalls()).anyMatch(c -> c.contains("open a pull request"));
  }

  @Test
  void raisesAGitlabTimeout() throws Exception {
    String gl = "test:\n  script: make test\n  timeout: 1h\n";
    Plan p = plan(new IncreaseJobTimeout(), Map.of(".gitlab-ci.yml", gl), Map.of());
    assertThat(after(p, ".gitlab-ci.yml"))
        .isEqualTo("test:\n  script: make test\n  timeout: 1h 30m\n");
  }

  @Test
  void raisesAGitlabTimeoutInSecondsToTheFloorKeepingTheRest() throws Exception {
    String gl =
        "stages: [test]\n\nintegration:\n  stage: test\n  timeout: 4s # short\n"
            + "  script:\n    - python3 tools/integration_suite.py\n";
    Plan p = plan(new IncreaseJobTimeout(), Map.of(".gitlab-ci.yml", gl), Map.of());
    assertThat(after(p, ".gitlab-ci.yml")).isEqualTo(gl.replace("timeout: 4s", "timeout: 10m"));
    assertThat(IncreaseJobTimeout.duration(IncreaseJobTimeout.scaleSeconds("30 seconds", 2)))
        .isEqualTo("10m");
    assertThat(IncreaseJobTimeout.duration(IncreaseJobTimeout.scaleSeconds("10 minutes", 2)))
        .isEqualTo("20m");
    assertThat(IncreaseJobTimeout.duration(IncreaseJobTimeout.scaleSeconds("1h 30m", 2)))
        .isEqualTo("3h");
    assertThat(IncreaseJobTimeout.duration(IncreaseJobTimeout.scaleSeconds("45m 10s", 1.5)))
        .isEqualTo("1h 7m 45s");
  }

  @Test
  void aTimeoutAtGithubsLimitIsAdvice() throws Exception {
    Plan p =
        plan(
            new IncreaseJobTimeout(),
            Map.of(".github/workflows/ci.yml", WORKFLOW.replace("20", "360")),
            Map.of());
    assertThat(p.action()).isEqualTo(Plans.SUGGESTION);
    assertThat(p.summary()).contains("360-minute limit");
  }

  @Test
  void addsNodeOptionsToTheWorkflowEnvBeforeJobs() throws Exception {
    Plan p =
        plan(
            new IncreaseNodeHeap(),
            Map.of(".github/workflows/ci.yml", WORKFLOW),
            Map.of("variable", "NODE_OPTIONS", "max_old_space_size_mb", "4096"));
    assertThat(after(p, ".github/workflows/ci.yml"))
        .startsWith(
            """
            name: ci
            on: push
            env:
              NODE_OPTIONS: --max-old-space-size=4096

            jobs:
            """);
  }

  @Test
  void raisesAnExistingNodeHeapFlag() throws Exception {
    String wf =
        WORKFLOW.replace(
            "on: push\n", "on: push\nenv:\n  NODE_OPTIONS: --max-old-space-size=4096\n");
    Plan p = plan(new IncreaseNodeHeap(), Map.of(".github/workflows/ci.yml", wf), Map.of());
    assertThat(after(p, ".github/workflows/ci.yml")).contains("--max-old-space-size=6144");
  }

  @Test
  void raisesTheJobContainerMemoryThatCapsNodesHeap() throws Exception {
    String before =
        "name: Bundle\non: push\njobs:\n  bundle:\n    runs-on: ubuntu-latest\n    container:\n"
            + "      image: node:20\n      options: --memory 48m\n    steps:\n"
            + "      - run: node build.js\n";
    Plan p = plan(new IncreaseNodeHeap(), Map.of(".github/workflows/ci.yml", before), Map.of());
    assertThat(after(p, ".github/workflows/ci.yml"))
        .isEqualTo(before.replace("--memory 48m", "--memory 512m"));
  }

  @Test
  void raisesGradleJvmargsAndMavenOpts() throws Exception {
    Plan p =
        plan(
            new IncreaseJvmHeap(),
            Map.of(
                "gradle.properties",
                "# build\norg.gradle.jvmargs=-Xmx2g -Dfile.encoding=UTF-8\norg.gradle.caching=true\n",
                ".gitlab-ci.yml",
                "variables:\n  MAVEN_OPTS: \"-Xmx1024m\"\nbuild:\n  script: mvn verify\n"),
            Map.of("factor", "1.5"));
    assertThat(after(p, "gradle.properties"))
        .isEqualTo(
            "# build\norg.gradle.jvmargs=-Xmx3g -Dfile.encoding=UTF-8\norg.gradle.caching=true\n");
    assertThat(after(p, ".gitlab-ci.yml")).contains("MAVEN_OPTS: \"-Xmx1536m\"");
  }

  @Test
  void raisesAGithubJobContainerMemoryLimitToTheFloor() throws Exception {
    String before =
        "name: Report\non: push\njobs:\n  report:\n    runs-on: ubuntu-latest\n    container:\n"
            + "      image: eclipse-temurin:21\n      options: --memory 64m # small\n    steps:\n"
            + "      - run: java src/ReportJob.java\n";
    Plan p = plan(new IncreaseJvmHeap(), Map.of(".github/workflows/ci.yml", before), Map.of());
    assertThat(after(p, ".github/workflows/ci.yml"))
        .isEqualTo(before.replace("--memory 64m", "--memory 512m"));
    assertThat(IncreaseJvmHeap.raiseMemory("2g", 1.5)).isEqualTo("3072m");
    assertThat(IncreaseJvmHeap.raiseMemory("64m", 1.5)).isEqualTo("512m");
  }

  @Test
  void addsMavenOptsWhenNothingSetsAHeap() throws Exception {
    Plan p =
        plan(
            new IncreaseJvmHeap(),
            Map.of(
                "pom.xml",
                "<project/>\n",
                ".gitlab-ci.yml",
                "# ci\nbuild:\n  script: mvn verify\n"),
            Map.of());
    assertThat(after(p, ".gitlab-ci.yml"))
        .isEqualTo("# ci\nvariables:\n  MAVEN_OPTS: \"-Xmx3g\"\n\nbuild:\n  script: mvn verify\n");
  }

  @Test
  void raisesKubernetesMemoryOnGitlabByTheFactor() throws Exception {
    String gl =
        "variables:\n  KUBERNETES_MEMORY_LIMIT: \"4Gi\"\n  KUBERNETES_MEMORY_REQUEST: 3Gi\n";
    Plan p = plan(new IncreaseMemory(List.of()), Map.of(".gitlab-ci.yml", gl), Map.of());
    assertThat(after(p, ".gitlab-ci.yml"))
        .isEqualTo(
            "variables:\n  KUBERNETES_MEMORY_LIMIT: \"6Gi\"\n  KUBERNETES_MEMORY_REQUEST: 4608Mi\n");
    assertThat(p.risk()).isEqualTo(RiskLevel.MEDIUM);
  }

  @Test
  void movesAGithubJobOneStepUpTheRunnerLadder() throws Exception {
    var a = IncreaseMemory.fromEnv("ubuntu-latest, ubuntu-latest-4-cores, ubuntu-latest-8-cores");
    Plan p = plan(a, Map.of(".github/workflows/ci.yml", WORKFLOW), Map.of());
    assertThat(after(p, ".github/workflows/ci.yml")).contains("runs-on: ubuntu-latest-4-cores\n");
  }

  @Test
  void withoutALadderGithubMemoryIsAdvice() throws Exception {
    Plan p =
        plan(
            new IncreaseMemory(List.of()),
            Map.of(".github/workflows/ci.yml", WORKFLOW),
            Map.of("alternative", "reduce_parallelism"));
    assertThat(p.action()).isEqualTo(Plans.SUGGESTION);
    assertThat(p.summary()).contains("fewer parallel workers").contains("PITCREW_RUNNER_LADDER");
  }

  @Test
  void addsOneCleanupStepAtTheStartOfTheJob() throws Exception {
    Plan p = plan(new FreeDisk(), Map.of(".github/workflows/ci.yml", WORKFLOW), Map.of());
    String after = after(p, ".github/workflows/ci.yml");
    assertThat(after)
        .contains("    steps:\n      - name: Free disk space (pitcrew)\n        run: sudo rm -rf");
    assertThat(after).contains("      - uses: actions/checkout@v4\n");
    assertThat(p.fileChanges().get(0).diff().lines().filter(l -> l.startsWith("+ ")).count())
        .isEqualTo(2);
  }

  private Plan diskPlan(String evidence, Map<String, String> files) throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit("ci", files);
    }
    var base = Fixtures.diagnosis(Category.RESOURCE, RiskLevel.LOW, "free_disk", Map.of());
    var d =
        new dev.pitcrew.diagnosis.Diagnosis(
            base.file(),
            base.category(),
            base.rootCause(),
            base.confidence(),
            base.riskLevel(),
            base.remediationStrategy(),
            base.remediationParams(),
            base.playbookId(),
            base.analyzer(),
            List.of(new dev.pitcrew.diagnosis.Evidence(40, evidence)),
            base.explanation(),
            base.error(),
            base.notes());
    RecordingForge forge = new RecordingForge();
    forge.runnerPaths =
        Map.of(
            "RUNNER_TOOL_CACHE", "/opt/hostedtoolcache",
            "RUNNER_TEMP", "/home/runner/work/_temp",
            "GITHUB_WORKSPACE", "/home/runner/work/app/app");
    return new FreeDisk().plan(d, Fixtures.context(forge, 1, dir), RepoFiles.of(dir)).orElseThrow();
  }

  @Test
  void clearsTheCacheFolderTheFullDiskLineNames() throws Exception {
    Plan p =
        diskPlan(
            "cp: error writing '/opt/hostedtoolcache/build-cache/objects.pack': No space left on"
                + " device",
            Map.of(".github/workflows/ci.yml", WORKFLOW));
    String after = after(p, ".github/workflows/ci.yml");
    assertThat(after)
        .contains(
            "    steps:\n"
                + "      - name: Clear the full cache $RUNNER_TOOL_CACHE/build-cache (pitcrew)\n"
                + "        run: rm -rf \"$RUNNER_TOOL_CACHE/build-cache\"\n"
                + "      - uses: actions/checkout@v4\n");
    assertThat(after).doesNotContain("sudo").doesNotContain("/opt/hostedtoolcache");
    assertThat(p.params().get("pr_body"))
        .contains("The write that failed was /opt/hostedtoolcache/build-cache/objects.pack");
  }

  @Test
  void clearsAnUntrackedCacheInTheWorkspaceButNeverATrackedFolder() throws Exception {
    Plan cache =
        diskPlan(
            "OSError: [Errno 28] No space left on device: '/home/runner/work/app/app/.cache/pip/x.whl'",
            Map.of(".github/workflows/ci.yml", WORKFLOW));
    assertThat(after(cache, ".github/workflows/ci.yml"))
        .contains("run: rm -rf \"$GITHUB_WORKSPACE/.cache\"");

    Plan tracked =
        diskPlan(
            "error: could not write /home/runner/work/app/app/.cache/out.bin: No space left on device",
            Map.of(".github/workflows/ci.yml", WORKFLOW, ".cache/keep.txt", "tracked"));
    assertThat(after(tracked, ".github/workflows/ci.yml"))
        .as("a tracked folder is source, not cache: the generic cleanup instead")
        .doesNotContain("rm -rf \"$GITHUB_WORKSPACE")
        .contains("Free disk space (pitcrew)");
  }

  @Test
  void neverTargetsHomeRootOrPathsOutsideTheRunnerPlaces() throws Exception {
    for (String line :
        List.of(
            "OSError: [Errno 28] No space left on device: '/home/runner/.cache/pip/x'",
            "tar: /: Cannot write: No space left on device",
            "write /opt/hostedtoolcache/objects.pack: no space left on device",
            "cp: error writing '/opt/hostedtoolcache/../../etc/x/y': No space left on device",
            "ENOSPC: no space left on device, write '/tmp/x/y'")) {
      List<String> notes = new java.util.ArrayList<>();
      var d =
          new dev.pitcrew.diagnosis.Diagnosis(
              "job.log",
              Category.RESOURCE,
              "disk",
              0.9,
              RiskLevel.LOW,
              "free_disk",
              Map.of(),
              java.util.Optional.empty(),
              "rules",
              List.of(new dev.pitcrew.diagnosis.Evidence(1, line)),
              "",
              java.util.Optional.empty(),
              List.of());
      assertThat(
              FreeDisk.target(
                  d,
                  Map.of(
                      "RUNNER_TOOL_CACHE", "/opt/hostedtoolcache",
                      "GITHUB_WORKSPACE", "/home/runner/work/app/app"),
                  RepoFiles.of(dir),
                  notes))
          .as(line)
          .isEmpty();
    }
  }
}
