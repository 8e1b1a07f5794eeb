package dev.pitcrew.remediation.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPipelineTest {
  private final RetryPipeline retry = new RetryPipeline(Backoff.DEFAULT);

  @Test
  void backsOffOneTwoFourMinutes() {
    assertThat(Backoff.DEFAULT.before(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(Backoff.DEFAULT.before(2)).isEqualTo(Duration.ofMinutes(2));
    assertThat(Backoff.DEFAULT.before(3)).isEqualTo(Duration.ofMinutes(4));
    assertThat(Backoff.DEFAULT.exhausted(3)).isFalse();
    assertThat(Backoff.DEFAULT.exhausted(4)).isTrue();
  }

  @Test
  void plansARerunWithTheBackoffForTheCallerAndNoSideEffects() throws Exception {
    RecordingForge forge = new RecordingForge();
    RemediationContext ctx = Fixtures.context(forge, 2, null);
    var d = Fixtures.diagnosis(Category.INFRASTRUCTURE, RiskLevel.LOW, "retry_pipeline", Map.of());
    Plan plan = retry.plan(d, ctx, RepoFiles.of(ctx)).orElseThrow();
    assertThat(plan.action()).isEqualTo("retry_pipeline");
    assertThat(plan.params()).containsEntry("backoff_seconds", "120").containsEntry("attempt", "2");
    assertThat(plan.summary()).contains("after 2 minutes").contains("attempt 2 of 3");
    assertThat(plan.fileChanges()).isEmpty();
    assertThat(forge.calls).isEmpty();
  }

  @Test
  void neverPlansARetryForACodeDefect() throws Exception {
    RecordingForge forge = new RecordingForge();
    RemediationContext ctx = Fixtures.context(forge, 1, null);
    var d = Fixtures.diagnosis(Category.CODE, RiskLevel.LOW, "retry_pipeline", Map.of());
    assertThat(retry.plan(d, ctx, RepoFiles.of(ctx))).isEmpty();
  }

  @Test
  void escalatesAnInfrastructureFailureAfterTheThirdAttempt() throws Exception {
    RecordingForge forge = new RecordingForge();
    RemediationContext ctx = Fixtures.context(forge, 4, null);
    var d = Fixtures.diagnosis(Category.INFRASTRUCTURE, RiskLevel.LOW, "retry_pipeline", Map.of());
    Plan plan = retry.plan(d, ctx, RepoFiles.of(ctx)).orElseThrow();
    assertThat(plan.action()).isEqualTo("escalate");
    assertThat(plan.forgeCalls()).singleElement().asString().contains("incident issue");
    Outcome first = new Escalate().apply(plan, ctx);
    Outcome again = new Escalate().apply(plan, ctx);
    assertThat(first.detail()).isEqualTo(again.detail());
    assertThat(forge.issues).hasSize(1);
  }

  @Test
  void afterTheThirdAttemptAFlakyTestBecomesAdviceNotAnotherRetry() throws Exception {
    RemediationContext ctx = Fixtures.context(new RecordingForge(), 4, null);
    var d = Fixtures.diagnosis(Category.TEST, RiskLevel.LOW, "retry_pipeline", Map.of());
    Plan plan = retry.plan(d, ctx, RepoFiles.of(ctx)).orElseThrow();
    assertThat(plan.action()).isEqualTo(Plans.SUGGESTION);
    assertThat(plan.forgeCalls()).isEmpty();
  }

  @Test
  void applyReRunsOnceEvenWhenRetried() throws Exception {
    RecordingForge forge = new RecordingForge();
    RemediationContext ctx = Fixtures.context(forge, 1, null);
    var d = Fixtures.diagnosis(Category.INFRASTRUCTURE, RiskLevel.LOW, "retry_pipeline", Map.of());
    Plan plan = retry.plan(d, ctx, RepoFiles.of(ctx)).orElseThrow();
    Outcome first = retry.apply(plan, ctx);
    Outcome second = retry.apply(plan, ctx);
    assertThat(first.status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(first.newRun()).isPresent();
    assertThat(second.status()).isEqualTo(Outcome.Status.NOTHING_TO_DO);
    assertThat(forge.calls).containsExactly("rerun 42");
  }
}
