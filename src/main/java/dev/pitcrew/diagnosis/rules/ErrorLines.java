package dev.pitcrew.diagnosis.rules;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How strongly a line reads as an error report, 0 (not at all) to 3 (the kind of line a person
 * cites): used to pick evidence when no playbook explains a failure. Lines are capped before they
 * get here, and the patterns are simple, so java.util.regex is safe.
 */
final class ErrorLines {
  private static final Pattern STRONG =
      Pattern.compile(
          "^\\s*(?:E\\s{2,}|>\\s+)?[A-Za-z_.$]*(?:Error|Exception|Failure)(?::|\\s*$)"
              + "|\\berror(?:\\[[A-Za-z]*\\d+\\])?:"
              + "|\\berror (?:TS|CS|FS|BC)?\\d{3,5}\\b"
              + "|^\\s*(?:ERROR|FAIL|FAILED|FAILURE|FATAL|Error|Fatal)\\b"
              + "|\\[ERROR\\]\\s+\\S"
              + "|^\\s*[-]{3} FAIL"
              + "|<<< (?:FAILURE|ERROR)!"
              + "|[✗✖×✘❌]"
              + "|^\\s*not ok \\d+"
              + "|\\bfatal:"
              + "|^\\s*panic:"
              + "|Fatal error"
              + "|\\bFAILED\\b"
              + "|Traceback \\(most recent call last\\)"
              + "|^\\s*\\d+\\) \\S"
              + "|\\bAssertionError\\b|\\bassert(?:ion)? failed\\b"
              + "|\\bExpected\\b.*\\b(?:but|got|received|Actual)\\b"
              + "|\\bundefined (?:method|reference|local variable|symbol)\\b"
              + "|\\b\\d+ (?:offenses?|problems?|errors?) (?:detected|found)?"
              + "|^\\S+:\\d+:\\d+: \\S");
  private static final Pattern WORD =
      Pattern.compile(
          "(?i)(?<![\\w-])(?:error|errors|failed|failure|failures|exception|fatal|cannot|could not|unable to|not found|denied|timed out|refused|aborted|panic)(?![\\w-])");

  private ErrorLines() {}

  static int strength(String clean) {
    String s = clean.strip();
    if (s.length() < 4 || s.length() > 1500) {
      return s.length() > 1500 ? 1 : 0;
    }
    char c0 = s.charAt(0);
    if ((c0 == '$' || c0 == '+') && s.length() > 1 && s.charAt(1) == ' ') {
      return 0; // a command being echoed, not its output
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("shell:")
        || lower.startsWith("run ")
        || lower.startsWith("warning")
        || lower.startsWith("warn ")
        || lower.startsWith("npm warn")
        || lower.startsWith("[warning]")
        || lower.startsWith("[info]")
        || lower.startsWith("download")
        || lower.startsWith("echo ")
        || lower.contains("deprecat")
        || lower.contains(" 0 error")
        || lower.contains(" 0 fail")
        || lower.startsWith("0 error")
        || lower.startsWith("0 fail")
        || lower.contains("errors: 0")
        || lower.contains("failures: 0, errors: 0")
        || lower.contains("error=")
        || lower.contains("--with-")
        || lower.contains("continue-on-error")
        || lower.contains("ignore-errors")
        || lower.contains("-error-")) {
      return 0;
    }
    if (lower.startsWith("process completed with exit code")
        || lower.startsWith("error: job failed")
        || lower.startsWith("the command \"")) {
      return 1; // the CI system's own verdict: evidence of last resort
    }
    if (STRONG.matcher(s).find()) {
      return 3;
    }
    if (WORD.matcher(s).find()) {
      return 2;
    }
    return 0;
  }
}
