package dev.pitcrew.diagnosis.llm.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.Timeout;
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
  private final java.time.Duration timeout;

  public AnthropicModelClient(LlmConfig config) {
    AnthropicOkHttpClient.Builder b =
        AnthropicOkHttpClient.builder()
            .apiKey(config.apiKey().orElseThrow())
            .timeout(
                Timeout.builder()
                    .connect(config.timeout())
                    .read(config.timeout())
                    .write(config.timeout())
                    .request(config.timeout())
                    .build())
            .maxRetries(0);
    config.baseUrl().ifPresent(b::baseUrl);
    this.client = b.build();
    this.model = config.model();
    this.maxTokens = config.maxOutputTokens();
    this.timeout = config.timeout();
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
      Message m = withDeadline(() -> client.messages().create(params));
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

  /**
   * Runs the call with a hard deadline: the SDK's own timeouts are set too, but a deadline here
   * guarantees that a hung endpoint costs at most the configured time.
   */
  private Message withDeadline(java.util.concurrent.Callable<Message> call) throws ModelException {
    java.util.concurrent.Future<Message> f = DEADLINES.submit(call);
    try {
      return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      throw new ModelException("Anthropic API did not answer within " + timeout, 0, true, e);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new ModelException("interrupted while waiting for Anthropic API", 0, false, e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof AnthropicException ae) {
        throw ae;
      }
      throw new ModelException("Anthropic API call failed: " + e.getCause(), 0, false, e);
    }
  }

  private static final java.util.concurrent.ExecutorService DEADLINES =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  // a spend limit does not lift with a retry (threat model R6: no retries, tell a person)
  private static boolean spendLimit(AnthropicServiceException e) {
    return e.apiMessage().map(m -> m.toLowerCase().contains("spend")).orElse(false);
  }
}
