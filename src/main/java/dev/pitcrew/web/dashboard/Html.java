package dev.pitcrew.web.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Escaping and formatting for the server-rendered pages. Everything that comes from the store — log
 * lines above all, which anyone who can push a commit can write — goes through {@link #text} or
 * {@link #attr} before it reaches the page.
 */
final class Html {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Html() {}

  /** Escapes text for an element's content or a quoted attribute value. */
  static String text(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        // control characters (ANSI leftovers, NUL) have no business on a page
        default -> {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  static String attr(String s) {
    return text(s);
  }

  /**
   * A link when the URL is plain http(s), otherwise the URL as inert text: a stored {@code
   * javascript:} URL must never become clickable.
   */
  static String link(Optional<String> url, String label) {
    if (url.isEmpty()) {
      return "—";
    }
    String u = url.get().strip();
    String lower = u.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return "<a href=\"" + attr(u) + "\" rel=\"noopener noreferrer\">" + text(label) + "</a>";
    }
    return text(u);
  }

  /** A path segment for an href to one of our own pages. */
  static String segment(String s) {
    return attr(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8))
        .replace("+", "%20");
  }

  /** JSON for a {@code <script type="application/json">} block: no {@code <} can close it. */
  static String jsonInScript(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  static String when(Instant t) {
    return WHEN.format(t);
  }

  static String percent(Optional<Double> rate) {
    return rate.map(r -> String.format(Locale.ROOT, "%.0f%%", r * 100)).orElse("—");
  }

  /** "3 d 4 h", "5 h 20 min", "12 min", "40 s": two units at most, as a person reads it. */
  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    long m = s / 60;
    if (m < 60) {
      return m + " min";
    }
    long h = m / 60;
    if (h < 48) {
      return h + " h" + (m % 60 == 0 ? "" : " " + m % 60 + " min");
    }
    return h / 24 + " d" + (h % 24 == 0 ? "" : " " + h % 24 + " h");
  }

  static String seconds(Optional<Double> s) {
    return s.map(v -> String.format(Locale.ROOT, "%.1f s", v)).orElse("—");
  }
}
