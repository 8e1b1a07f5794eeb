package dev.pitcrew.logs;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Resolves what a user names on the command line into logs: a file (plain, {@code .gz}, or a GitHub
 * Actions run-log {@code .zip}), a directory (every log below it), or {@code -} for standard input.
 */
public final class LogSources {
  /** Decompressed bytes read from one log at most; the rest is ignored and reported. */
  public static final long DEFAULT_MAX_LOG_BYTES = 1L << 30;

  private LogSources() {}

  /** One entry per log found; an unreadable target yields a source whose {@code open} fails. */
  public static List<LogSource> resolve(String target, InputStream stdin) {
    if ("-".equals(target)) {
      return List.of(stdinSource(stdin));
    }
    Path path = Path.of(target);
    if (Files.isDirectory(path)) {
      return directory(path, target);
    }
    return file(path, target);
  }

  private static List<LogSource> directory(Path dir, String shownAs) {
    List<LogSource> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted(Comparator.comparing(Path::toString))
              .toList();
      for (Path p : files) {
        String rel = dir.relativize(p).toString();
        String name = shownAs.endsWith("/") ? shownAs + rel : shownAs + "/" + rel;
        out.addAll(file(p, name));
      }
    } catch (IOException e) {
      out.add(failing(shownAs, e));
    }
    return out;
  }

  static List<LogSource> file(Path path, String name) {
    if (!Files.exists(path)) {
      return List.of(failing(name, new IOException("no such file: " + name)));
    }
    if (isZip(path)) {
      return zipEntries(path, name);
    }
    return List.of(new FileSource(name, path));
  }

  private static boolean isZip(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && magic[0] == 'P'
          && magic[1] == 'K'
          && magic[2] == 3
          && magic[3] == 4;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<LogSource> zipEntries(Path path, String name) {
    try (ZipFile zip = new ZipFile(path.toFile())) {
      List<String> all = new ArrayList<>();
      zip.stream().filter(e -> !e.isDirectory()).forEach(e -> all.add(e.getName()));
      // A run-log archive has one "N_job.txt" per job at the root and the same text split by step
      // in folders; the root files are the job logs.
      List<String> roots = all.stream().filter(n -> !n.contains("/")).sorted().toList();
      List<String> chosen = roots.isEmpty() ? all.stream().sorted().toList() : roots;
      List<LogSource> out = new ArrayList<>();
      for (String entry : chosen) {
        out.add(new ZipEntrySource(name + "!/" + entry, path, entry));
      }
      return out;
    } catch (IOException e) {
      return List.of(failing(name, e));
    }
  }

  private static LogSource stdinSource(InputStream stdin) {
    return new LogSource() {
      private boolean used;

      @Override
      public String name() {
        return "-";
      }

      @Override
      public InputStream open() throws IOException {
        if (used) {
          throw new IOException("standard input can be read only once");
        }
        used = true;
        return maybeGunzip(new BufferedInputStream(stdin));
      }
    };
  }

  static LogSource failing(String name, IOException why) {
    return new LogSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() throws IOException {
        throw why;
      }
    };
  }

  /** Wraps a stream in a gunzip when it starts with the gzip magic bytes. */
  public static InputStream maybeGunzip(InputStream in) throws IOException {
    BufferedInputStream b =
        in instanceof BufferedInputStream bis ? bis : new BufferedInputStream(in);
    b.mark(2);
    int m1 = b.read();
    int m2 = b.read();
    b.reset();
    if (m1 == 0x1f && m2 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16);
    }
    return b;
  }

  /** A log held in memory (tests, forge downloads). */
  public static LogSource ofBytes(String name, byte[] bytes) {
    return new LogSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() throws IOException {
        return maybeGunzip(new ByteArrayInputStream(bytes));
      }
    };
  }

  private record FileSource(String name, Path path) implements LogSource {
    @Override
    public InputStream open() throws IOException {
      if (!Files.isReadable(path)) {
        throw new IOException("cannot read " + name + ": permission denied");
      }
      return maybeGunzip(new BufferedInputStream(Files.newInputStream(path), 1 << 16));
    }
  }

  private record ZipEntrySource(String name, Path zipPath, String entry) implements LogSource {
    @Override
    public InputStream open() throws IOException {
      ZipFile zip = new ZipFile(zipPath.toFile());
      ZipEntry e = zip.getEntry(entry);
      if (e == null) {
        zip.close();
        throw new IOException("entry vanished: " + entry);
      }
      InputStream raw = zip.getInputStream(e);
      return new java.io.FilterInputStream(maybeGunzip(raw)) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            zip.close();
          }
        }
      };
    }
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
