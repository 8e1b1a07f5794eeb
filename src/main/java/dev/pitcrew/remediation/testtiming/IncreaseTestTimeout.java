package dev.pitcrew.remediation.testtiming;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Action;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.change.ChangeDelivery;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code increase_test_timeout}: doubles the timeout of the flaky test itself where it is declared
 * (JUnit 5 {@code @Timeout}, {@code @pytest.mark.timeout}), or else the suite's default (jest
 * {@code testTimeout}, mocha {@code timeout}, pytest-timeout's {@code timeout}, JUnit's {@code
 * junit.jupiter.execution.timeout.default}). The parameter {@code test} names the test ({@code
 * com.acme.FooTest.bar} or {@code tests/test_x.py::test_y}). Empty when no timeout is declared
 * anywhere Pitcrew can find it.
 */
public final class IncreaseTestTimeout implements Action {
  public static final String NAME = "increase_test_timeout";
  private static final Pattern JUNIT = Pattern.compile("@Timeout\\((?:value\\s*=\\s*)?(\\d+)");
  private static final Pattern PYMARK = Pattern.compile("@pytest\\.mark\\.timeout\\((\\d+)");

  /** Suite-wide settings: file, pattern whose group 1 is the number. */
  private static final List<String[]> SUITE =
      List.of(
          new String[] {"jest.config.js", "testTimeout\\s*:\\s*(\\d+)"},
          new String[] {"jest.config.ts", "testTimeout\\s*:\\s*(\\d+)"},
          new String[] {"jest.config.cjs", "testTimeout\\s*:\\s*(\\d+)"},
          new String[] {"jest.config.mjs", "testTimeout\\s*:\\s*(\\d+)"},
          new String[] {"package.json", "\"testTimeout\"\\s*:\\s*(\\d+)"},
          new String[] {".mocharc.yml", "(?m)^timeout:\\s*['\"]?(\\d+)"},
          new String[] {".mocharc.yaml", "(?m)^timeout:\\s*['\"]?(\\d+)"},
          new String[] {".mocharc.json", "\"timeout\"\\s*:\\s*['\"]?(\\d+)"},
          new String[] {".mocharc.js", "timeout\\s*:\\s*['\"]?(\\d+)"},
          new String[] {"pytest.ini", "(?m)^timeout\\s*=\\s*(\\d+)"},
          new String[] {"pyproject.toml", "(?m)^timeout\\s*=\\s*(\\d+)"},
          new String[] {"setup.cfg", "(?m)^timeout\\s*=\\s*(\\d+)"},
          new String[] {"tox.ini", "(?m)^timeout\\s*=\\s*(\\d+)"},
          new String[] {
            "src/test/resources/junit-platform.properties",
            "junit\\.jupiter\\.execution\\.timeout\\.default\\s*=\\s*(\\d+)"
          });

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files)
      throws IOException {
    String test = d.remediationParams().getOrDefault("test", "");
    Optional<String[]> edit = perTest(test, files);
    if (edit.isEmpty()) {
      edit = suite(files);
    }
    if (edit.isEmpty()) {
      return Optional.empty();
    }
    String path = edit.get()[0];
    String before = files.read(path).orElseThrow();
    String after = edit.get()[1];
    String what = test.isBlank() ? "the test suite's timeout" : "the timeout of " + test;
    return Optional.of(
        ChangeDelivery.filePlan(
            d,
            ctx,
            NAME,
            RiskLevel.LOW,
            "Double " + what + " in " + path,
            List.of(Plans.change(path, before, after)),
            d.remediationParams(),
            "The test fails intermittently by running out of time; this doubles "
                + what
                + " in "
                + path
                + ". The test should still be made faster or more deterministic."));
  }

  private static Optional<String[]> perTest(String test, RepoFiles files) throws IOException {
    if (test.contains("::")) {
      String path = test.substring(0, test.indexOf("::"));
      String fn = test.substring(test.lastIndexOf("::") + 2).replaceAll("\\[.*$", "");
      return nearDefinition(files, path, "def " + fn + "(", PYMARK);
    }
    int dot = test.lastIndexOf('.');
    if (dot > 0) {
      String cls = test.substring(0, dot);
      String method = test.substring(dot + 1).replaceAll("[(\\[].*$", "");
      String path = "src/test/java/" + cls.replace('.', '/') + ".java";
      return nearDefinition(files, path, " " + method + "(", JUNIT);
    }
    return Optional.empty();
  }

  /** Doubles the timeout annotation within the five lines above the definition. */
  private static Optional<String[]> nearDefinition(
      RepoFiles files, String path, String definition, Pattern annotation) throws IOException {
    if (path.contains("..")) {
      return Optional.empty();
    }
    Optional<String> text = files.read(path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String[] lines = text.get().split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].contains(definition)) {
        continue;
      }
      for (int j = i; j >= Math.max(0, i - 5); j--) {
        Matcher m = annotation.matcher(lines[j]);
        if (m.find()) {
          long v = Long.parseLong(m.group(1));
          lines[j] = lines[j].substring(0, m.start(1)) + (v * 2) + lines[j].substring(m.end(1));
          return Optional.of(new String[] {path, String.join("\n", lines)});
        }
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<String[]> suite(RepoFiles files) throws IOException {
    for (String[] s : SUITE) {
      Optional<String> text = files.read(s[0]);
      if (text.isEmpty()) {
        continue;
      }
      Matcher m = Pattern.compile(s[1]).matcher(text.get());
      if (m.find()) {
        long v = Long.parseLong(m.group(1));
        String t = text.get();
        return Optional.of(
            new String[] {s[0], t.substring(0, m.start(1)) + (v * 2) + t.substring(m.end(1))});
      }
    }
    return Optional.empty();
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    return ChangeDelivery.deliver(plan, ctx);
  }
}
