package dev.pitcrew.remediation.dependency.gradle;

import dev.pitcrew.remediation.dependency.Edit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-pins one dependency of build.gradle or build.gradle.kts: the version inside its coordinate
 * string ({@code 'g:a:1.0'}, {@code "g:a:1.0:classifier"}), in map notation ({@code group: 'g',
 * name: 'a', version: '1.0'}), or, when the coordinate reads a variable ({@code
 * "g:a:$guavaVersion"}), that variable's definition in the same file. Commented-out lines are left
 * alone. The file is re-scanned to confirm every declaration of the coordinate now has the new
 * version.
 */
public final class BuildGradlePin {
  private static final Pattern VARIABLE = Pattern.compile("^\\$\\{?([A-Za-z_][A-Za-z0-9_.]*)}?$");

  private BuildGradlePin() {}

  /** One place a version of the coordinate is written: where in the text, and the version. */
  private record Site(int start, int end, String version) {}

  /** The declared version of {@code group:artifact} (a variable is followed), if declared. */
  public static Optional<String> version(String text, String ga) throws Edit.Refused {
    List<Site> sites = sites(text, ga);
    return sites.isEmpty() ? Optional.empty() : Optional.of(sites.get(0).version());
  }

  public static Edit pin(String text, String ga, String version) throws Edit.Refused {
    if (!ga.matches("[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+")) {
      throw new Edit.Refused("'" + ga + "' is not a group:artifact coordinate");
    }
    if (!version.matches("[0-9A-Za-z][0-9A-Za-z.+_-]{0,60}")) {
      throw new Edit.Refused("'" + version + "' is not a version Pitcrew writes");
    }
    List<Site> sites = sites(text, ga);
    if (sites.isEmpty()) {
      throw new Edit.Refused(ga + " is not declared with a version in the build file");
    }
    String from = sites.get(0).version();
    StringBuilder b = new StringBuilder(text);
    for (int i = sites.size() - 1; i >= 0; i--) {
      b.replace(sites.get(i).start(), sites.get(i).end(), version);
    }
    String after = b.toString();
    List<Site> now = sites(after, ga);
    if (now.size() != sites.size() || !now.stream().allMatch(s -> s.version().equals(version))) {
      throw new Edit.Refused("re-reading the build file did not find " + ga + " at " + version);
    }
    return new Edit(
        after,
        "pin "
            + ga
            + " from "
            + from
            + " to "
            + version
            + (sites.size() > 1 ? " (" + sites.size() + " declarations)" : ""));
  }

  /** Every place the coordinate's version is written, variables followed, in text order. */
  private static List<Site> sites(String text, String ga) throws Edit.Refused {
    String g = Pattern.quote(ga.substring(0, ga.indexOf(':')));
    String a = Pattern.quote(ga.substring(ga.indexOf(':') + 1));
    List<Site> out = new ArrayList<>();
    Matcher coord =
        Pattern.compile("([\"'])" + g + ":" + a + ":([^:\"'@\\s]+)(?::[^\"'@]*)?(?:@[^\"']*)?\\1")
            .matcher(text);
    while (coord.find()) {
      if (!commented(text, coord.start())) {
        add(out, text, coord.start(2), coord.end(2));
      }
    }
    Matcher map =
        Pattern.compile(
                "group\\s*[:=]\\s*([\"'])"
                    + g
                    + "\\1\\s*,\\s*name\\s*[:=]\\s*([\"'])"
                    + a
                    + "\\2\\s*,\\s*version\\s*[:=]\\s*([\"'])([^\"']+)\\3")
            .matcher(text);
    while (map.find()) {
      if (!commented(text, map.start())) {
        add(out, text, map.start(4), map.end(4));
      }
    }
    out.sort((x, y) -> Integer.compare(x.start(), y.start()));
    // one variable read by two declarations is one site
    List<Site> unique = new ArrayList<>();
    for (Site s : out) {
      if (unique.stream().noneMatch(u -> u.start() == s.start())) {
        unique.add(s);
      }
    }
    return unique;
  }

  private static void add(List<Site> out, String text, int start, int end) throws Edit.Refused {
    String v = text.substring(start, end);
    Matcher var = VARIABLE.matcher(v);
    if (!var.matches()) {
      out.add(new Site(start, end, v));
      return;
    }
    String name = var.group(1).replaceFirst("^(?:project\\.|rootProject\\.)?(?:ext\\.)?", "");
    Matcher def =
        Pattern.compile(
                "(?m)^\\s*(?:val\\s+|var\\s+|def\\s+|ext\\.|extra\\[\")?"
                    + Pattern.quote(name)
                    + "\"?\\]?\\s*=\\s*([\"'])([^\"'$]+)\\1")
            .matcher(text);
    while (def.find()) {
      if (!commented(text, def.start(2))) {
        out.add(new Site(def.start(2), def.end(2), def.group(2)));
        return;
      }
    }
    throw new Edit.Refused(
        "the version of this dependency comes from "
            + v
            + ", which is not defined in the build file (gradle.properties or a version catalog?)");
  }

  /** Whether the position is after {@code //} on its line. */
  private static boolean commented(String text, int pos) {
    int lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    return text.substring(lineStart, pos).contains("//");
  }
}
