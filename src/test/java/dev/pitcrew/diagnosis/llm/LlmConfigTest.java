package dev.pitcrew.diagnosis.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmConfigTest {
  @Test
  void offWithoutAnyKey() {
    assertThat(LlmConfig.fromEnv(Map.of()).enabled()).isFalse();
  }

  @Test
  void anthropicWhenItsKeyIsSetAndTheKeyNeverShows() {
    LlmConfig c =
        LlmConfig.fromEnv(
            Map.of(
                "ANTHROPIC_API_KEY", "sk-ant-secret", "ANTHROPIC_BASE_URL", "http://127.0.0.1:1"));
    assertThat(c.provider()).isEqualTo(LlmConfig.Provider.ANTHROPIC);
    assertThat(c.model()).isEqualTo(LlmConfig.DEFAULT_ANTHROPIC_MODEL);
    assertThat(c.baseUrl()).hasValue("http://127.0.0.1:1");
    assertThat(c.maxInputTokens()).isEqualTo(8000);
    assertThat(c.toString()).doesNotContain("sk-ant-secret");
  }

  @Test
  void offWinsOverAKey() {
    assertThat(LlmConfig.fromEnv(Map.of("PITCREW_LLM", "off", "ANTHROPIC_API_KEY", "k")).enabled())
        .isFalse();
  }

  @Test
  void openAiCompatibleNeedsAUrlAndAModel() {
    assertThatThrownBy(() -> LlmConfig.fromEnv(Map.of("PITCREW_LLM", "openai")))
        .hasMessageContaining("needs PITCREW_LLM_BASE_URL");
    assertThatThrownBy(
            () ->
                LlmConfig.fromEnv(
                    Map.of(
                        "PITCREW_LLM",
                        "openai",
                        "PITCREW_LLM_BASE_URL",
                        "http://localhost:11434/v1")))
        .hasMessageContaining("needs PITCREW_LLM_MODEL");
    LlmConfig c =
        LlmConfig.fromEnv(
            Map.of(
                "PITCREW_LLM_BASE_URL", "http://localhost:11434/v1",
                "PITCREW_LLM_MODEL", "llama3.1",
                "PITCREW_LLM_MAX_INPUT_TOKENS", "4000"));
    assertThat(c.provider()).isEqualTo(LlmConfig.Provider.OPENAI);
    assertThat(c.maxInputTokens()).isEqualTo(4000);
  }

  @Test
  void badNumbersSayTheRange() {
    assertThatThrownBy(
            () ->
                LlmConfig.fromEnv(
                    Map.of("ANTHROPIC_API_KEY", "k", "PITCREW_LLM_MAX_INPUT_TOKENS", "lots")))
        .hasMessageContaining(
            "PITCREW_LLM_MAX_INPUT_TOKENS='lots' must be a whole number from 500");
    assertThatThrownBy(() -> LlmConfig.fromEnv(Map.of("PITCREW_LLM", "anthropic")))
        .hasMessageContaining("needs ANTHROPIC_API_KEY");
  }
}
