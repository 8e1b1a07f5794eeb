package dev.pitcrew.notify;

import java.util.Optional;

/**
 * Markdown for GitHub and GitLab (comments, issues) from hostile text. Inline text has HTML and
 * markdown punctuation escaped, and {@code @}, {@code #}, {@code ://} and {@code www.} broken with
 * a zero-width space entity, so a log line can neither mention a person, cross-reference an issue,
 * nor form a link or an image. Multi-line text goes in a fenced block whose fence is longer than
 * any backtick run inside it.
 */
public final class Markdown {
  private static final String ZWSP = "&#8203;";
  private static final String PUNCTUATION = "\\`*_{}[]()#+-.!|~";

  private Markdown() {}

  /** Untrusted text for a paragraph or list item, one line, cut to {@code max}. */
  public static String inline(String s, int max) {
    String clean = Text.clean(s, max, true);
    StringBuilder b = new StringBuilder(clean.length() + 32);
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '@' -> b.append('@').append(ZWSP);
        case '#' -> b.append("\\#").append(ZWSP);
        default -> {
          if (PUNCTUATION.indexOf(c) >= 0) {
            b.append('\\');
          }
          b.append(c);
        }
      }
    }
    // autolinks: the scheme separator and www. are broken; ':' and '/' are not markdown syntax
    return b.toString().replace("://", ":" + ZWSP + "//").replace("www\\.", "www" + ZWSP + "\\.");
  }

  /** Untrusted text as a fenced code block; nothing inside is rendered. */
  public static String codeBlock(String s, int max) {
    String clean = Text.clean(s, max, false);
    int longest = 0;
    int run = 0;
    for (int i = 0; i < clean.length(); i++) {
      run = clean.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(Math.max(3, longest + 1));
    return fence + "text\n" + clean + "\n" + fence;
  }

  /** A link to one of our own URLs, or the bare label when the URL is not a plain http(s) URL. */
  public static String link(String label, Optional<String> url) {
    return url.flatMap(Text::safeUrl)
        .map(u -> "[" + label + "](" + u.replace("(", "%28").replace(")", "%29") + ")")
        .orElse("");
  }
}
