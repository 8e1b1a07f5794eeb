package dev.pitcrew.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetCiVariableTest {
  @TempDir Path dir;
  private final SetCiVariable action =
      new SetCiVariable(SafeDefaults.fromEnv("LOG_LEVEL=WARN, APP_ENV=test"));

  private Plan plan(RecordingForge forge, String variable) throws Exception {
    var d =
        Fixtures.diagnosis(
            Category.ENVIRONMENT, RiskLevel.MEDIUM, "set_ci_variable", Map.of("name", variable));
    RemediationContext ctx = Fixtures.context(forge, 1, null);
    return action.plan(d, ctx, RepoFiles.of(ctx)).orElseThrow();
  }

  @Test
  void setsAMissingVariableFromTheSafeDefaultsOnceAndRecordsTheRollback() throws Exception {
    RecordingForge forge = new RecordingForge();
    Plan p = plan(forge, "TZ");
    assertThat(p.forgeCalls()).singleElement().asString().contains("TZ=UTC").contains("rollback");
    assertThat(forge.calls).isEmpty();
    RemediationContext ctx = Fixtures.context(forge, 1, null);
    Outcome o = action.apply(p, ctx);
    Outcome again = action.apply(p, ctx);
    assertThat(o.detail()).contains("rollback is deleting it").contains("re-ran");
    assertThat(o.newRun()).isPresent();
    assertThat(o.newRun().orElseThrow().attempt()).isEqualTo(ctx.run().ref().attempt() + 1);
    assertThat(again.status()).isEqualTo(Outcome.Status.NOTHING_TO_DO);
    assertThat(again.newRun()).isEmpty();
    assertThat(forge.variables).containsExactly(Map.entry("TZ", "UTC"));
    assertThat(forge.calls).containsExactly("set TZ", "rerun " + ctx.run().ref().runId());
  }

  @Test
  void aValueSetByAnEarlierAttemptStillGetsItsVerifyingRunButOnlyOnce() throws Exception {
    RecordingForge forge = new RecordingForge();
    Plan p = plan(forge, "TZ");
    forge.variables.put("TZ", "UTC");
    RemediationContext ctx = Fixtures.context(forge, 1, null);
    Outcome o = action.apply(p, ctx);
    Outcome again = action.apply(p, ctx);
    assertThat(o.status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(o.newRun()).isPresent();
    assertThat(again.status()).isEqualTo(Outcome.Status.NOTHING_TO_DO);
    assertThat(forge.calls).containsExactly("rerun " + ctx.run().ref().runId());
  }

  @Test
  void theConfiguredTableOverridesAndExtendsTheBuiltIns() throws Exception {
    assertThat(plan(new RecordingForge(), "LOG_LEVEL").params()).containsEntry("value", "WARN");
    assertThat(plan(new RecordingForge(), "APP_ENV").params()).containsEntry("value", "test");
  }

  @Test
  void aVariableWithoutASafeDefaultIsForAPerson() throws Exception {
    for (String v : new String[] {"DATABASE_URL", "NODE_OPTIONS", "DEPLOY_TOKEN"}) {
      Plan p = plan(new RecordingForge(), v);
      assertThat(p.action()).isEqualTo(Plans.SUGGESTION);
      assertThat(p.summary()).contains("a person sets it");
    }
  }

  @Test
  void neverOverwritesAVariableThatIsAlreadySet() throws Exception {
    RecordingForge forge = new RecordingForge();
    forge.variables.put("TZ", "Europe/Paris");
    assertThat(plan(forge, "TZ").action()).isEqualTo(Plans.SUGGESTION);
  }

  @Test
  void readsTheTableFromAFileAndRejectsUnsafeValues() throws Exception {
    Path f = dir.resolve("defaults.properties");
    Files.writeString(f, "# ours\nFEATURE_FLAGS=none\n");
    assertThat(SafeDefaults.fromEnv(f.toString()).valueOf("FEATURE_FLAGS")).contains("none");
    assertThatThrownBy(() -> SafeDefaults.fromEnv("NODE_OPTIONS=--require /tmp/x;rm"))
        .hasMessageContaining("characters Pitcrew will not set");
  }
}
