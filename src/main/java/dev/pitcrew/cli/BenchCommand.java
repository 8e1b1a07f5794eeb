package dev.pitcrew.cli;

import dev.pitcrew.diagnosis.Diagnoser;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.logs.LogSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures scan throughput and peak heap on a generated log of realistic lines, streamed (never
 * held in memory), with the real root cause near the end. Prints figures; asserts nothing.
 */
@Command(
    name = "bench",
    description = "Measure diagnosis throughput (MB/s) and peak heap on a generated log.",
    mixinStandardHelpOptions = true)
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--size-mb", description = "Size of the generated log (default 300).")
  int sizeMb = 300;

  @Option(names = "--rounds", description = "Measured rounds after one warm-up (default 3).")
  int rounds = 3;

  private final CliContext ctx;

  BenchCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Diagnoser diagnoser = ctx.diagnoser(false);
    long bytes = (long) sizeMb * 1024 * 1024;
    resetPeaks();
    // warm-up on a smaller log so the JIT has compiled the scan loop
    diagnoser.diagnose(generated(Math.min(bytes, 64L << 20)), Optional.empty(), List.of());
    double best = 0;
    Diagnosis last = null;
    resetPeaks();
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      last = diagnoser.diagnose(generated(bytes), Optional.empty(), List.of());
      double s = (System.nanoTime() - t0) / 1e9;
      double mbs = sizeMb / s;
      best = Math.max(best, mbs);
      out.printf("round %d: %d MB in %.2f s = %.1f MB/s%n", r + 1, sizeMb, s, mbs);
    }
    long peak = peakHeap();
    out.printf("throughput: %.1f MB/s (best of %d, one thread)%n", best, rounds);
    out.printf(
        "peak heap: %.1f MB (max heap %d MB)%n",
        peak / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);
    out.printf(
        "diagnosis: %s via %s at line %s%n",
        last.category().wire(),
        last.playbookId().orElse("-"),
        last.evidence().isEmpty() ? "-" : last.evidence().get(0).line());
    return 0;
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static LogSource generated(long bytes) {
    return new LogSource() {
      @Override
      public String name() {
        return "generated-" + (bytes >> 20) + "MB.log";
      }

      @Override
      public InputStream open() {
        return new GeneratedLog(bytes);
      }
    };
  }

  /** A GitHub-Actions-shaped log of ordinary build chatter ending in a real failure. */
  static final class GeneratedLog extends InputStream {
    private static final String[] CHATTER = {
      "2024-03-01T10:15:02.1234567Z [INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/commons/commons-lang3/3.14.0/commons-lang3-3.14.0.pom\n",
      "2024-03-01T10:15:02.2234567Z [INFO] Compiling 214 source files with javac [debug release 17] to target/classes\n",
      "2024-03-01T10:15:03.0034567Z npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.\n",
      "2024-03-01T10:15:03.1034567Z \u001b[32m✓\u001b[0m renders the dashboard header (12 ms)\n",
      "2024-03-01T10:15:03.2034567Z Collecting urllib3<3,>=1.21.1 (from requests==2.31.0->-r requirements.txt (line 4))\n",
      "2024-03-01T10:15:03.3034567Z [INFO] Tests run: 42, Failures: 0, Errors: 0, Skipped: 1, Time elapsed: 3.21 s - in dev.example.ServiceTest\n",
      "2024-03-01T10:15:03.4034567Z go: downloading github.com/stretchr/testify v1.9.0\n",
      "2024-03-01T10:15:03.5034567Z   Downloaded https://rubygems.org/gems/rake-13.1.0.gem\n",
    };
    private static final byte[] END =
        ("2024-03-01T10:20:00.0000000Z ##[group]Run pytest -q\n"
                + "2024-03-01T10:20:01.0000000Z E   ModuleNotFoundError: No module named 'requests'\n"
                + "2024-03-01T10:20:02.0000000Z ##[error]Process completed with exit code 1.\n")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHUNK = chunk();
    private final long total;
    private long produced;
    private byte[] cur = new byte[0];
    private int pos;
    private boolean ended;

    private static byte[] chunk() {
      StringBuilder sb = new StringBuilder(1 << 16);
      int i = 0;
      while (sb.length() < 60_000) {
        sb.append(CHATTER[i++ % CHATTER.length]);
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    GeneratedLog(long total) {
      this.total = total;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int r = read(one, 0, 1);
      return r < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= cur.length && !refill()) {
        return -1;
      }
      int n = Math.min(len, cur.length - pos);
      System.arraycopy(cur, pos, b, off, n);
      pos += n;
      return n;
    }

    private boolean refill() {
      if (ended) {
        return false;
      }
      if (produced + END.length >= total) {
        cur = END;
        ended = true;
      } else {
        cur = CHUNK;
      }
      produced += cur.length;
      pos = 0;
      return true;
    }
  }
}
