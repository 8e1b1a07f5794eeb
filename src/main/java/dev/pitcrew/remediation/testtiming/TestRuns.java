package dev.pitcrew.remediation.testtiming;

import dev.pitcrew.forge.JUnitXml;
import dev.pitcrew.forge.TestResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test runs read from a forge's test results (JUnit XML reports, GitLab's parsed test report) and,
 * when there are none, failed test names read from the log. Surefire's {@code flakyFailure}
 * elements (a failure that passed on a re-run) count as one failed and one passed run. Every path
 * names a test with {@link #testId}, so a test keeps one history across forges.
 */
public final class TestRuns {
  /** One observed run of one test: {@code Class.method} or {@code file::test}. */
  public record Run(String testId, boolean passed) {}

  private static final List<Pattern> LOG_FAILURES =
      List.of(
          // pytest: FAILED tests/test_api.py::test_get - AssertionError
          Pattern.compile("^(?:FAILED|ERROR) ([\\w./-]+\\.py::[\\w\\[\\]./:-]+)"),
          // Surefire: [ERROR]   OrderServiceTest.createsOrder:42 expected ...
          Pattern.compile(
              "^\\[ERROR\\]\\s+(?:Run \\d+: )?([A-Z][\\w$]*Test\\w*\\.\\w+)(?::\\d+)?\\b"),
          // go test: --- FAIL: TestFetch (0.31s)
          Pattern.compile("^\\s*--- FAIL: (\\w+)"),
          // jest: ● Suite › does a thing
          Pattern.compile("^\\s*● (.+? › .+)$"));

  private TestRuns() {}

  /**
   * The id a test is kept under, whichever forge or report named it: {@code classname.name}, or the
   * name alone when the report gives no class (jest, go).
   */
  public static String testId(String className, String name) {
    return className == null || className.isBlank() ? name : className + "." + name;
  }

  /** Runs in a forge's test results; skipped test cases did not run and are left out. */
  public static List<Run> fromResults(List<TestResult> results) {
    List<Run> out = new ArrayList<>();
    for (TestResult r : results) {
      if (r.status() != TestResult.Status.SKIPPED) {
        out.add(new Run(testId(r.className(), r.name()), r.status() == TestResult.Status.PASSED));
      }
    }
    return out;
  }

  /** Runs in a JUnit XML report; malformed XML gives none rather than an error. */
  public static List<Run> fromJUnitXml(String xml) {
    try {
      return fromResults(
          JUnitXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
  }

  /** The tests a log names as failed, each once, in order. */
  public static List<String> failedInLog(List<String> lines) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : lines) {
      for (Pattern p : LOG_FAILURES) {
        Matcher m = p.matcher(line);
        if (m.find()) {
          out.add(m.group(1).strip());
          break;
        }
      }
    }
    return List.copyOf(out);
  }
}
