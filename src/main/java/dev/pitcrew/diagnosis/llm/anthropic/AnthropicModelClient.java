package dev.pitcrew.diagnosis.llm.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import dev.pitcrew.diagnosis.llm.LlmConfig;
import dev.pitcrew.diagnosis.llm.ModelClient;
import dev.pitcrew.diagnosis.llm.ModelException;
import dev.pitcrew.diagnosis.llm.Prompt;

/**
 * Claude through Anthropic's official Java SDK (the Messages API). Retries are Pitcrew's own (the
 * SDK's are switched off) so that one policy governs backoff and the circuit breaker; the API key
 * and base URL come from {@link LlmConfig}, never from the SDK's own environment lookup.
 */
public final class AnthropicModelClient implements ModelClient {
  private final AnthropicClient client;
  private final String model;
  private final long maxTokens;

  public AnthropicModelClient(LlmConfig config) {
    AnthropicOkHttpClient.Builder b =
        AnthropicOkHttpClient.builder()
            .apiKey(config.apiKey().orElseThrow())
            .timeout(config.timeout())
            .maxRetries(0);
    config.baseUrl().ifPresent(b::baseUrl);
    this.client = b.build();
    this.model = config.model();
    this.maxTokens = config.maxOutputTokens();
  }

  @Override
  public String describe() {
    return "anthropic/" + model;
  }

  @Override
  public Reply complete(Prompt prompt) throws ModelException {
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model(model)
            .maxTokens(maxTokens)
            .system(prompt.system())
            .addUserMessage(prompt.user())
            .build();
    try {
      Message m = client.messages().create(params);
      StringBuilder text = new StringBuilder();
      for (ContentBlock block : m.content()) {
        block.text().ifPresent(t -> text.append(t.text()));
      }
      return new Reply(text.toString(), m.usage().inputTokens(), m.usage().outputTokens());
    } catch (AnthropicServiceException e) {
      int status = e.statusCode();
      throw new ModelException(
          "Anthropic API answered HTTP "
              + status
              + e.errorType().map(t -> " (" + t + ")").orElse(""),
          status,
          ModelException.retryableStatus(status) && !spendLimit(e),
          e);
    } catch (AnthropicIoException e) {
      throw new ModelException("Anthropic API unreachable: " + e.getMessage(), 0, true, e);
    } catch (AnthropicException e) {
      throw new ModelException("Anthropic API call failed: " + e.getMessage(), 0, false, e);
    }
  }

  // a spend limit does not lift with a retry (threat model R6: no retries, tell a person)
  private static boolean spendLimit(AnthropicServiceException e) {
    return e.apiMessage().map(m -> m.toLowerCase().contains("spend")).orElse(false);
  }
}
