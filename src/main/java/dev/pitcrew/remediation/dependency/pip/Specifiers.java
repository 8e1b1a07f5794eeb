package dev.pitcrew.remediation.dependency.pip;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEP 440 version specifiers ({@code >=1.4,<1.6}, {@code ~=2.2}, {@code ==1.*}, {@code !=1.5.0})
 * over final releases. Pre-, post- and dev-releases are not candidates Pitcrew pins, so a version
 * that is not a plain dotted number never satisfies a specifier here.
 */
public final class Specifiers {
  private static final Pattern CLAUSE =
      Pattern.compile("^(===|==|!=|~=|<=|>=|<|>)\\s*([0-9][0-9A-Za-z.*]*)$");
  private static final Pattern RELEASE = Pattern.compile("^v?(\\d+(?:\\.\\d+)*)$");

  private Specifiers() {}

  /** Whether the version satisfies every clause of the comma-separated specifier. */
  public static boolean satisfies(String version, String specifier) {
    Optional<int[]> v = release(version);
    if (v.isEmpty()) {
      return false;
    }
    for (String raw : specifier.split(",")) {
      String clause = raw.strip();
      if (clause.isEmpty()) {
        continue;
      }
      Matcher m = CLAUSE.matcher(clause);
      if (!m.matches() || !holds(v.get(), version, m.group(1), m.group(2))) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(int[] v, String raw, String op, String target) {
    if (op.equals("===")) {
      return raw.strip().equals(target);
    }
    if ((op.equals("==") || op.equals("!=")) && target.endsWith(".*")) {
      Optional<int[]> prefix = release(target.substring(0, target.length() - 2));
      boolean match = prefix.isPresent() && startsWith(v, prefix.get());
      return op.equals("==") == match;
    }
    Optional<int[]> t = release(target);
    if (t.isEmpty()) {
      return false;
    }
    int c = compare(v, t.get());
    return switch (op) {
      case "==" -> c == 0;
      case "!=" -> c != 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      case "~=" -> {
        int[] tv = t.get();
        if (tv.length < 2 || c < 0) {
          yield false;
        }
        int[] prefix = new int[tv.length - 1];
        System.arraycopy(tv, 0, prefix, 0, prefix.length);
        yield startsWith(v, prefix);
      }
      default -> false;
    };
  }

  /** The release numbers of a final release ({@code 1.5.1} → [1, 5, 1]), else empty. */
  public static Optional<int[]> release(String version) {
    if (version == null) {
      return Optional.empty();
    }
    Matcher m = RELEASE.matcher(version.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    List<Integer> parts = new ArrayList<>();
    for (String p : m.group(1).split("\\.")) {
      if (p.length() > 9) {
        return Optional.empty();
      }
      parts.add(Integer.parseInt(p));
    }
    return Optional.of(parts.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Compares two releases, padding the shorter with zeros (1.5 == 1.5.0). */
  public static int compare(int[] a, int[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int x = i < a.length ? a[i] : 0;
      int y = i < b.length ? b[i] : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }

  private static boolean startsWith(int[] v, int[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if ((i < v.length ? v[i] : 0) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
