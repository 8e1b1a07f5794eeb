package dev.pitcrew.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.rules.RuleEngine;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.forge.local.LocalForge;
import dev.pitcrew.playbook.PlaybookLoader;
import dev.pitcrew.policy.RepoSettings;
import dev.pitcrew.policy.RiskPolicy;
import dev.pitcrew.policy.StandardRiskPolicy;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RemediationRegistry;
import dev.pitcrew.remediation.Remediations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The chaos lab as a test: every shipped scenario's pipeline really runs on the local forge and
 * really fails, the real diagnoser names the expected category, playbook and action from the
 * captured log, and the scenario's reference fix, applied through the forge, makes the next run
 * pass. {@code make lab} runs this alone.
 */
class LabScenariosIT {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  private static Path labDir;
  private static LocalForge forge;
  private static Lab lab;
  private static final Map<String, Result> RESULTS = new LinkedHashMap<>();
  private static final RemediationRegistry REMEDIATION = Remediations.standard(Map.of());

  /** What happened to one scenario. */
  record Result(
      Scenario scenario,
      Run failed,
      String log,
      Diagnosis diagnosis,
      Optional<Plan> plan,
      Verdict verdict,
      Run afterFix,
      String afterFixLog,
      double seconds) {}

  @BeforeAll
  static void runEveryScenario() throws Exception {
    labDir = Files.createTempDirectory("pitcrew-lab-it");
    forge = new LocalForge(labDir, Lab.runnerOptions(LocalForge.Options.defaults()));
    lab = new Lab(forge);
    PlaybookLoader.Result playbooks = PlaybookLoader.loadDefault(List.of());
    assertThat(playbooks.errors()).isEmpty();
    Diagnoser diagnoser = new Diagnoser(new RuleEngine(playbooks.catalog()), List.of());

    List<Lab.Prepared> prepared = new ArrayList<>();
    List<List<RunRef>> started = new ArrayList<>();
    long t0 = System.nanoTime();
    for (Scenario s : ScenarioCatalog.shipped()) {
      Lab.Prepared p = lab.prepare(s);
      prepared.add(p);
      started.add(lab.start(p));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Result>> futures = new ArrayList<>();
    for (int i = 0; i < prepared.size(); i++) {
      Lab.Prepared p = prepared.get(i);
      List<RunRef> refs = started.get(i);
      futures.add(pool.submit(() -> runScenario(p, refs, diagnoser)));
    }
    for (Future<Result> f : futures) {
      Result r = f.get();
      RESULTS.put(r.scenario().name(), r);
    }
    pool.shutdown();
    System.out.printf(
        "lab: %d scenarios in %.1f s%n", RESULTS.size(), (System.nanoTime() - t0) / 1e9);
    for (Result r : RESULTS.values()) {
      System.out.printf(
          "  %-32s expected %-14s diagnosed %-14s %-34s %-24s plan %-24s %-6s after fix: %s"
              + " (%.1f s)%n",
          r.scenario().name(),
          r.scenario().expectedCategory().wire(),
          r.diagnosis().category().wire(),
          r.diagnosis().playbookId().orElse("-"),
          r.diagnosis().remediationStrategy(),
          r.plan().map(Plan::action).orElse("-"),
          r.verdict().decision(),
          r.afterFix().outcome(),
          r.seconds());
    }
  }

  private static Result runScenario(Lab.Prepared p, List<RunRef> refs, Diagnoser diagnoser)
      throws Exception {
    long t0 = System.nanoTime();
    assertThat(refs).as(p.scenario().name() + " starts one pipeline").hasSize(1);
    Run failed = forge.awaitCompletion(refs.get(0), RUN_TIMEOUT);
    List<Forge.JobLog> logs = forge.failedJobLogs(failed.ref());
    String log = logs.isEmpty() ? "" : read(logs.get(0));
    Diagnosis d =
        logs.isEmpty()
            ? Diagnosis.unreadable(p.scenario().name(), "no failed job")
            : diagnoser.diagnose(logs.get(0).log(), Optional.empty());
    // Pitcrew's own plan for the failure, judged by the risk policy with the repository's
    // .pitcrew.yml, exactly as the service would plan it (files read through the forge)
    RemediationContext ctx =
        new RemediationContext(
            forge, p.repo(), failed, 1, Optional.empty(), "lab-" + p.scenario().name());
    Optional<Plan> plan = REMEDIATION.plan(d, ctx);
    RiskPolicy policy =
        new StandardRiskPolicy(RepoSettings.DEFAULT)
            .forRepository(forge.fileContent(p.repo(), RepoSettings.FILE, failed.sha()).orElse(""));
    Verdict verdict =
        plan.map(pl -> policy.judge(d, pl, 1))
            .orElse(new Verdict(Verdict.Decision.DENY, "no plan"));
    Run after = lab.applyReferenceFix(p, failed, RUN_TIMEOUT);
    String afterLog = after.jobs().isEmpty() ? "" : read(forge.jobLog(after.jobs().get(0).ref()));
    return new Result(
        p.scenario(),
        failed,
        log,
        d,
        plan,
        verdict,
        after,
        afterLog,
        (System.nanoTime() - t0) / 1e9);
  }

  private static String read(Forge.JobLog log) throws IOException {
    return read(log.log());
  }

  private static String read(dev.pitcrew.logs.LogSource s) throws IOException {
    try (InputStream in = s.open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
    if (forge != null) {
      forge.close();
    }
  }

  @Test
  void theLabCoversEveryFixableCategoryAndSomeCodeDefects() {
    List<Scenario> all = ScenarioCatalog.shipped();
    assertThat(all).hasSizeGreaterThanOrEqualTo(12);
    assertThat(all.stream().map(Scenario::expectedCategory).distinct())
        .contains(
            Category.DEPENDENCY,
            Category.ENVIRONMENT,
            Category.TEST,
            Category.RESOURCE,
            Category.INFRASTRUCTURE);
    assertThat(all.stream().filter(s -> s.expectedCategory() == Category.CODE))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(s -> assertThat(s.autoFix()).isFalse());
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioFailsForItsReasonAndItsFixMakesThePipelinePass() {
    return RESULTS.values().stream()
        .map(r -> DynamicTest.dynamicTest(r.scenario().name(), () -> check(r)));
  }

  private static void check(Result r) {
    Scenario s = r.scenario();
    assertThat(r.failed().outcome())
        .as(s.name() + ": the injected failure fails the pipeline\n" + r.log())
        .isEqualTo("failed");
    assertThat(r.afterFix().outcome())
        .as(s.name() + ": the reference fix makes the pipeline pass\n" + r.afterFixLog())
        .isEqualTo("passed");
    Diagnosis d = r.diagnosis();
    String seen =
        s.name()
            + ": diagnosed "
            + d.category().wire()
            + " by "
            + d.playbookId().orElse("no playbook")
            + " ("
            + d.remediationStrategy()
            + ") on "
            + d.evidence();
    assertThat(d.evidence()).as(seen).isNotEmpty();
    assertThat(r.log().lines().toList())
        .as("the evidence is a line of the log")
        .anySatisfy(l -> assertThat(l).contains(d.evidence().get(0).text()));
    boolean asExpected =
        d.category() == s.expectedCategory()
            && s.expectedPlaybook().map(pb -> d.playbookId().equals(Optional.of(pb))).orElse(true)
            && d.remediationStrategy().equals(s.expectedAction());
    if (s.awaitingPlaybook().isPresent()) {
      // the failure is real and fixable (asserted above); the diagnosis waits for its playbook
      Assumptions.assumeTrue(
          asExpected, s.name() + " awaits a playbook: " + s.awaitingPlaybook().get() + "; " + seen);
    }
    assertThat(d.category()).as(seen + "\n" + r.log()).isEqualTo(s.expectedCategory());
    s.expectedPlaybook().ifPresent(pb -> assertThat(d.playbookId()).as(seen).contains(pb));
    assertThat(d.remediationStrategy()).as(seen).isEqualTo(s.expectedAction());
    if (s.autoFix()) {
      // the fix is one Pitcrew makes and may apply on its own: a plan of the expected action
      // (not advice for a person) that the risk policy lets through without waiting
      assertThat(r.plan())
          .as(seen + ": Pitcrew plans a fix")
          .hasValueSatisfying(
              pl ->
                  assertThat(pl.action())
                      .as(seen + ": " + pl.summary())
                      .isEqualTo(s.expectedAction()));
      assertThat(r.verdict().decision())
          .as(seen + ": " + r.verdict().reason())
          .isIn(Verdict.Decision.ALLOW, Verdict.Decision.NOTIFY);
    } else {
      assertThat(r.plan()).as(s.name() + ": a code defect gets no plan").isEmpty();
      assertThat(r.verdict().decision()).isEqualTo(Verdict.Decision.DENY);
    }
  }
}
