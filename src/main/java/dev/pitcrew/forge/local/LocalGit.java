package dev.pitcrew.forge.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The git side of the local forge, on bare repositories through JGit (no git binary, no shell, so
 * branch names and paths are never interpreted by a shell).
 */
final class LocalGit {
  private static final PersonIdent BOT_TEMPLATE =
      new PersonIdent("Pitcrew Lab", "lab@pitcrew.local");

  private LocalGit() {}

  /** One file to write: its content and whether it is executable. */
  record FileContent(byte[] bytes, boolean executable) {
    static FileContent text(String s) {
      return new FileContent(s.getBytes(StandardCharsets.UTF_8), false);
    }
  }

  static void initBare(Path dir, String defaultBranch) throws IOException {
    try (Git g =
        Git.init()
            .setBare(true)
            .setDirectory(dir.toFile())
            .setInitialBranch(defaultBranch)
            .call()) {
      // nothing else: the first commit creates the branch
    } catch (GitAPIException e) {
      throw new IOException(
          "could not create a git repository at " + dir + ": " + e.getMessage(), e);
    }
  }

  static Repository open(Path dir) throws IOException {
    return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
  }

  /** Every regular file below {@code dir}, keyed by its slash-separated relative path. */
  static Map<String, FileContent> readTree(Path dir) throws IOException {
    Map<String, FileContent> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        files.put(rel, new FileContent(Files.readAllBytes(p), Files.isExecutable(p)));
      }
    }
    return files;
  }

  /**
   * Commits files on a branch (created when absent, from {@code parentIfNew} or as a root commit).
   * Returns the new head, or the old head when the files are already as given (nothing to commit).
   */
  static String commit(
      Path gitDir,
      String branch,
      Optional<String> parentIfNew,
      String message,
      Map<String, FileContent> files,
      Instant when)
      throws IOException {
    try (Repository r = open(gitDir);
        ObjectInserter ins = r.newObjectInserter();
        ObjectReader reader = r.newObjectReader();
        RevWalk rw = new RevWalk(r)) {
      Ref ref = r.exactRef(Constants.R_HEADS + branch);
      ObjectId parent =
          ref != null
              ? ref.getObjectId()
              : parentIfNew.isPresent() ? resolveCommit(r, parentIfNew.get()) : null;
      DirCache dc = DirCache.newInCore();
      DirCacheBuilder b = dc.builder();
      ObjectId oldTree = null;
      if (parent != null) {
        RevCommit pc = rw.parseCommit(parent);
        oldTree = pc.getTree().getId();
        b.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, pc.getTree());
      }
      b.finish();
      DirCacheEditor ed = dc.editor();
      for (Map.Entry<String, FileContent> f : files.entrySet()) {
        String path = checkPath(f.getKey());
        ObjectId blob = ins.insert(Constants.OBJ_BLOB, f.getValue().bytes());
        DirCacheEntry existing = dc.getEntry(path);
        FileMode mode =
            f.getValue().executable()
                ? FileMode.EXECUTABLE_FILE
                : existing != null ? existing.getFileMode() : FileMode.REGULAR_FILE;
        ed.add(
            new DirCacheEditor.PathEdit(path) {
              @Override
              public void apply(DirCacheEntry ent) {
                ent.setFileMode(mode);
                ent.setObjectId(blob);
              }
            });
      }
      ed.finish();
      ObjectId tree = dc.writeTree(ins);
      if (parent != null && tree.equals(oldTree)) {
        if (ref == null) {
          setRef(r, branch, parent, ObjectId.zeroId());
        }
        return parent.name();
      }
      PersonIdent who = new PersonIdent(BOT_TEMPLATE, when, ZoneOffset.UTC);
      CommitBuilder cb = new CommitBuilder();
      cb.setTreeId(tree);
      if (parent != null) {
        cb.setParentId(parent);
      }
      cb.setAuthor(who);
      cb.setCommitter(who);
      cb.setMessage(message);
      ObjectId commit = ins.insert(cb);
      ins.flush();
      setRef(r, branch, commit, ref == null ? ObjectId.zeroId() : ref.getObjectId());
      return commit.name();
    }
  }

  private static void setRef(Repository r, String branch, ObjectId to, ObjectId expectedOld)
      throws IOException {
    RefUpdate ru = r.updateRef(Constants.R_HEADS + branch);
    ru.setNewObjectId(to);
    ru.setExpectedOldObjectId(expectedOld);
    ru.setRefLogMessage("pitcrew local forge", false);
    RefUpdate.Result res = ru.update();
    switch (res) {
      case NEW, FAST_FORWARD, NO_CHANGE, FORCED -> {}
      default ->
          throw new IOException(
              "could not move branch '" + branch + "' (" + res + "); it moved meanwhile, retry");
    }
  }

  private static String checkPath(String path) {
    if (path.isBlank()
        || path.startsWith("/")
        || path.contains("\\")
        || List.of(path.split("/")).stream()
            .anyMatch(s -> s.isEmpty() || s.equals("..") || s.equals(".") || s.equals(".git"))) {
      throw new IllegalArgumentException(
          "'" + path + "' is not a relative path inside the repository");
    }
    return path;
  }

  static Optional<String> head(Path gitDir, String branch) throws IOException {
    try (Repository r = open(gitDir)) {
      Ref ref = r.exactRef(Constants.R_HEADS + branch);
      return ref == null ? Optional.empty() : Optional.of(ref.getObjectId().name());
    }
  }

  static String defaultBranch(Path gitDir) throws IOException {
    try (Repository r = open(gitDir)) {
      String full = r.getFullBranch();
      return full != null && full.startsWith(Constants.R_HEADS)
          ? full.substring(Constants.R_HEADS.length())
          : "main";
    }
  }

  /** A branch name or a commit id, resolved to a commit; throws when neither exists. */
  static ObjectId resolveCommit(Repository r, String ref) throws IOException {
    Ref branch = r.exactRef(Constants.R_HEADS + ref);
    if (branch != null) {
      return branch.getObjectId();
    }
    ObjectId id = ObjectId.isId(ref) ? ObjectId.fromString(ref) : r.resolve(ref);
    if (id == null || !r.getObjectDatabase().has(id)) {
      throw new IOException("no branch or commit '" + ref + "' in " + r.getDirectory());
    }
    return id;
  }

  static Optional<String> file(Path gitDir, String path, String ref) throws IOException {
    try (Repository r = open(gitDir);
        RevWalk rw = new RevWalk(r)) {
      RevCommit c = rw.parseCommit(resolveCommit(r, ref));
      try (TreeWalk tw = TreeWalk.forPath(r, path, c.getTree())) {
        if (tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
          return Optional.empty();
        }
        return Optional.of(
            new String(r.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  /** The paths at a commit below a folder (or everywhere for an empty prefix). */
  static List<String> list(Path gitDir, String ref, String prefix) throws IOException {
    try (Repository r = open(gitDir);
        RevWalk rw = new RevWalk(r);
        TreeWalk tw = new TreeWalk(r)) {
      tw.addTree(rw.parseCommit(resolveCommit(r, ref)).getTree());
      tw.setRecursive(true);
      List<String> out = new java.util.ArrayList<>();
      while (tw.next()) {
        if (tw.getPathString().startsWith(prefix)) {
          out.add(tw.getPathString());
        }
      }
      return out;
    }
  }

  static String subject(Path gitDir, String sha) throws IOException {
    try (Repository r = open(gitDir);
        RevWalk rw = new RevWalk(r)) {
      return rw.parseCommit(ObjectId.fromString(sha)).getShortMessage();
    }
  }

  /** Checks out a commit of a branch into an empty folder (a real clone, with {@code .git}). */
  static void checkout(Path gitDir, String branch, String sha, Path into) throws IOException {
    try (Git g =
        Git.cloneRepository()
            .setURI(gitDir.toUri().toString())
            .setDirectory(into.toFile())
            .setBranch(Constants.R_HEADS + branch)
            .call()) {
      if (!sha.equals(g.getRepository().resolve(Constants.HEAD).name())) {
        g.checkout().setName(sha).call();
      }
    } catch (GitAPIException e) {
      throw new IOException("could not check out " + sha + ": " + e.getMessage(), e);
    }
  }
}
