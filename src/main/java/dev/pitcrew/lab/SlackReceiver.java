package dev.pitcrew.lab;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A Slack incoming webhook on loopback for the demo: it accepts what Pitcrew's Slack sink posts
 * ({@code POST} JSON, answered {@code 200 ok} as Slack does) at an unguessable path, and keeps
 * every delivery, so the demo can count the notifications each scenario really produced instead of
 * trusting a flag. Used only when no Slack webhook is configured.
 */
public final class SlackReceiver implements AutoCloseable {
  private static final int MAX_BODY = 256 * 1024;

  private final HttpServer server;
  private final String path;
  private final List<String> deliveries = new CopyOnWriteArrayList<>();

  public SlackReceiver() throws IOException {
    byte[] token = new byte[12];
    new SecureRandom().nextBytes(token);
    this.path = "/services/" + HexFormat.of().formatHex(token);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        path,
        ex -> {
          try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
              ex.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
              body = in.readNBytes(MAX_BODY);
            }
            deliveries.add(new String(body, StandardCharsets.UTF_8));
            byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, ok.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(ok);
            }
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  /** The webhook URL to configure as {@code PITCREW_SLACK_WEBHOOK_URL}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Every payload received so far. */
  public List<String> deliveries() {
    return new ArrayList<>(deliveries);
  }

  /** How many payloads named this repository ({@code lab/NAME}) as a whole word. */
  public int deliveriesFor(String repository) {
    Pattern p = Pattern.compile(Pattern.quote(repository) + "(?![A-Za-z0-9_.-])");
    return (int) deliveries.stream().filter(d -> p.matcher(d).find()).count();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
