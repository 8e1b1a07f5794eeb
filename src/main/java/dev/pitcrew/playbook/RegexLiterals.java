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
   * best literal of each branch; otherwise the longest required literal, or the literals of a
   * required group of alternatives such as {@code (?:ETIMEDOUT|ECONNRESET)}, whichever has the
   * longer shortest member. Empty when nothing of at least 3 characters is certain.
   */
  static List<String> required(String regex) {
    String body = regex;
    if (body.startsWith("(?")) {
      int close = body.indexOf(')');
      if (close > 0 && body.substring(2, close).matches("[imsU]+")) {
        body = body.substring(close + 1);
      }
    }
    List<String> best = requiredSet(body, 0);
    return best == null ? List.of() : best;
  }

  private static List<String> requiredSet(String body, int depth) {
    if (depth > 4) {
      return null;
    }
    List<String> branches = splitTopLevel(body);
    if (branches == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String b : branches) {
      List<String> set = bestForSequence(b, depth);
      if (set == null) {
        return null;
      }
      out.addAll(set);
    }
    return out;
  }

  /** The best required set of one branch (no top-level '|'). */
  private static List<String> bestForSequence(String seq, int depth) {
    String lit = longestLiteral(seq);
    List<String> best =
        lit != null && lit.length() >= 3 ? List.of(lit.toLowerCase(Locale.ROOT)) : null;
    for (String group : requiredGroups(seq)) {
      List<String> set = requiredSet(group, depth + 1);
      if (set != null && !set.isEmpty() && (best == null || minLen(set) > minLen(best))) {
        best = set;
      }
    }
    return best;
  }

  private static int minLen(List<String> set) {
    return set.stream().mapToInt(String::length).min().orElse(0);
  }

  /** Bodies of the depth-0 groups in a sequence that are not made optional by a quantifier. */
  private static List<String> requiredGroups(String re) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    boolean inClass = false;
    int start = -1;
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
        if (depth == 0) {
          start = i;
        }
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0 && start >= 0) {
          char next = i + 1 < re.length() ? re.charAt(i + 1) : ' ';
          boolean optional =
              next == '?' || next == '*' || (next == '{' && re.startsWith("{0", i + 1));
          if (!optional) {
            String inner = re.substring(start + 1, i);
            if (inner.startsWith("?:")) {
              inner = inner.substring(2);
            } else if (inner.startsWith("?P<") || inner.startsWith("?<")) {
              int gt = inner.indexOf('>');
              inner = gt > 0 ? inner.substring(gt + 1) : null;
            } else if (inner.startsWith("?")) {
              inner = null; // flags group or something we do not model
            }
            if (inner != null) {
              out.add(inner);
            }
          }
          start = -1;
        }
      }
    }
    return out;
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
