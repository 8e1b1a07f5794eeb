package dev.pitcrew.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON POST to a configured endpoint, classified for the fan-out: 2xx is delivered, 408/429/5xx
 * and network errors are retryable, other 4xx are not. Redirects are never followed (egress stays
 * on the configured host). Error messages carry the status and at most 200 characters of the
 * receiver's answer, never the request body or headers.
 */
public final class JsonPost {
  private final HttpClient client;
  private final Duration timeout;

  public JsonPost(Duration timeout) {
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
    this.timeout = timeout;
  }

  /** The receiver's answer to a 2xx. */
  public record Answer(int status, String body) {}

  public Answer post(URI uri, String json, Map<String, String> headers) throws DeliveryException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "pitcrew-notify")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(b::header);
    HttpResponse<String> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new DeliveryException(
          "timed out after " + timeout.toMillis() + " ms talking to " + uri.getHost(),
          true,
          Optional.empty(),
          e);
    } catch (IOException e) {
      throw new DeliveryException(
          "could not reach " + uri.getHost() + ": " + e.getClass().getSimpleName(),
          true,
          Optional.empty(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted", false, Optional.empty(), e);
    }
    int s = r.statusCode();
    if (s >= 200 && s < 300) {
      return new Answer(s, r.body());
    }
    String body = r.body() == null ? "" : r.body().strip();
    if (body.length() > 200) {
      body = body.substring(0, 200) + "…";
    }
    boolean retryable = s == 408 || s == 429 || s >= 500;
    Optional<Duration> after =
        r.headers().firstValue("Retry-After").flatMap(JsonPost::parseRetryAfter);
    String kind = s >= 300 && s < 400 ? " (redirects are not followed)" : "";
    throw new DeliveryException(
        "HTTP " + s + " from " + uri.getHost() + kind + (body.isEmpty() ? "" : ": " + body),
        retryable,
        after,
        null);
  }

  static Optional<Duration> parseRetryAfter(String v) {
    try {
      long seconds = Long.parseLong(v.strip());
      return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
