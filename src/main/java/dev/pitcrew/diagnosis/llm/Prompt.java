package dev.pitcrew.diagnosis.llm;

import java.util.List;
import java.util.Map;

/**
 * A prompt ready to send: already redacted and within the token budget.
 *
 * @param version the prompt template version (the resource files' suffix)
 * @param system the instructions
 * @param user the pipeline facts and the wrapped, untrusted log excerpt
 * @param estimatedTokens the estimated input size (characters / 4)
 * @param shownLines the log lines the model was shown, by line number, as sent (redacted)
 * @param redactions the kinds of secret masked in what was sent, one entry per mask
 * @param fingerprint identifies the failure, so that the same failure on many jobs costs one call
 */
public record Prompt(
    String version,
    String system,
    String user,
    int estimatedTokens,
    Map<Integer, String> shownLines,
    List<String> redactions,
    String fingerprint) {
  public Prompt {
    shownLines = Map.copyOf(shownLines);
    redactions = List.copyOf(redactions);
  }
}
