package dev.pitcrew.diagnosis.rules;

import dev.pitcrew.logs.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the CI system itself says about a log: where steps start, where a step or the job was
 * declared failed and with which exit code. Fed line by line during the scan; keeps only positions.
 */
final class LogStructure {
  /** A place where the CI system declared a failure. */
  record FailureMark(int line, String text, Integer exitCode) {}

  private static final Pattern GHA_EXIT =
      Pattern.compile("Process completed with exit code (\\d+)");
  private static final Pattern TRAVIS_CMD =
      Pattern.compile("^The command \".*\" (?:failed and )?exited with (\\d+)");
  private static final Pattern GITLAB_FAILED =
      Pattern.compile("^ERROR: Job failed(?:: exit code (\\d+))?");
  private static final Pattern JENKINS_EXIT = Pattern.compile("script returned exit code (\\d+)");

  private final List<Integer> stepStarts = new ArrayList<>();
  private final List<FailureMark> failures = new ArrayList<>();
  private int lines;

  void accept(LogLine l) {
    lines = l.number();
    String t = l.text();
    String c = l.clean();
    if (t.indexOf("##[") >= 0) {
      if (t.contains("##[group]Run ")) {
        stepStarts.add(l.number());
      } else if (t.contains("##[error]")) {
        Matcher m = GHA_EXIT.matcher(t);
        if (m.find()) {
          int code = Integer.parseInt(m.group(1));
          if (code != 0) {
            failures.add(new FailureMark(l.number(), c, code));
          }
        } else if (t.contains("The operation was canceled")
            || t.contains("has exceeded the maximum execution time")) {
          failures.add(new FailureMark(l.number(), c, null));
        }
      }
      return;
    }
    if (c.startsWith("$ ") || c.startsWith("travis_fold:start:")) {
      if (stepStarts.size() < 100_000) {
        stepStarts.add(l.number());
      }
      return;
    }
    if (c.startsWith("The command \"")) {
      Matcher m = TRAVIS_CMD.matcher(c);
      if (m.find() && !"0".equals(m.group(1))) {
        failures.add(new FailureMark(l.number(), c, Integer.parseInt(m.group(1))));
      }
      return;
    }
    if (c.startsWith("ERROR: Job failed")) {
      Matcher m = GITLAB_FAILED.matcher(c);
      if (m.find()) {
        failures.add(
            new FailureMark(
                l.number(), c, m.group(1) == null ? null : Integer.parseInt(m.group(1))));
      }
      return;
    }
    if (c.startsWith("Finished: FAILURE")
        || (c.startsWith("Build step '") && c.contains("marked build as failure"))
        || c.startsWith("error: Bad exit status from")
        || c.startsWith("Done. Your build exited with 1")) {
      failures.add(new FailureMark(l.number(), c, null));
      return;
    }
    if (c.contains("script returned exit code")) {
      Matcher m = JENKINS_EXIT.matcher(c);
      if (m.find() && !"0".equals(m.group(1))) {
        failures.add(new FailureMark(l.number(), c, Integer.parseInt(m.group(1))));
      }
    }
  }

  /** The first place the CI system declared a failure, if it did. */
  FailureMark firstFailure() {
    return failures.isEmpty() ? null : failures.get(0);
  }

  List<FailureMark> failures() {
    return failures;
  }

  /** The start of the step that ends at {@code line}: the last step start before it, or 1. */
  int stepStartBefore(int line) {
    int lo = 0;
    int hi = stepStarts.size() - 1;
    int best = 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int s = stepStarts.get(mid);
      if (s < line) {
        best = s;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }

  int lines() {
    return lines;
  }
}
