package dev.pitcrew.remediation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of the repository at the failed commit, read-only: from a local checkout (the CLI's
 * {@code --repo DIR}) or through the forge. Actions plan against this and never write.
 */
public interface RepoFiles {

  /** A file's text, or empty when it does not exist. */
  Optional<String> read(String path) throws IOException;

  /** The local checkout, when there is one (for history look-ups). */
  Optional<Path> checkout();

  /**
   * The regular files directly in a folder of the checkout, sorted; empty through a forge (which
   * the caller then reads by known paths instead).
   */
  default List<String> list(String folder) throws IOException {
    if (checkout().isEmpty()) {
      return List.of();
    }
    Path root = checkout().get();
    Path d = root.resolve(folder).normalize();
    if (!d.startsWith(root) || !Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  /** At most this many paths are listed below one folder. */
  int MAX_LISTED = 20_000;

  /**
   * The paths of the files below a folder ({@code ""} for the whole repository), recursively and
   * sorted, without {@code .git}; from the checkout, else from the forge at the failed commit.
   * Empty when the folder does not exist or cannot be listed.
   */
  default List<String> tree(String folder) throws IOException {
    if (checkout().isEmpty()) {
      return List.of();
    }
    Path root = checkout().get();
    Path d = root.resolve(folder).normalize();
    if (!d.startsWith(root) || !Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString().replace('\\', '/'))
          .filter(f -> !f.startsWith(".git/"))
          .sorted()
          .limit(MAX_LISTED)
          .toList();
    }
  }

  /** Files from a local checkout; paths may not leave it. */
  static RepoFiles of(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    return new RepoFiles() {
      @Override
      public Optional<String> read(String path) throws IOException {
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root)) {
          throw new IOException("path '" + path + "' leaves the checkout " + root);
        }
        return Files.isRegularFile(p)
            ? Optional.of(Files.readString(p, StandardCharsets.UTF_8))
            : Optional.empty();
      }

      @Override
      public Optional<Path> checkout() {
        return Optional.of(root);
      }
    };
  }

  /** The files the context offers: its checkout, else the forge at the failed commit. */
  static RepoFiles of(RemediationContext ctx) {
    if (ctx.checkout().isPresent()) {
      return of(ctx.checkout().get());
    }
    return new RepoFiles() {
      @Override
      public Optional<String> read(String path) throws IOException {
        return ctx.forge().fileContent(ctx.repo(), path, ctx.run().sha());
      }

      @Override
      public Optional<Path> checkout() {
        return Optional.empty();
      }

      @Override
      public List<String> tree(String folder) throws IOException {
        String f = folder.replaceAll("^/+|/+$", "");
        if (f.contains("..")) {
          return List.of();
        }
        return ctx.forge().listFiles(ctx.repo(), f, ctx.run().sha()).stream()
            .limit(MAX_LISTED)
            .toList();
      }

      @Override
      public List<String> list(String folder) throws IOException {
        String f = folder.replaceAll("^/+|/+$", "");
        String prefix = f.isEmpty() ? "" : f + "/";
        return tree(f).stream()
            .filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
            .toList();
      }
    };
  }
}
