package dev.pitcrew.diagnosis.llm;

/**
 * A language model behind some API. It gets a finished, redacted prompt and returns the model's
 * text; it has no tools and never sees anything but the prompt. Transport failures come back as
 * {@link ModelException}, never from deep inside the analysis.
 */
public interface ModelClient {
  /** The provider and model, for notes and stats, such as {@code anthropic/claude-sonnet-4-5}. */
  String describe();

  Reply complete(Prompt prompt) throws ModelException;

  /** The model's answer text and what it cost. */
  record Reply(String text, long inputTokens, long outputTokens) {}
}
