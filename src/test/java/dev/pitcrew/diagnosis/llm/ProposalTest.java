package dev.pitcrew.diagnosis.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import org.junit.jupiter.api.Test;

class ProposalTest {
  static final String OK =
      """
      {"root_cause": "Missing dependency: requests", "category": "dependency", "risk_level": "low",
       "remediation_strategy": "add_dependency", "remediation_params": {"package": "requests", "version": 2},
       "confidence": 0.95, "explanation": "ModuleNotFoundError",
       "evidence": [{"line": 12, "text": "ModuleNotFoundError: No module named 'requests'"}]}
      """;

  @Test
  void parsesTheDiagnosisFields() throws Exception {
    Proposal p = Proposal.parse(OK);
    assertThat(p.category()).isEqualTo(Category.DEPENDENCY);
    assertThat(p.riskLevel()).isEqualTo(RiskLevel.LOW);
    assertThat(p.remediationStrategy()).isEqualTo("add_dependency");
    assertThat(p.remediationParams())
        .containsEntry("package", "requests")
        .containsEntry("version", "2");
    assertThat(p.confidence()).isEqualTo(0.95);
    assertThat(p.evidence())
        .containsExactly(new Evidence(12, "ModuleNotFoundError: No module named 'requests'"));
  }

  @Test
  void acceptsAMarkdownFence() throws Exception {
    assertThat(Proposal.parse("```json\n" + OK + "\n```").category())
        .isEqualTo(Category.DEPENDENCY);
  }

  @Test
  void saysWhatIsWrongWithAMalformedAnswer() {
    assertThatThrownBy(() -> Proposal.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Proposal.parse("{\"root_cause\": "))
        .hasMessageContaining("no JSON object");
    assertThatThrownBy(() -> Proposal.parse(OK.replace("\"dependency\",", "\"weather\",")))
        .hasMessageContaining("unknown category 'weather'");
    assertThatThrownBy(() -> Proposal.parse(OK.replace("0.95", "1.5")))
        .hasMessageContaining("confidence must be a number from 0 to 1");
    assertThatThrownBy(
            () ->
                Proposal.parse(
                    OK.replace("{\"package\": \"requests\", \"version\": 2}", "{\"p\": [1]}")))
        .hasMessageContaining("remediation_params.p must be a string or number");
    assertThatThrownBy(() -> Proposal.parse(OK.replace("\"line\": 12", "\"line\": \"twelve\"")))
        .hasMessageContaining("integer 'line'");
    assertThatThrownBy(() -> Proposal.parse(OK.replace("\"root_cause\"", "\"cause\"")))
        .hasMessageContaining("lacks 'root_cause'");
  }
}
