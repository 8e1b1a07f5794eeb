package dev.pitcrew.diagnosis.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.diagnosis.llm.LlmConfig;
import dev.pitcrew.diagnosis.llm.ModelClient;
import dev.pitcrew.diagnosis.llm.ModelException;
import dev.pitcrew.diagnosis.llm.Prompt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Any OpenAI-compatible chat-completions endpoint (Ollama, vLLM, LM Studio, a corporate gateway)
 * over {@code java.net.http}: one POST to {@code BASE_URL/chat/completions}, JSON mode requested,
 * the answer read from {@code choices[0].message.content}.
 */
public final class OpenAiCompatibleClient implements ModelClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient http;
  private final URI endpoint;
  private final String model;
  private final String apiKey;
  private final int maxTokens;
  private final Duration timeout;

  public OpenAiCompatibleClient(LlmConfig config) {
    String base = config.baseUrl().orElseThrow();
    this.endpoint =
        URI.create(base.endsWith("/") ? base + "chat/completions" : base + "/chat/completions");
    this.model = config.model();
    this.apiKey = config.apiKey().orElse(null);
    this.maxTokens = config.maxOutputTokens();
    this.timeout = config.timeout();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(Math.min(10, timeout.toSeconds())))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String describe() {
    return "openai-compatible/" + model;
  }

  @Override
  public Reply complete(Prompt prompt) throws ModelException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("model", model);
    body.put("max_tokens", maxTokens);
    body.put("temperature", 0);
    body.putObject("response_format").put("type", "json_object");
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", prompt.system());
    messages.addObject().put("role", "user").put("content", prompt.user());
    HttpRequest.Builder req =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (apiKey != null) {
      req.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> res;
    try {
      res = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new ModelException("the model endpoint did not answer within " + timeout, 0, true, e);
    } catch (IOException e) {
      throw new ModelException("the model endpoint is unreachable: " + e.getMessage(), 0, true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException("interrupted while waiting for the model", 0, false, e);
    }
    int status = res.statusCode();
    if (status / 100 != 2) {
      throw new ModelException(
          "the model endpoint answered HTTP " + status,
          status,
          ModelException.retryableStatus(status),
          null);
    }
    try {
      JsonNode n = MAPPER.readTree(res.body());
      JsonNode content = n.path("choices").path(0).path("message").path("content");
      if (!content.isTextual()) {
        throw new ModelException(
            "the model endpoint's answer has no choices[0].message.content", status, false, null);
      }
      JsonNode usage = n.path("usage");
      return new Reply(
          content.asText(),
          usage.path("prompt_tokens").asLong(0),
          usage.path("completion_tokens").asLong(0));
    } catch (IOException e) {
      throw new ModelException("the model endpoint's answer is not JSON", status, false, e);
    }
  }
}
