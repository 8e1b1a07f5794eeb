package dev.pitcrew.notify.slack;

import dev.pitcrew.notify.Text;

/**
 * Slack mrkdwn escaping. Slack gives control characters only to {@code &}, {@code <} and {@code >}:
 * escaping them means log text can never form {@code <!channel>}, {@code <@U123>} or {@code
 * <https://evil|click>}. Bare URLs and {@code @here} in untrusted text are defanged with a word
 * joiner, because Slack links and (with link_names) pings them without angle brackets.
 */
final class SlackText {
  private SlackText() {}

  /** Untrusted text for a mrkdwn field, on one line, cut to {@code max} characters. */
  static String inline(String s, int max) {
    return defang(escape(Text.clean(s, max, true)));
  }

  /**
   * Untrusted text inside a ``` block: no formatting or linking applies there, but a backtick run
   * would close the block, so backticks become a look-alike.
   */
  static String code(String s, int max) {
    return escape(Text.clean(s, max, false).replace('`', 'ˋ'));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String defang(String s) {
    // U+2060 WORD JOINER is invisible but stops Slack's auto-linking and @-mention parsing
    return s.replace("://", ":\u2060//").replace("www.", "www\u2060.").replace("@", "@\u2060");
  }
}
