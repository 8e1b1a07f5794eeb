package dev.pitcrew.notify;

import java.util.Locale;
import java.util.Optional;

/** Sink-neutral text helpers: control characters out, long lines cut, safe link checks. */
public final class Text {
  private Text() {}

  /** Removes control characters (keeping tab; newlines too unless {@code oneLine}), then cuts. */
  public static String clean(String s, int max, boolean oneLine) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max + 1));
    for (int i = 0; i < s.length() && b.length() <= max; i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        b.append(oneLine ? ' ' : '\n');
      } else if (c == '\t') {
        b.append(' ');
      } else if (Character.isISOControl(c)
          || c == '\u2028'
          || c == '\u2029'
          || c == '\u202E'
          || c == '\u202D'
          || c == '\u200B'
          || c == '\u2066'
          || c == '\u2067'
          || c == '\u2068'
          || c == '\u2069') {
        // bidi overrides and zero-width characters only serve to hide text from a reader
        continue;
      } else {
        b.append(c);
      }
    }
    String out = b.toString().strip();
    if (out.length() > max) {
      // do not split a surrogate pair
      int cut = Character.isLowSurrogate(out.charAt(max - 1)) ? max - 2 : max - 1;
      out = out.substring(0, Math.max(0, cut)) + "…";
    }
    return out;
  }

  /** The URL when it is an absolute http(s) URL without spaces or control characters. */
  public static Optional<String> safeUrl(String url) {
    if (url == null || url.isBlank() || url.length() > 3000) {
      return Optional.empty();
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("https://") || lower.startsWith("http://"))) {
      return Optional.empty();
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '`' || c == '\\' || c == 0x7f) {
        return Optional.empty();
      }
    }
    return Optional.of(url);
  }

  /** "87%" from 0.87. */
  public static String percent(double confidence) {
    return Math.round(Math.max(0, Math.min(1, confidence)) * 100) + "%";
  }

  /** A status word with its mark: passed ✅, failed ❌, running ⏳. */
  public static String status(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "passed", "success", "succeeded" -> "✅ Passed";
      case "failed", "failure" -> "❌ Failed";
      case "running", "pending" -> "⏳ Running";
      default -> status;
    };
  }

  /** Title-cased risk level: High. */
  public static String capitalized(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
  }

  /** "~15 minutes" from 15.0. */
  public static String minutes(double m) {
    long r = Math.round(m);
    return "~" + r + (r == 1 ? " minute" : " minutes");
  }
}
