package dev.pitcrew.diagnosis.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on loopback that speaks two wire formats: Anthropic's Messages API ({@code
 * POST /v1/messages}) and OpenAI's chat completions ({@code POST /v1/chat/completions}). Response
 * and error bodies follow the shapes in the official API references (Anthropic: "Messages" and
 * "Errors" pages; OpenAI: "Create chat completion"). It records every request body and answers with
 * what a script returns for the prompt: grounded, ungrounded, malformed, slow, overloaded or
 * injection-following answers.
 */
public final class FakeModelServer implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** What the script sees: the wire format and the prompt text (system and user). */
  public record Request(String api, String system, String user, JsonNode body) {}

  /** A scripted answer: an HTTP status, a delay, and the model's text (for 200). */
  public record Answer(int status, long delayMillis, String text) {
    public static Answer ok(String text) {
      return new Answer(200, 0, text);
    }

    static Answer status(int status) {
      return new Answer(status, 0, "");
    }
  }

  private final HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Answer> script;

  public FakeModelServer(Function<Request, Answer> script) throws IOException {
    this.script = script;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/v1/messages", this::anthropic);
    server.createContext("/v1/chat/completions", this::openai);
    server.start();
  }

  void script(Function<Request, Answer> s) {
    this.script = s;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<String> bodies() {
    return bodies;
  }

  public List<Request> requests() {
    return requests;
  }

  private void anthropic(HttpExchange ex) throws IOException {
    String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    bodies.add(raw);
    JsonNode body = MAPPER.readTree(raw);
    if (!"POST".equals(ex.getRequestMethod())
        || ex.getRequestHeaders().getFirst("anthropic-version") == null
        || (ex.getRequestHeaders().getFirst("x-api-key") == null
            && ex.getRequestHeaders().getFirst("authorization") == null)
        || !body.path("model").isTextual()
        || !body.path("max_tokens").isNumber()
        || !body.path("messages").isArray()) {
      send(ex, 400, anthropicError("invalid_request_error", "malformed Messages API request"));
      return;
    }
    String system = body.path("system").isTextual() ? body.path("system").asText() : "";
    String user = body.path("messages").path(0).path("content").asText();
    if (body.path("messages").path(0).path("content").isArray()) {
      user = body.path("messages").path(0).path("content").path(0).path("text").asText();
    }
    Request r = new Request("anthropic", system, user, body);
    requests.add(r);
    Answer a = script.apply(r);
    pause(a);
    if (a.status() != 200) {
      String type =
          switch (a.status()) {
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            case 401 -> "authentication_error";
            default -> "api_error";
          };
      send(ex, a.status(), anthropicError(type, "scripted " + a.status()));
      return;
    }
    ObjectNode m = MAPPER.createObjectNode();
    m.put("id", "msg_013Zva2CMHLNnXjNJJKqJ2EF");
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", body.path("model").asText());
    m.putArray("content").addObject().put("type", "text").put("text", a.text());
    m.put("stop_reason", "end_turn");
    m.putNull("stop_sequence");
    m.putObject("usage")
        .put("input_tokens", (system.length() + user.length()) / 4)
        .put("output_tokens", a.text().length() / 4);
    send(ex, 200, m.toString());
  }

  private void openai(HttpExchange ex) throws IOException {
    String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    bodies.add(raw);
    JsonNode body = MAPPER.readTree(raw);
    if (!"POST".equals(ex.getRequestMethod())
        || !body.path("model").isTextual()
        || !body.path("messages").isArray()) {
      send(
          ex,
          400,
          "{\"error\":{\"message\":\"malformed request\",\"type\":\"invalid_request_error\"}}");
      return;
    }
    String system = "";
    String user = "";
    for (JsonNode msg : body.path("messages")) {
      if ("system".equals(msg.path("role").asText())) {
        system = msg.path("content").asText();
      } else if ("user".equals(msg.path("role").asText())) {
        user = msg.path("content").asText();
      }
    }
    Request r = new Request("openai", system, user, body);
    requests.add(r);
    Answer a = script.apply(r);
    pause(a);
    if (a.status() != 200) {
      send(
          ex,
          a.status(),
          "{\"error\":{\"message\":\"scripted " + a.status() + "\",\"type\":\"server_error\"}}");
      return;
    }
    ObjectNode m = MAPPER.createObjectNode();
    m.put("id", "chatcmpl-123");
    m.put("object", "chat.completion");
    m.put("created", 1677652288);
    m.put("model", body.path("model").asText());
    ObjectNode choice = m.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", a.text());
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    m.putObject("usage")
        .put("prompt_tokens", (system.length() + user.length()) / 4)
        .put("completion_tokens", a.text().length() / 4)
        .put("total_tokens", (system.length() + user.length() + a.text().length()) / 4);
    send(ex, 200, m.toString());
  }

  private static String anthropicError(String type, String message) {
    ObjectNode e = MAPPER.createObjectNode();
    e.put("type", "error");
    e.putObject("error").put("type", type).put("message", message);
    return e.toString();
  }

  private static void pause(Answer a) {
    if (a.delayMillis() > 0) {
      try {
        Thread.sleep(a.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("request-id", "req_fake");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
