package dev.pitcrew.remediation.dependency;

import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package distributions a repository ships itself, read from its files at the failed commit (a
 * checkout or the forge): vendored wheels and sdists, vendored source folders named {@code
 * name-version/}, npm tarballs, and the local package indexes its pip invocations name with {@code
 * --find-links}. A name that the log printed is corroborated only by an exact distribution found
 * here, never by a mention in prose.
 */
public final class RepositoryPackages {
  /** Where projects conventionally keep the packages they vendor. */
  static final List<String> FOLDERS =
      List.of(
          "vendor",
          "vendored",
          "third_party",
          "third-party",
          "wheels",
          "wheelhouse",
          "dist",
          "packages",
          "libs");

  /** Files whose pip options may name a local package index. */
  private static final List<String> PIP_OPTION_FILES =
      List.of("requirements.txt", "requirements-dev.txt", "pip.conf", "tox.ini", ".gitlab-ci.yml");

  private static final Pattern FIND_LINKS =
      Pattern.compile("(?:--find-links(?:\\s*=\\s*|\\s+)|(?<=\\s)-f\\s+)([^\\s\"';|&]+)");

  private static final Pattern WHEEL =
      Pattern.compile(
          "^([A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?)-([0-9][A-Za-z0-9.+!]*)(?:-[0-9][^-]*)?"
              + "-[^-]+-[^-]+-[^-]+\\.whl$");
  private static final Pattern SDIST =
      Pattern.compile(
          "^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)-([0-9][A-Za-z0-9.+!]*)"
              + "\\.(?:tar\\.gz|tar\\.bz2|zip)$");
  private static final Pattern SOURCE_DIR =
      Pattern.compile("^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)-([0-9][A-Za-z0-9.+!]*)$");
  private static final Pattern NPM_TARBALL =
      Pattern.compile("^([a-z0-9][a-z0-9._~-]*)-([0-9]+\\.[0-9]+\\.[0-9]+[A-Za-z0-9.+-]*)\\.tgz$");

  private RepositoryPackages() {}

  /** One distribution of the package found in the repository. */
  public record Found(String path, String version) {}

  /**
   * The distributions of the package (by normalised name) that the repository ships, newest version
   * first; empty when there are none or the files cannot be listed.
   */
  public static List<Found> find(Ecosystem eco, String name, RepoFiles files) throws IOException {
    String norm = eco.normalize(name);
    Map<String, Found> out = new LinkedHashMap<>();
    for (String folder : folders(eco, files)) {
      for (String path : files.tree(folder)) {
        match(eco, norm, path, folder).ifPresent(f -> out.putIfAbsent(f.path(), f));
      }
    }
    List<Found> found = new ArrayList<>(out.values());
    found.sort(
        Comparator.comparing((Found f) -> f.version(), RepositoryPackages::compareVersions)
            .reversed());
    return found;
  }

  /** The conventional folders plus any local index that the project's pip options name. */
  static List<String> folders(Ecosystem eco, RepoFiles files) throws IOException {
    Set<String> out = new LinkedHashSet<>(FOLDERS);
    if (eco == Ecosystem.PIP) {
      List<String> sources = new ArrayList<>(PIP_OPTION_FILES);
      sources.addAll(files.list(".github/workflows"));
      for (String f : sources) {
        Optional<String> text = files.read(f);
        if (text.isEmpty()) {
          continue;
        }
        Matcher m = FIND_LINKS.matcher(text.get());
        while (m.find()) {
          localFolder(m.group(1)).ifPresent(out::add);
        }
      }
    }
    return List.copyOf(out);
  }

  /** A relative folder inside the repository, or empty for URLs and paths that leave it. */
  static Optional<String> localFolder(String raw) {
    String s = raw.strip();
    if (s.startsWith("file://")) {
      s = s.substring("file://".length());
    }
    if (s.startsWith("./")) {
      s = s.substring(2);
    }
    s = s.replaceAll("/+$", "");
    if (s.isEmpty()
        || s.contains(":")
        || s.startsWith("/")
        || s.startsWith("~")
        || s.contains("$")
        || s.equals(".")
        || List.of(s.split("/")).contains("..")) {
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Whether one repository path is a distribution of the package, and which version. */
  static Optional<Found> match(Ecosystem eco, String norm, String path, String folder) {
    String[] segs = path.split("/");
    String file = segs[segs.length - 1];
    if (eco == Ecosystem.NPM) {
      Matcher m = NPM_TARBALL.matcher(file);
      // scoped packages are packed as scope-name-version.tgz
      String packed = norm.startsWith("@") ? norm.substring(1).replace('/', '-') : norm;
      if (m.matches() && m.group(1).equals(packed)) {
        return Optional.of(new Found(path, m.group(2)));
      }
      return Optional.empty();
    }
    if (eco != Ecosystem.PIP) {
      return Optional.empty();
    }
    Matcher w = WHEEL.matcher(file);
    if (w.matches() && eco.normalize(w.group(1)).equals(norm)) {
      return Optional.of(new Found(path, w.group(2)));
    }
    Matcher sd = SDIST.matcher(file);
    if (sd.matches() && eco.normalize(sd.group(1)).equals(norm)) {
      return Optional.of(new Found(path, sd.group(2)));
    }
    // a vendored source tree: folder/name-version/ holding the package or its build files
    int base = folder.isEmpty() ? 0 : folder.split("/").length;
    if (segs.length >= base + 2) {
      Matcher d = SOURCE_DIR.matcher(segs[base]);
      if (d.matches() && eco.normalize(d.group(1)).equals(norm)) {
        String inside = String.join("/", List.of(segs).subList(base + 1, segs.length));
        String module = norm.replace('-', '_').toLowerCase(Locale.ROOT);
        if (inside.equals(module + "/__init__.py")
            || inside.equals(module + ".py")
            || inside.equals("pyproject.toml")
            || inside.equals("setup.py")
            || inside.equals("setup.cfg")
            || inside.equals("src/" + module + "/__init__.py")) {
          String dir = String.join("/", List.of(segs).subList(0, base + 1));
          return Optional.of(new Found(dir + "/", d.group(2)));
        }
      }
    }
    return Optional.empty();
  }

  /** Numeric comparison of dotted versions (1.10 after 1.9); text parts compare as text. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("[.+!-]");
    String[] y = b.split("[.+!-]");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      int c;
      if (p.matches("\\d{1,9}") && q.matches("\\d{1,9}")) {
        c = Integer.compare(Integer.parseInt(p), Integer.parseInt(q));
      } else {
        c = p.compareTo(q);
      }
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
