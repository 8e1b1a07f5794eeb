package dev.pitcrew.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.intake.Signatures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small client for the service under test: real HTTP on loopback. */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** A status and the parsed JSON body (null when the body is not JSON). */
  public record Reply(int status, JsonNode json, String text) {}

  public Reply post(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return send(b.build());
  }

  public Reply get(String path, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    headers.forEach(b::header);
    return send(b.build());
  }

  public Reply send(HttpRequest r) {
    try {
      HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
      JsonNode j;
      try {
        j = JSON.readTree(resp.body());
      } catch (IOException e) {
        j = null;
      }
      return new Reply(resp.statusCode(), j, resp.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String base() {
    return base;
  }

  /** Posts a GitHub delivery signed with {@code secret}. */
  public Reply github(String secret, String event, String delivery, byte[] body) {
    return post(
        "/webhooks/github",
        body,
        Map.of(
            "X-GitHub-Event",
            event,
            "X-GitHub-Delivery",
            delivery,
            "X-Hub-Signature-256",
            Signatures.githubHeader(secret, body),
            "Content-Type",
            "application/json"));
  }
}
