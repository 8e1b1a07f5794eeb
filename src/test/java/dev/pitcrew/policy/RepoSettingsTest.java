package dev.pitcrew.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.diagnosis.RiskLevel;
import org.junit.jupiter.api.Test;

class RepoSettingsTest {
  @Test
  void anEmptyFileMeansTheDefaults() {
    assertThat(RepoSettings.parse("")).isEqualTo(RepoSettings.DEFAULT);
  }

  @Test
  void requireApprovalCanOnlyTighten() {
    assertThat(RepoSettings.parse("remediation: {require_approval: none}").approvalFrom())
        .contains(RiskLevel.HIGH);
    assertThat(RepoSettings.parse("remediation: {require_approval: medium}").approvalFrom())
        .contains(RiskLevel.MEDIUM);
  }

  @Test
  void aBadValueNamesTheKeyAndTheChoices() {
    assertThatThrownBy(() -> RepoSettings.parse("remediation: {require_approval: sometimes}"))
        .hasMessage(
            ".pitcrew.yml: remediation.require_approval is 'sometimes'; use high, medium or all");
    assertThatThrownBy(() -> RepoSettings.parse("enabled: perhaps"))
        .hasMessageContaining("'enabled' must be true or false");
    assertThatThrownBy(() -> RepoSettings.parse("remediation: {deny_actions: retry_pipeline}"))
        .hasMessageContaining("must be a list");
  }
}
