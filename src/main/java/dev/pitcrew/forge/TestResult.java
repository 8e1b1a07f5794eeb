package dev.pitcrew.forge;

/**
 * One test case as a run's test report recorded it, in our words: GitHub's JUnit XML artifacts and
 * GitLab's parsed pipeline test report both end up here, so the flakiness history names a test the
 * same way whichever forge reported it.
 *
 * @param className the report's {@code classname} ({@code com.acme.CartTest}, {@code
 *     tests.test_api}); empty when the report has none
 * @param name the test case's name
 */
public record TestResult(String className, String name, Status status) {
  /** What became of one run of a test case. */
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED
  }

  public TestResult {
    className = className == null ? "" : className.strip();
    name = name == null ? "" : name.strip();
  }
}
