package dev.pitcrew.remediation.dependency;

import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decides whether a package name that a log suggested may be added. A name from the log alone is
 * never enough (an attacker can print any {@code No module named x}): it must appear in the
 * project's lockfile, its git history, the configured allow-list, or as an exact distribution the
 * repository ships itself (a vendored wheel, sdist or source folder, or a local index its pip
 * options name; see {@link RepositoryPackages}), read at the failed commit through the checkout or
 * the forge. Names with odd characters and near misses of popular packages ({@code reqeusts}) are
 * refused outright, even when vendored.
 */
public final class SupplyChainGuard {
  /**
   * The verdict on one name.
   *
   * @param historyLine the manifest line that once declared the package, when history vouched
   * @param version the version the repository's own evidence pins (a vendored distribution)
   */
  public record Check(
      Status status, String reason, Optional<String> historyLine, Optional<String> version) {
    public Check(Status status, String reason, Optional<String> historyLine) {
      this(status, reason, historyLine, Optional.empty());
    }
  }

  public enum Status {
    /** Corroborated by the lockfile, the history or the allow-list. */
    VERIFIED,
    /** Plausible but uncorroborated: a person approves it. */
    UNVERIFIED,
    /** Malformed or a likely typosquat: never added, only reported. */
    REFUSED
  }

  private final Set<String> allowList;

  /**
   * @param allowList names that may always be added (normalised per ecosystem when compared)
   */
  public SupplyChainGuard(Set<String> allowList) {
    this.allowList = Set.copyOf(allowList);
  }

  /** The allow-list from {@code PITCREW_PACKAGE_ALLOWLIST} (comma or whitespace separated). */
  public static SupplyChainGuard fromEnv(String value) {
    if (value == null || value.isBlank()) {
      return new SupplyChainGuard(Set.of());
    }
    return new SupplyChainGuard(
        Arrays.stream(value.split("[,\\s]+"))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet()));
  }

  public Check check(Ecosystem eco, String name, String manifest, RepoFiles files)
      throws IOException {
    if (!eco.validName(name)) {
      return new Check(
          Status.REFUSED,
          "'"
              + printable(name)
              + "' is not a valid "
              + eco.name().toLowerCase(Locale.ROOT)
              + " package name",
          Optional.empty());
    }
    String norm = eco.normalize(name);
    if (allowList.stream().anyMatch(a -> eco.normalize(a).equals(norm))) {
      return new Check(
          Status.VERIFIED, name + " is on the configured allow-list", Optional.empty());
    }
    for (String lock : eco.lockfiles()) {
      Optional<String> text = files.read(lock);
      if (text.isPresent() && mentions(eco, text.get(), norm)) {
        return new Check(Status.VERIFIED, name + " is in the lockfile " + lock, Optional.empty());
      }
    }
    if (files.checkout().isPresent()) {
      Optional<String> line =
          GitHistory.findLine(
              files.checkout().get(), List.of(manifest), l -> declares(eco, l, norm));
      if (line.isPresent()) {
        return new Check(
            Status.VERIFIED,
            name + " was declared in " + manifest + " earlier in the repository's history",
            line);
      }
    }
    Optional<String> near = PopularPackages.nearMiss(eco, name);
    if (near.isPresent()) {
      return new Check(
          Status.REFUSED,
          "'"
              + name
              + "' is one or two letters from the popular package '"
              + near.get()
              + "': likely a typo or a typosquat, so Pitcrew will not add it",
          Optional.empty());
    }
    List<RepositoryPackages.Found> shipped = RepositoryPackages.find(eco, name, files);
    if (!shipped.isEmpty()) {
      RepositoryPackages.Found newest = shipped.get(0);
      return new Check(
          Status.VERIFIED,
          name
              + " "
              + newest.version()
              + " is shipped in the repository itself ("
              + newest.path()
              + ")",
          Optional.empty(),
          Optional.of(newest.version()));
    }
    return new Check(
        Status.UNVERIFIED,
        name
            + " appears only in the log, not in a lockfile, the history, the allow-list or a"
            + " distribution the repository ships; a person confirms it is the right package",
        Optional.empty());
  }

  /** Whether a lockfile's text names the package as a whole word. */
  static boolean mentions(Ecosystem eco, String text, String norm) {
    if (eco == Ecosystem.NPM) {
      // "node_modules/x", a "x" key, or yarn's x@range; never the tail of @scope/x
      Pattern npm =
          Pattern.compile(
              "(?:node_modules/|\"|^|\\s)" + Pattern.quote(norm) + "(?=[\"@:\\s])",
              Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
      return npm.matcher(text).find();
    }
    String flexible =
        eco == Ecosystem.PIP
            ? Pattern.quote(norm).replace("-", "\\E[-_.]\\Q")
            : Pattern.quote(norm);
    Pattern p =
        Pattern.compile(
            "(?<![A-Za-z0-9_.@/-])" + flexible + "(?![A-Za-z0-9_-])", Pattern.CASE_INSENSITIVE);
    return p.matcher(text).find();
  }

  /** Whether a manifest line declares the package (its name is the line's first token). */
  static boolean declares(Ecosystem eco, String line, String norm) {
    String t = line.strip();
    if (t.isEmpty() || t.startsWith("#") || t.startsWith("//")) {
      return false;
    }
    return switch (eco) {
      case PIP -> {
        String s = t.replaceFirst("^[\"']", "");
        var m = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*)").matcher(s);
        yield m.find() && eco.normalize(m.group(1)).equals(norm);
      }
      case NPM -> t.toLowerCase(Locale.ROOT).startsWith("\"" + norm + "\"");
      default -> mentions(eco, t, norm);
    };
  }

  private static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f || (c >= 0x200b && c <= 0x200f) ? '?' : c);
      if (b.length() > 80) {
        b.append('…');
        break;
      }
    }
    return b.toString();
  }
}
