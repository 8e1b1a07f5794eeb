package dev.pitcrew.logs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a raw log line into what a person sees ({@code text}) and what patterns match ({@code
 * clean}). Pure, allocation-light: it is on the hot path of every scan.
 */
public final class LineCleaner {
  // Fixed, simple patterns on already-capped lines: java.util.regex is safe here.
  private static final Pattern BRACKET_TIMESTAMP =
      Pattern.compile(
          "^\\[\\d{4}-\\d\\d-\\d\\d[T ][\\d:.,]+Z?\\]\\s?|^\\[?\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?\\]?\\s");
  private static final Pattern GITLAB_SECTION =
      Pattern.compile("section_(?:start|end):\\d+:[\\w.\\-]+(?:\\[[^\\]]*\\])?");

  private LineCleaner() {}

  /** Removes ANSI escape sequences and control characters, and resolves carriage returns. */
  public static String display(String raw) {
    String s = raw;
    int cr = s.lastIndexOf('\r');
    if (cr >= 0) {
      s = lastVisibleSegment(s);
    }
    if (s.indexOf('\u001b') >= 0 || hasControl(s)) {
      s = stripEscapes(s);
    }
    return s;
  }

  /** The part of a line that matters for matching: no timestamps or CI decorations. */
  public static String clean(String display) {
    String s = display;
    if (s.isEmpty()) {
      return s;
    }
    char c0 = s.charAt(0);
    if (c0 >= '0' && c0 <= '9') {
      int end = isoTimestampEnd(s);
      if (end > 0) {
        s = s.substring(end);
      }
    } else if (c0 == '[') {
      Matcher m = BRACKET_TIMESTAMP.matcher(s);
      if (m.find()) {
        s = s.substring(m.end());
      }
    }
    if (s.startsWith("##[")) {
      int close = s.indexOf(']');
      if (close > 0) {
        s = s.substring(close + 1);
      }
    }
    if (s.indexOf("section_") >= 0) {
      s = GITLAB_SECTION.matcher(s).replaceAll("");
    }
    return s;
  }

  /**
   * Where a leading ISO-8601 timestamp ends (with one following space), or 0 when there is none.
   */
  static int isoTimestampEnd(String s) {
    int n = s.length();
    if (n < 19
        || !digits(s, 0, 4)
        || s.charAt(4) != '-'
        || !digits(s, 5, 2)
        || s.charAt(7) != '-'
        || !digits(s, 8, 2)
        || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
        || !digits(s, 11, 2)
        || s.charAt(13) != ':'
        || !digits(s, 14, 2)
        || s.charAt(16) != ':'
        || !digits(s, 17, 2)) {
      return 0;
    }
    int i = 19;
    if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
      i++;
      while (i < n && Character.isDigit(s.charAt(i))) {
        i++;
      }
    }
    if (i < n && s.charAt(i) == 'Z') {
      i++;
    } else if (i + 5 < n + 1 && i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      int j = i + 1;
      if (digits(s, j, 2)) {
        j += 2;
        if (j < n && s.charAt(j) == ':') {
          j++;
        }
        if (digits(s, j, 2)) {
          i = j + 2;
        }
      }
    }
    if (i < n && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static boolean digits(String s, int from, int count) {
    if (from + count > s.length()) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean hasControl(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\t') {
        return true;
      }
    }
    return false;
  }

  private static String lastVisibleSegment(String s) {
    // A terminal overwrites on \r; GitLab sections end with "\r\e[0K". Keep the last segment with
    // text.
    String[] parts = s.split("\r");
    for (int i = parts.length - 1; i >= 0; i--) {
      String p = stripEscapes(parts[i]);
      if (!p.isBlank()) {
        return parts[i];
      }
    }
    return "";
  }

  static String stripEscapes(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\u001b') {
        // CSI: ESC [ params final-byte; OSC: ESC ] ... BEL/ST; other: ESC + one char
        if (i + 1 < n && s.charAt(i + 1) == '[') {
          int j = i + 2;
          while (j < n && (s.charAt(j) < 0x40 || s.charAt(j) > 0x7e)) {
            j++;
          }
          i = j;
        } else if (i + 1 < n && s.charAt(i + 1) == ']') {
          int j = i + 2;
          while (j < n && s.charAt(j) != '\u0007' && s.charAt(j) != '\u001b') {
            j++;
          }
          i = (j < n && s.charAt(j) == '\u001b') ? j + 1 : j;
        } else {
          i++;
        }
      } else if (c < 0x20 && c != '\t') {
        // drop other control characters (NUL, backspace, form feed…)
      } else if (c == '\u007f') {
        // DEL
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
