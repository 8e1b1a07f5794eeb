package dev.pitcrew.remediation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/** A real git repository on disk, built commit by commit with JGit, as a test checkout. */
public final class TestRepo implements AutoCloseable {
  private final Git git;
  public final Path dir;

  private TestRepo(Git git, Path dir) {
    this.git = git;
    this.dir = dir;
  }

  public static TestRepo init(Path dir) throws GitAPIException {
    return new TestRepo(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
  }

  /** Writes the files (null content deletes) and commits them. */
  public TestRepo commit(String message, Map<String, String> files)
      throws IOException, GitAPIException {
    for (var e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      if (e.getValue() == null) {
        Files.deleteIfExists(p);
        git.rm().addFilepattern(e.getKey()).call();
      } else {
        Files.createDirectories(p.getParent());
        Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
        git.add().addFilepattern(e.getKey()).call();
      }
    }
    git.commit()
        .setMessage(message)
        .setAuthor("Dev", "dev@example.org")
        .setCommitter("Dev", "dev@example.org")
        .setSign(false)
        .call();
    return this;
  }

  @Override
  public void close() {
    git.close();
  }
}
