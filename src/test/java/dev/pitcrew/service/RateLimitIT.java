package dev.pitcrew.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.intake.Signatures;
import dev.pitcrew.store.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limiting on a real server: clients come from different loopback addresses (127.0.0.2,
 * 127.0.0.3, ...), so each is its own source.
 */
class RateLimitIT {
  static final String SECRET = "rl-secret";
  static final String TOKEN = "rl-api-token";
  static final byte[] PING = Payloads.bytes(Payloads.load("github/ping/00_event.json"));

  @TempDir Path tmp;
  PitcrewService service;

  @BeforeEach
  void start() {
    Map<String, String> s = new HashMap<>(TestDatabases.h2(tmp));
    s.put("PITCREW_GITHUB_WEBHOOK_SECRET", SECRET);
    s.put("PITCREW_API_TOKEN", TOKEN);
    s.put("PITCREW_RECONCILE_INTERVAL", "0");
    // one request every 30 s, bursts of three: a slow test machine cannot refill a bucket
    s.put("PITCREW_RATE_LIMIT_WEBHOOKS_PER_SECOND", "0.0333");
    s.put("PITCREW_RATE_LIMIT_WEBHOOKS_BURST", "3");
    s.put("PITCREW_RATE_LIMIT_API_PER_SECOND", "0.0333");
    s.put("PITCREW_RATE_LIMIT_API_BURST", "3");
    s.put("PITCREW_RATE_LIMIT_EXEMPT", "127.0.0.9");
    service = PitcrewService.start(PitcrewConfig.of(s), TestParts.rulesOnly(), "0.0.0.0", 0);
  }

  @AfterEach
  void stop() {
    service.close();
  }

  record Reply(int status, Map<String, String> headers, String body) {}

  /** One HTTP/1.1 request from the given local address. */
  Reply send(String from, String method, String path, Map<String, String> headers, byte[] body)
      throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      s.connect(new InetSocketAddress("127.0.0.1", service.port()), 5000);
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      req.append("Host: 127.0.0.1\r\nConnection: close\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      String[] lines = text.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> h = new LinkedHashMap<>();
      int i = 1;
      for (; i < lines.length && !lines[i].isEmpty(); i++) {
        int c = lines[i].indexOf(':');
        h.put(lines[i].substring(0, c).toLowerCase(), lines[i].substring(c + 1).strip());
      }
      return new Reply(status, h, text.substring(text.indexOf("\r\n\r\n") + 4));
    }
  }

  Reply ping(String from, String delivery, String installation, String secret) throws Exception {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-GitHub-Event", "ping");
    h.put("X-GitHub-Delivery", delivery);
    h.put("X-Hub-Signature-256", Signatures.githubHeader(secret, PING));
    h.put("Content-Type", "application/json");
    if (installation != null) {
      h.put("X-GitHub-Hook-Installation-Target-ID", installation);
    }
    return send(from, "POST", "/webhooks/github", h, PING);
  }

  Reply api(String from, String token) throws Exception {
    return send(
        from,
        "GET",
        "/api/actions",
        token == null ? Map.of() : Map.of("Authorization", "Bearer " + token),
        new byte[0]);
  }

  @Test
  void aSourceOverItsLimitGets429WithRetryAfterAndOthersAreUnaffected() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(ping("127.0.0.2", "a-" + i, null, SECRET).status()).isEqualTo(200);
    }
    Reply over = ping("127.0.0.2", "a-3", null, SECRET);
    assertThat(over.status()).isEqualTo(429);
    assertThat(Integer.parseInt(over.headers().get("retry-after"))).isBetween(1, 31);
    assertThat(over.body()).contains("\"status\":\"rate_limited\"");

    // another address, the API from the limited address, and an exempt address still pass
    assertThat(ping("127.0.0.3", "b-1", null, SECRET).status()).isEqualTo(200);
    assertThat(api("127.0.0.2", TOKEN).status()).isEqualTo(200);
    for (int i = 0; i < 10; i++) {
      assertThat(ping("127.0.0.9", "x-" + i, null, SECRET).status()).isEqualTo(200);
    }

    assertThat(ping("127.0.0.2", "a-4", null, SECRET).status()).isEqualTo(429);
    assertThat(new Http(service.port()).get("/metrics", Map.of()).text())
        .contains("pitcrew_rate_limited_total{endpoint=\"webhook\"}");
  }

  @Test
  void oneInstallationIsLimitedAcrossAddressesButOnlyForSignedDeliveries() throws Exception {
    // forged deliveries naming installation 77 spend nothing of its bucket
    for (int i = 0; i < 3; i++) {
      assertThat(ping("127.0.0.5", "f-" + i, "77", "wrong-secret").status()).isEqualTo(401);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(ping("127.0.0.2", "i-" + i, "77", SECRET).status()).isEqualTo(200);
    }
    Reply sameInstallation = ping("127.0.0.3", "i-3", "77", SECRET);
    assertThat(sameInstallation.status()).isEqualTo(429);
    assertThat(sameInstallation.body()).contains("github installation 77");
    assertThat(ping("127.0.0.4", "j-1", "78", SECRET).status()).isEqualTo(200);
  }

  @Test
  void theApiIsLimitedPerAddressAndPerToken() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(api("127.0.0.2", null).status()).isEqualTo(401);
    }
    Reply over = api("127.0.0.2", null);
    assertThat(over.status()).isEqualTo(429);
    assertThat(over.headers()).containsKey("retry-after");
    // the token's own bucket is untouched by the refused calls
    for (int i = 0; i < 3; i++) {
      assertThat(api("127.0.0.3", TOKEN).status()).isEqualTo(200);
    }
    // the token is one source whatever the address
    assertThat(api("127.0.0.4", TOKEN).status()).isEqualTo(429);
    // webhooks are not the API's business
    assertThat(ping("127.0.0.4", "w-1", null, SECRET).status()).isEqualTo(200);
  }
}
