package dev.pitcrew.reliability;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * An open-loop load generator: request {@code i} is due at {@code start + i / rate} whatever
 * happened to the earlier ones, and its latency is measured from that due time, not from when it
 * was actually sent. A slow server therefore cannot lower the offered rate or hide its queueing
 * (coordinated omission): a request the sender could only send late counts as late. At most {@link
 * #MAX_IN_FLIGHT} requests are outstanding (as wrk2 keeps a fixed set of connections): past that
 * the sender waits, and the wait counts in the latency of every request it delays.
 */
final class OpenLoop {
  /** What happened to each request, by index. Status -1 is a transport error or a timeout. */
  record Result(
      long[] latencyNanos,
      int[] status,
      String[] body,
      long maxSendLagNanos,
      double seconds,
      Throwable[] errors) {

    int count() {
      return status.length;
    }

    /** Latency percentile in milliseconds over the requests {@code from..to-1}. */
    double percentileMs(double p, int from, int to) {
      long[] l = Arrays.copyOfRange(latencyNanos, from, to);
      Arrays.sort(l);
      int i = (int) Math.ceil(p / 100.0 * l.length) - 1;
      return l[Math.max(0, Math.min(l.length - 1, i))] / 1e6;
    }

    Map<String, Object> figures(int from, int to) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requests", to - from);
      m.put("p50_ms", round(percentileMs(50, from, to)));
      m.put("p95_ms", round(percentileMs(95, from, to)));
      m.put("p99_ms", round(percentileMs(99, from, to)));
      m.put("p99_9_ms", round(percentileMs(99.9, from, to)));
      m.put("max_ms", round(percentileMs(100, from, to)));
      return m;
    }

    static double round(double v) {
      return Math.round(v * 10) / 10.0;
    }
  }

  static final int MAX_IN_FLIGHT = Integer.getInteger("pitcrew.load.max-in-flight", 256);

  private OpenLoop() {}

  static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Sends {@code count} requests at {@code perSecond}, each built just before its due time, and
   * waits for every answer (each request times out after 10 s, GitHub's delivery deadline).
   */
  static Result run(
      HttpClient client, int count, double perSecond, IntFunction<HttpRequest> request)
      throws InterruptedException {
    return run(client, count, perSecond, MAX_IN_FLIGHT, request);
  }

  /** As above with another cap on outstanding requests (a burst from many senders at once). */
  static Result run(
      HttpClient client,
      int count,
      double perSecond,
      int maxInFlight,
      IntFunction<HttpRequest> request)
      throws InterruptedException {
    long[] latency = new long[count];
    int[] status = new int[count];
    String[] body = new String[count];
    Throwable[] errors = new Throwable[count];
    CountDownLatch done = new CountDownLatch(count);
    java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(maxInFlight);
    long period = (long) (1e9 / perSecond);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    long maxLag = 0;
    for (int i = 0; i < count; i++) {
      long due = start + i * period;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      inFlight.acquire();
      maxLag = Math.max(maxLag, System.nanoTime() - due);
      int n = i;
      HttpRequest r;
      try {
        r = request.apply(n);
      } catch (RuntimeException e) {
        status[n] = -1;
        errors[n] = e;
        latency[n] = System.nanoTime() - due;
        inFlight.release();
        done.countDown();
        continue;
      }
      client
          .sendAsync(r, HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (resp, err) -> {
                latency[n] = System.nanoTime() - due;
                if (err != null) {
                  status[n] = -1;
                  errors[n] = err;
                } else {
                  status[n] = resp.statusCode();
                  body[n] = resp.body();
                }
                inFlight.release();
                done.countDown();
              });
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("answers still missing 60 s after the last request");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(latency, status, body, maxLag, seconds, errors);
  }
}
