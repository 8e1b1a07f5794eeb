package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remediation settings come from the layered configuration, not only the environment. */
class CliContextTest {
  @TempDir Path dir;

  private static Diagnosis missing(String variable) {
    return new Diagnosis(
        "job.log",
        Category.ENVIRONMENT,
        variable + " is not set",
        0.9,
        RiskLevel.LOW,
        "set_ci_variable",
        Map.of("variable", variable),
        Optional.of("pb-env-missing-variable"),
        "rules",
        List.of(new Evidence(3, "KeyError: '" + variable + "'")),
        "The job reads a variable that is not set.",
        Optional.empty(),
        List.of());
  }

  private static Plan plan(CliContext ctx, String variable, Path checkout) throws Exception {
    var forge = new OfflineForge();
    var repo = new dev.pitcrew.forge.RepoRef(dev.pitcrew.forge.Provider.LOCAL, "local", "acme/app");
    var ref = new dev.pitcrew.forge.RunRef(repo, "1", 1);
    var run =
        new dev.pitcrew.forge.Run(
            ref, "main", "sha", null, "failed", "", java.time.Instant.EPOCH, null, null);
    RemediationContext rc =
        new RemediationContext(forge, repo, run, 1, Optional.of(checkout), "inc-1");
    return ctx.registry()
        .action("set_ci_variable")
        .orElseThrow()
        .plan(missing(variable), rc, RepoFiles.of(checkout))
        .orElseThrow();
  }

  @Test
  void safeDefaultsComeFromPitcrewYmlAndDotEnvWithTheEnvironmentWinning() throws Exception {
    Files.writeString(
        dir.resolve("pitcrew.yml"),
        "safe_defaults: \"FEATURE_MODE=strict,REGION=eu\"\nkill_switch: true\n");
    Path checkout = Files.createDirectory(dir.resolve("app"));

    CliContext fromYml = new CliContext(Map.of(), dir);
    Plan strict = plan(fromYml, "FEATURE_MODE", checkout);
    assertThat(strict.params()).containsEntry("value", "strict");
    assertThat(fromYml.riskPolicy().judge(missing("FEATURE_MODE"), strict, 1).decision())
        .isEqualTo(dev.pitcrew.policy.Verdict.Decision.DENY);

    Files.writeString(dir.resolve(".env"), "PITCREW_SAFE_DEFAULTS=FEATURE_MODE=lenient\n");
    CliContext fromDotEnv = new CliContext(Map.of(), dir);
    assertThat(plan(fromDotEnv, "FEATURE_MODE", checkout).params())
        .containsEntry("value", "lenient");

    CliContext fromEnv =
        new CliContext(
            Map.of("PITCREW_SAFE_DEFAULTS", "FEATURE_MODE=off", "PITCREW_KILL_SWITCH", "false"),
            dir);
    Plan off = plan(fromEnv, "FEATURE_MODE", checkout);
    assertThat(off.params()).containsEntry("value", "off");
    assertThat(fromEnv.riskPolicy().judge(missing("FEATURE_MODE"), off, 1).decision())
        .isNotEqualTo(dev.pitcrew.policy.Verdict.Decision.DENY);

    // without any table entry the variable is asked of a person
    CliContext none = new CliContext(Map.of(), Files.createDirectory(dir.resolve("empty")));
    assertThat(plan(none, "FEATURE_MODE", checkout).action()).isEqualTo("notify_developer");
  }
}
