package dev.pitcrew.remediation.dependency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads past versions of a checkout's files with JGit (no git process, no shell), so that a
 * dependency can be restored from what the project itself once declared.
 */
public final class GitHistory {
  private static final int MAX_COMMITS = 2_000;
  private static final long MAX_BLOB = 2L * 1024 * 1024;

  private GitHistory() {}

  /**
   * The most recent line, in the given files over the history of HEAD, that the predicate accepts;
   * empty when the checkout is not a git repository or no version has such a line.
   */
  public static Optional<String> findLine(Path checkout, List<String> paths, Predicate<String> p)
      throws IOException {
    if (!Files.exists(checkout.resolve(".git"))) {
      return Optional.empty();
    }
    try (Repository repo = new FileRepositoryBuilder().setWorkTree(checkout.toFile()).build();
        RevWalk walk = new RevWalk(repo)) {
      ObjectId head = repo.resolve("HEAD");
      if (head == null) {
        return Optional.empty();
      }
      walk.markStart(walk.parseCommit(head));
      int seen = 0;
      for (RevCommit c : walk) {
        if (++seen > MAX_COMMITS) {
          break;
        }
        for (String path : paths) {
          try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
            if (tw == null) {
              continue;
            }
            ObjectLoader blob = repo.open(tw.getObjectId(0));
            if (blob.getSize() > MAX_BLOB) {
              continue;
            }
            String text = new String(blob.getBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n", -1)) {
              if (p.test(line)) {
                return Optional.of(line.strip());
              }
            }
          }
        }
      }
    }
    return Optional.empty();
  }
}
