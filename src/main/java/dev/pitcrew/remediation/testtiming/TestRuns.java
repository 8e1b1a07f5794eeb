package dev.pitcrew.remediation.testtiming;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Test runs read from JUnit XML reports (Surefire, Gradle, jest-junit, pytest --junitxml) and, when
 * there are none, failed test names read from the log. Surefire's {@code flakyFailure} elements (a
 * failure that passed on a re-run) count as one failed and one passed run.
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

  /** Runs in a JUnit XML report; malformed XML gives none rather than an error. */
  public static List<Run> fromJUnitXml(String xml) {
    List<Run> out = new ArrayList<>();
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      var b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      var doc = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
      NodeList cases = doc.getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        Element tc = (Element) cases.item(i);
        String cls = tc.getAttribute("classname");
        String id = cls.isEmpty() ? tc.getAttribute("name") : cls + "." + tc.getAttribute("name");
        if (tc.getElementsByTagName("skipped").getLength() > 0) {
          continue;
        }
        int flaky =
            tc.getElementsByTagName("flakyFailure").getLength()
                + tc.getElementsByTagName("flakyError").getLength();
        boolean failed =
            tc.getElementsByTagName("failure").getLength() > 0
                || tc.getElementsByTagName("error").getLength() > 0;
        for (int k = 0; k < flaky; k++) {
          out.add(new Run(id, false));
        }
        out.add(new Run(id, !failed));
      }
    } catch (Exception e) {
      return List.of();
    }
    return out;
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
