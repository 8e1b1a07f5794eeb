package dev.pitcrew.remediation;

import java.util.ArrayList;
import java.util.List;

/**
 * Unified diffs (as {@code git diff} prints them) between two versions of a text file, so that a
 * plan shows people exactly what would change. Line-based, three lines of context.
 */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;

  /** Files larger than this many lines squared are not diffed line by line (memory bound). */
  private static final long MAX_CELLS = 25_000_000L;

  private UnifiedDiff() {}

  /** The diff from {@code before} to {@code after}; empty when they are equal. */
  public static String of(String path, String before, String after) {
    if (before.equals(after)) {
      return "";
    }
    List<String> a = lines(before);
    List<String> b = lines(after);
    // trim the common head and tail so the quadratic part only sees the changed region
    int head = 0;
    while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
      head++;
    }
    int tail = 0;
    while (tail < a.size() - head
        && tail < b.size() - head
        && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
      tail++;
    }
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < head; i++) {
      ops.add(new Op(' ', a.get(i), i, i));
    }
    ops.addAll(middle(a.subList(head, a.size() - tail), b.subList(head, b.size() - tail), head));
    for (int k = tail; k > 0; k--) {
      int i = a.size() - k;
      int j = b.size() - k;
      ops.add(new Op(' ', a.get(i), i, j));
    }
    StringBuilder out = new StringBuilder();
    String name = path.startsWith("/") ? path.substring(1) : path;
    out.append("--- a/").append(name).append('\n');
    out.append("+++ b/").append(name).append('\n');
    hunks(ops, out);
    return out.toString();
  }

  private record Op(char kind, String text, int aIndex, int bIndex) {}

  private static List<Op> middle(List<String> a, List<String> b, int offset) {
    int n = a.size();
    int m = b.size();
    List<Op> ops = new ArrayList<>();
    if ((long) n * m > MAX_CELLS) {
      for (int i = 0; i < n; i++) {
        ops.add(new Op('-', a.get(i), offset + i, offset));
      }
      for (int j = 0; j < m; j++) {
        ops.add(new Op('+', b.get(j), offset + n, offset + j));
      }
      return ops;
    }
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        ops.add(new Op(' ', a.get(i), offset + i, offset + j));
        i++;
        j++;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        // deletions first, as git prints them
        ops.add(new Op('-', a.get(i), offset + i, offset + j));
        i++;
      } else {
        ops.add(new Op('+', b.get(j), offset + i, offset + j));
        j++;
      }
    }
    return ops;
  }

  private static void hunks(List<Op> ops, StringBuilder out) {
    int k = 0;
    while (k < ops.size()) {
      while (k < ops.size() && ops.get(k).kind == ' ') {
        k++;
      }
      if (k == ops.size()) {
        return;
      }
      int start = Math.max(0, k - CONTEXT);
      int end = k;
      // extend while changes are within 2*CONTEXT of each other
      int lastChange = k;
      int p = k;
      while (p < ops.size()) {
        if (ops.get(p).kind != ' ') {
          lastChange = p;
        } else if (p - lastChange > 2 * CONTEXT) {
          break;
        }
        p++;
      }
      end = Math.min(ops.size(), lastChange + CONTEXT + 1);
      int aStart = ops.get(start).aIndex;
      int bStart = ops.get(start).bIndex;
      int aLen = 0;
      int bLen = 0;
      for (int q = start; q < end; q++) {
        char c = ops.get(q).kind;
        if (c != '+') {
          aLen++;
        }
        if (c != '-') {
          bLen++;
        }
      }
      out.append("@@ -")
          .append(range(aStart, aLen))
          .append(" +")
          .append(range(bStart, bLen))
          .append(" @@\n");
      for (int q = start; q < end; q++) {
        Op op = ops.get(q);
        out.append(op.kind).append(op.text);
        if (op.text.endsWith("\n")) {
          continue;
        }
        out.append("\n\\ No newline at end of file\n");
      }
      k = end;
    }
  }

  private static String range(int start, int len) {
    int first = len == 0 ? start : start + 1;
    return len == 1 ? String.valueOf(first) : first + "," + len;
  }

  /** Lines with their terminators, so a missing final newline shows in the diff. */
  static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        out.add(s.substring(from, i + 1));
        from = i + 1;
      }
    }
    if (from < s.length()) {
      out.add(s.substring(from));
    }
    return out;
  }
}
