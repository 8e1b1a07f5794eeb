package dev.pitcrew.remediation.dependency.pip;

import dev.pitcrew.remediation.dependency.Ecosystem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pip's explanation of a {@code ResolutionImpossible}, read from the log:
 *
 * <pre>
 * The conflict is caused by:
 *     The user requested labhttp==1.6.0
 *     labclient 1.0 depends on labhttp&lt;1.6,&gt;=1.4
 * </pre>
 *
 * and, when pip printed it, the versions an index offered ({@code (from versions: 1.4.2, 1.5.1)}).
 * Each line is one constraint on one package; {@link #conflicts()} groups them by package.
 */
public final class PipConflict {
  /** A line of the explanation: who asks for which versions of a package. */
  public record Constraint(String pkg, String specifier, String from, boolean userRequested) {}

  private static final String NAME = "[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?";
  private static final String SPEC =
      "(?:(?:===|==|!=|~=|<=|>=|<|>)\\s*[0-9A-Za-z.*+!]+(?:\\s*,\\s*|\\s+and\\s+)?)+";
  private static final Pattern USER =
      Pattern.compile(
          "The user requested (?:\\(constraint\\) )?("
              + NAME
              + ")(?:\\[[^\\]]*\\])?\\s*("
              + SPEC
              + ")");
  private static final Pattern DEPENDS =
      Pattern.compile(
          "(" + NAME + ") (\\S+) depends on (" + NAME + ")(?:\\[[^\\]]*\\])?\\s*(" + SPEC + ")");
  private static final Pattern FROM_VERSIONS =
      Pattern.compile("requirement (" + NAME + ")\\S* \\(from versions: ([0-9A-Za-z.,+!\\s-]*)\\)");

  private final List<Constraint> constraints;
  private final Map<String, Set<String>> offered;

  private PipConflict(List<Constraint> constraints, Map<String, Set<String>> offered) {
    this.constraints = List.copyOf(constraints);
    this.offered = offered;
  }

  /** Reads every constraint line and "from versions" line in the log. */
  public static PipConflict parse(String log) {
    List<Constraint> out = new ArrayList<>();
    Map<String, Set<String>> offered = new LinkedHashMap<>();
    for (String raw : log.split("\n")) {
      String line = raw.strip();
      Matcher u = USER.matcher(line);
      if (u.find()) {
        out.add(new Constraint(norm(u.group(1)), spec(u.group(2)), "the user", true));
        continue;
      }
      Matcher d = DEPENDS.matcher(line);
      if (d.find()) {
        out.add(
            new Constraint(
                norm(d.group(3)), spec(d.group(4)), d.group(1) + " " + d.group(2), false));
        continue;
      }
      Matcher f = FROM_VERSIONS.matcher(line);
      if (f.find()) {
        Set<String> vs = offered.computeIfAbsent(norm(f.group(1)), k -> new LinkedHashSet<>());
        for (String v : f.group(2).split(",")) {
          if (!v.isBlank() && !v.strip().equals("none")) {
            vs.add(v.strip());
          }
        }
      }
    }
    return new PipConflict(out, offered);
  }

  public List<Constraint> constraints() {
    return constraints;
  }

  /**
   * The packages that the user pinned and that some dependency constrains too, in the order pip
   * named them: the pins that can be moved to resolve the conflict.
   */
  public List<String> userPinnedConflicts() {
    Set<String> out = new LinkedHashSet<>();
    for (Constraint c : constraints) {
      if (c.userRequested()
          && constraints.stream().anyMatch(o -> !o.userRequested() && o.pkg().equals(c.pkg()))) {
        out.add(c.pkg());
      }
    }
    return List.copyOf(out);
  }

  /** What the dependencies (not the user) require of a package. */
  public List<Constraint> dependencyConstraints(String pkg) {
    String n = norm(pkg);
    return constraints.stream().filter(c -> !c.userRequested() && c.pkg().equals(n)).toList();
  }

  /** The versions of a package that pip said an index offered. */
  public Set<String> offered(String pkg) {
    return offered.getOrDefault(norm(pkg), Set.of());
  }

  private static String norm(String name) {
    return Ecosystem.PIP.normalize(name);
  }

  private static String spec(String s) {
    return s.strip().replaceAll("\\s+and\\s+", ",").replaceAll("\\s+", "").replaceAll(",$", "");
  }
}
