package dev.pitcrew.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A schema registry on loopback that is restarting: it resets (TCP RST) the first N connections it
 * accepts, then answers every request with a small JSON schema. The client sees the kernel's own
 * {@code Connection reset by peer}, the transient failure a re-run gets past.
 */
final class FlakyRegistry implements AutoCloseable {
  private static final byte[] SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},\"total\":{\"type\":\"number\"}}}"
          .getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final int resets;
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;

  FlakyRegistry(int resets) throws IOException {
    this.resets = resets;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofVirtual().name("lab-registry").start(this::serve);
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  int connections() {
    return accepted.get();
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        int n = accepted.incrementAndGet();
        if (n <= resets) {
          s.setSoLinger(true, 0);
          s.close();
          continue;
        }
        Thread.ofVirtual().start(() -> answer(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void answer(Socket s) {
    try (s) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // read the request head; the body is not needed for a GET
      }
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + SCHEMA.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(SCHEMA);
      out.flush();
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
