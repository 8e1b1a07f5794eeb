package dev.pitcrew.diagnosis.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A checkout of the repository whose run failed, on this machine ({@code pitcrew diagnose --repo
 * DIR}): it supplies the pipeline file for the prompt and vouches for parameters the model captured
 * (a file that exists, a package named in a manifest). Reads only inside the folder, and only small
 * files.
 */
public final class CheckoutRepository implements LlmAnalyzer.Repository {
  static final long MAX_FILE_BYTES = 512 * 1024;

  /** Files where package names, variables and settings are declared. */
  static final List<String> MANIFESTS =
      List.of(
          "requirements.txt",
          "requirements-dev.txt",
          "pyproject.toml",
          "setup.cfg",
          "setup.py",
          "Pipfile",
          "package.json",
          "pom.xml",
          "build.gradle",
          "build.gradle.kts",
          "go.mod",
          "Gemfile",
          "Cargo.toml",
          ".env.example",
          ".gitlab-ci.yml",
          ".pitcrew.yml");

  private final Path root;
  private final Optional<PromptBuilder.PipelineFile> pipelineFile;

  private CheckoutRepository(Path root, Optional<PromptBuilder.PipelineFile> pipelineFile) {
    this.root = root;
    this.pipelineFile = pipelineFile;
  }

  /**
   * The checkout at {@code dir}; its pipeline file is {@code pipelineFile} when given (relative to
   * the checkout or absolute), else {@code .gitlab-ci.yml}, else the only workflow under {@code
   * .github/workflows}.
   *
   * @throws IllegalArgumentException when the folder or the named file cannot be read
   */
  public static CheckoutRepository open(Path dir, Optional<Path> pipelineFile) {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("--repo " + dir + " is not a folder");
    }
    Optional<Path> chosen =
        pipelineFile.map(p -> p.isAbsolute() ? p : root.resolve(p)).or(() -> find(root));
    return new CheckoutRepository(root, chosen.map(p -> readPipelineFile(root, p)));
  }

  /** Reads a pipeline file named on the command line, for use with or without a checkout. */
  public static PromptBuilder.PipelineFile readPipelineFile(Path root, Path file) {
    Path f = file.toAbsolutePath().normalize();
    try {
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("pipeline file " + file + " is not a readable file");
      }
      if (Files.size(f) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "pipeline file " + file + " is over " + MAX_FILE_BYTES / 1024 + " KB");
      }
      String name =
          root != null && f.startsWith(root)
              ? root.relativize(f).toString().replace('\\', '/')
              : f.getFileName().toString();
      return new PromptBuilder.PipelineFile(name, Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "pipeline file " + file + " cannot be read: " + e.getMessage());
    }
  }

  private static Optional<Path> find(Path root) {
    Path gitlab = root.resolve(".gitlab-ci.yml");
    if (Files.isRegularFile(gitlab)) {
      return Optional.of(gitlab);
    }
    Path wf = root.resolve(".github/workflows");
    if (!Files.isDirectory(wf)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(wf)) {
      List<Path> ymls =
          s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
              .sorted()
              .toList();
      // several workflows: which one ran is not known here, so none rather than a wrong one
      return ymls.size() == 1 ? Optional.of(ymls.get(0)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<PromptBuilder.PipelineFile> pipelineFile() {
    return pipelineFile;
  }

  @Override
  public boolean hasFile(String path) {
    if (path.isBlank() || path.indexOf('\0') >= 0) {
      return false;
    }
    try {
      Path p = root.resolve(path).normalize();
      return p.startsWith(root) && Files.exists(p);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean mentions(String value) {
    if (value.isBlank()) {
      return false;
    }
    List<Path> files = new ArrayList<>();
    for (String m : MANIFESTS) {
      files.add(root.resolve(m));
    }
    pipelineFile.ifPresent(f -> files.add(root.resolve(f.path())));
    for (Path f : files) {
      try {
        if (f.normalize().startsWith(root)
            && Files.isRegularFile(f)
            && Files.size(f) <= MAX_FILE_BYTES
            && Files.readString(f, StandardCharsets.UTF_8).contains(value)) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        // an unreadable manifest vouches for nothing
      }
    }
    return false;
  }
}
