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
    };
  }
}
