package dev.pitcrew.diagnosis.llm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The registered remediation actions, in one place: the action names the shipped playbooks use (a
 * test keeps this list and the playbooks in step) and, for each, the parameters it accepts and what
 * their values may look like. A model's proposal is only as good as what passes here: an unknown
 * action, an unknown parameter or a value outside its shape is refused, never repaired.
 */
public final class Actions {
  /** The strategy meaning "a person has to act"; always allowed. */
  public static final String NONE = "none";

  /** Actions a model alone may propose for automatic application (still subject to the policy). */
  public static final Set<String> MODEL_MAY_AUTO_APPLY = Set.of("retry_pipeline");

  /**
   * Actions that change what the build trusts: never applied on a model's say-so, only with a
   * person's approval (a hallucinated or planted package name is how slopsquatting starts).
   */
  public static final Set<String> NEEDS_APPROVAL_FROM_MODEL =
      Set.of("add_dependency", "set_ci_variable");

  private static final Pattern NUMBER = Pattern.compile("\\d{1,6}(?:\\.\\d{1,3})?");
  private static final Pattern SHORT_TEXT = Pattern.compile("[A-Za-z0-9 .:_-]{1,40}");
  // PEP 508 / npm / Maven-ish names: letters, digits, . _ -, an optional npm scope; nothing else
  static final Pattern PACKAGE =
      Pattern.compile(
          "(?:@[a-z0-9][a-z0-9._-]{0,63}/)?[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?");
  static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9._-][A-Za-z0-9._/-]{0,199}");
  private static final Set<String> MANIFESTS =
      Set.of(
          "requirements.txt",
          "requirements-dev.txt",
          "requirements-test.txt",
          "dev-requirements.txt",
          "pyproject.toml",
          "setup.cfg",
          "Pipfile",
          "package.json",
          "pom.xml",
          "build.gradle",
          "build.gradle.kts",
          "go.mod",
          "Gemfile",
          "Cargo.toml",
          "composer.json");
  // variables that change what runs (or hold credentials) are never set on anyone's say-so
  private static final Pattern DANGEROUS_VARIABLE =
      Pattern.compile(
          "(?i)(?:.*(?:TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH).*|PATH|LD_\\w+|DYLD_\\w+|"
              + "NODE_OPTIONS|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|MAVEN_OPTS|GRADLE_OPTS|"
              + "BASH_ENV|ENV|PYTHONPATH|PYTHONSTARTUP|PERL5OPT|RUBYOPT|GIT_\\w+|CI_\\w+|GITHUB_\\w+|"
              + "RUNNER_\\w+|HOME|SHELL|IFS|PROMPT_COMMAND|NPM_CONFIG_\\w+|PIP_\\w+|DEPLOY\\w*)");

  /** What a parameter's value must look like. */
  public sealed interface Shape {
    /** An empty result when the value is acceptable, else the reason it is not. */
    Optional<String> check(String value);
  }

  record Matches(String what, Pattern pattern) implements Shape {
    @Override
    public Optional<String> check(String v) {
      return pattern.matcher(v).matches()
          ? Optional.empty()
          : Optional.of("is not a valid " + what);
    }
  }

  record OneOf(Set<String> values) implements Shape {
    @Override
    public Optional<String> check(String v) {
      return values.contains(v)
          ? Optional.empty()
          : Optional.of("must be one of " + new TreeSet<>(values));
    }
  }

  /** A path inside the repository: relative, no {@code ..}, not CI configuration or a script. */
  record RepoPath(boolean manifestOnly) implements Shape {
    @Override
    public Optional<String> check(String v) {
      if (!PATH.matcher(v).matches()) {
        return Optional.of("is not a relative path of plain characters");
      }
      for (String seg : v.split("/")) {
        if (seg.equals("..") || seg.equals(".") || seg.isEmpty()) {
          return Optional.of("leaves or obscures the repository ('" + seg + "' segment)");
        }
      }
      String lower = v.toLowerCase(Locale.ROOT);
      if (lower.startsWith(".github/")
          || lower.startsWith(".gitlab")
          || lower.startsWith(".git/")
          || lower.startsWith(".circleci/")
          || lower.endsWith(".sh")
          || lower.endsWith(".bash")
          || lower.endsWith(".ps1")
          || lower.equals("makefile")) {
        return Optional.of("is CI configuration or a script, which Pitcrew never edits on its own");
      }
      if (manifestOnly) {
        String name = v.substring(v.lastIndexOf('/') + 1);
        if (!MANIFESTS.contains(name)) {
          return Optional.of("is not a dependency manifest (" + new TreeSet<>(MANIFESTS) + ")");
        }
      }
      return Optional.empty();
    }
  }

  record SafeVariable() implements Shape {
    @Override
    public Optional<String> check(String v) {
      if (!VARIABLE.matcher(v).matches()) {
        return Optional.of("is not a variable name");
      }
      if (DANGEROUS_VARIABLE.matcher(v).matches()) {
        return Optional.of("names a variable that changes what runs or holds a credential");
      }
      return Optional.empty();
    }
  }

  /** An action: its parameters, and which of them must be present (one of each group). */
  public record Spec(String name, Map<String, Shape> params, List<Set<String>> required) {}

  private static final Shape NUM = new Matches("number", NUMBER);
  private static final Shape TEXT = new Matches("short value", SHORT_TEXT);

  private static final Map<String, Spec> SPECS = specs();

  private static Map<String, Spec> specs() {
    Map<String, Spec> m = new LinkedHashMap<>();
    add(
        m,
        "retry_pipeline",
        Map.of(
            "backoff",
            new OneOf(Set.of("exponential", "linear", "none")),
            "min_delay_minutes",
            NUM,
            "backoff_seconds",
            NUM));
    add(
        m,
        "add_dependency",
        Map.of(
            "ecosystem",
                new OneOf(Set.of("pip", "npm", "maven", "gradle", "go", "bundler", "cargo")),
            "file", new RepoPath(true),
            "module", new Matches("package name", PACKAGE),
            "package", new Matches("package name", PACKAGE),
            "version", new Matches("version", Pattern.compile("[0-9][A-Za-z0-9.+-]{0,39}")),
            "dev", new OneOf(Set.of("true", "false"))),
        Set.of("module", "package"));
    add(m, "set_ci_variable", Map.of("name", new SafeVariable(), "value", TEXT), Set.of("name"));
    add(
        m,
        "increase_memory",
        Map.of(
            "factor",
            NUM,
            "current",
            TEXT,
            "alternative",
            new OneOf(Set.of("reduce_parallelism"))));
    add(m, "increase_jvm_heap", Map.of("factor", NUM, "current", TEXT));
    add(
        m,
        "increase_node_heap",
        Map.of("variable", new OneOf(Set.of("NODE_OPTIONS")), "max_old_space_size_mb", NUM));
    add(
        m,
        "increase_job_timeout",
        Map.of(
            "factor",
            NUM,
            "current",
            TEXT,
            "kind",
            new OneOf(Set.of("no_output")),
            "silence",
            TEXT,
            "travis",
            new OneOf(Set.of("travis_wait")),
            "circleci",
            new OneOf(Set.of("no_output_timeout"))));
    add(
        m,
        "increase_test_timeout",
        Map.of(
            "current",
            TEXT,
            "current_ms",
            TEXT,
            "current_s",
            TEXT,
            "flag",
            new OneOf(Set.of("-timeout")),
            "marker",
            new OneOf(Set.of("pytest.mark.timeout")),
            "kind",
            new OneOf(Set.of("ruby", "ui_wait"))));
    add(m, "quarantine_flaky_test", Map.of("threshold", NUM));
    add(m, "raise_ulimit", Map.of("limit", new OneOf(Set.of("nofile", "nproc")), "value", NUM));
    add(m, "reduce_parallelism", Map.of("factor", NUM));
    // advice for a person: the registry turns these into suggestions and never applies them
    Shape ecosystem =
        new OneOf(
            Set.of(
                "pip",
                "npm",
                "maven",
                "gradle",
                "go",
                "bundler",
                "cargo",
                "composer",
                "conda",
                "nuget",
                "apt",
                "dnf",
                "r"));
    Shape file = new RepoPath(false);
    Shape pkg = new Matches("package name", PACKAGE);
    add(
        m,
        "pin_dependency",
        Map.of(
            "ecosystem",
            ecosystem,
            "file",
            file,
            "package",
            pkg,
            "version",
            TEXT,
            "artifact",
            TEXT,
            "configuration",
            TEXT,
            "gem",
            pkg,
            "detail",
            TEXT));
    add(m, "update_lockfile", Map.of("ecosystem", ecosystem, "file", file));
    add(
        m,
        "resolve_version_conflict",
        Map.of("ecosystem", new OneOf(Set.of("pip")), "file", new RepoPath(true), "package", pkg));
    add(
        m,
        "fix_config_value",
        Map.of(
            "file",
            new RepoPath(false),
            "key",
            new Matches("configuration key", Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")),
            "value",
            TEXT,
            "expected",
            TEXT,
            "detail",
            TEXT),
        Set.of("key"));
    add(m, "install_tool", Map.of("tool", TEXT, "missing", TEXT, "package", pkg));
    add(m, "set_runtime_version", Map.of("runtime", TEXT, "required", TEXT));
    add(m, "notify_developer", Map.of("detail", TEXT, "ecosystem", ecosystem, "missing", TEXT));
    add(
        m,
        "free_disk",
        Map.of(
            "remove",
            new Matches("list of caches", Pattern.compile("[a-z-]{1,30}(?:,[a-z-]{1,30}){0,5}"))));
    return m;
  }

  @SafeVarargs
  private static void add(
      Map<String, Spec> m, String name, Map<String, Shape> params, Set<String>... required) {
    m.put(name, new Spec(name, Map.copyOf(params), List.of(required)));
  }

  private Actions() {}

  /** Every registered action name, in a stable order (without {@link #NONE}). */
  public static List<String> names() {
    return List.copyOf(SPECS.keySet());
  }

  public static boolean registered(String action) {
    return SPECS.containsKey(action);
  }

  public static Optional<Spec> spec(String action) {
    return Optional.ofNullable(SPECS.get(action));
  }

  /**
   * Why these parameters are not acceptable for this action, or empty when they are. Unknown
   * actions, unknown parameters, missing required ones and malformed values are all refused.
   */
  public static Optional<String> violation(String action, Map<String, String> params) {
    if (NONE.equals(action)) {
      return params.isEmpty()
          ? Optional.empty()
          : Optional.of("the strategy 'none' takes no parameters");
    }
    Spec spec = SPECS.get(action);
    if (spec == null) {
      return Optional.of(
          "'" + action + "' is not a registered action (registered: " + names() + ", none)");
    }
    for (var e : params.entrySet()) {
      Shape shape = spec.params().get(e.getKey());
      if (shape == null) {
        return Optional.of(
            "action '"
                + action
                + "' has no parameter '"
                + e.getKey()
                + "' (it takes "
                + new TreeSet<>(spec.params().keySet())
                + ")");
      }
      String v = e.getValue() == null ? "" : e.getValue();
      Optional<String> bad = shape.check(v);
      if (bad.isPresent()) {
        return Optional.of("parameter '" + e.getKey() + "' of '" + action + "' " + bad.get());
      }
    }
    for (Set<String> group : spec.required()) {
      if (group.stream().noneMatch(params::containsKey)) {
        return Optional.of("action '" + action + "' needs one of " + new TreeSet<>(group));
      }
    }
    return Optional.empty();
  }
}
