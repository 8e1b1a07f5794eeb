package dev.pitcrew.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the literal text a regex requires, so the scanner can skip the regex on lines that lack it.
 * Conservative: when in doubt it returns nothing, and the pattern then runs on every line.
 */
final class RegexLiterals {
  private RegexLiterals() {}

  /**
   * Returns alternatives of which one must appear (lower-cased): for a top-level alternation, the
   * best literal of each branch; otherwise the longest required literal. Empty when none of at
   * least 3 characters is certain.
   */
  static List<String> required(String regex) {
    String body = regex;
    boolean flagsOnlyCase = true;
    if (body.startsWith("(?")) {
      int close = body.indexOf(')');
      if (close > 0 && body.substring(2, close).matches("[imsU]+")) {
        flagsOnlyCase = true;
        body = body.substring(close + 1);
      }
    }
    List<String> branches = splitTopLevel(body);
    if (branches == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String b : branches) {
      String lit = longestLiteral(b);
      if (lit == null || lit.length() < 3) {
        return List.of();
      }
      out.add(lit.toLowerCase(Locale.ROOT));
    }
    return flagsOnlyCase ? out : List.of();
  }

  /** Splits on top-level '|'; null when the structure is not understood. */
  private static List<String> splitTopLevel(String re) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean inClass = false;
    int start = 0;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        continue;
      }
      if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        parts.add(re.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0 || inClass) {
      return null;
    }
    parts.add(re.substring(start));
    return parts;
  }

  /** The longest run of literal characters at depth 0 that is not made optional by a quantifier. */
  private static String longestLiteral(String re) {
    String best = "";
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    boolean inClass = false;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (inClass) {
        if (c == '\\') {
          i++;
        } else if (c == ']') {
          inClass = false;
        }
        continue;
      }
      if (depth > 0) {
        if (c == '\\') {
          i++;
        } else if (c == '[') {
          inClass = true;
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          // a quantified group is fine: the run before it already ended
        }
        continue;
      }
      char lit = 0;
      boolean isLit = false;
      if (c == '\\' && i + 1 < re.length()) {
        char n = re.charAt(i + 1);
        if ("\\.[](){}*+?^$|/-'\" :=<>@#!,%&~`".indexOf(n) >= 0) {
          lit = n;
          isLit = true;
          i++;
        } else {
          i++;
          best = longer(best, cur);
          cur.setLength(0);
          continue;
        }
      } else if ("[(".indexOf(c) >= 0) {
        best = longer(best, cur);
        cur.setLength(0);
        if (c == '[') {
          inClass = true;
        } else {
          depth++;
        }
        continue;
      } else if (".^$".indexOf(c) >= 0) {
        best = longer(best, cur);
        cur.setLength(0);
        continue;
      } else if ("*?{".indexOf(c) >= 0) {
        // the last literal char is optional/repeated: drop it from the run
        if (cur.length() > 0) {
          cur.setLength(cur.length() - 1);
        }
        best = longer(best, cur);
        cur.setLength(0);
        if (c == '{') {
          int close = re.indexOf('}', i);
          i = close < 0 ? re.length() : close;
        }
        continue;
      } else if (c == '+') {
        // at least one: the run so far is required, but stops here
        best = longer(best, cur);
        cur.setLength(0);
        continue;
      } else {
        lit = c;
        isLit = true;
      }
      if (isLit) {
        // a following quantifier makes this char optional; checked on the next iteration
        cur.append(lit);
      }
    }
    best = longer(best, cur);
    return best;
  }

  private static String longer(String best, StringBuilder cur) {
    return cur.length() > best.length() ? cur.toString() : best;
  }
}
