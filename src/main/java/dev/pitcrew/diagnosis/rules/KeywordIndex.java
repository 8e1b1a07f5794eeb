package dev.pitcrew.diagnosis.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An Aho-Corasick automaton over ASCII keywords, case-insensitive: one pass over a line tells which
 * patterns can possibly match it, so the regexes run only on the few lines that matter.
 */
final class KeywordIndex {
  private static final int ALPHA = 128;
  private final int[] delta;
  private final int[][] out;

  /**
   * @param keywordsByPattern for each pattern, its keywords (lower-case, ASCII); an empty list is
   *     not indexed (the caller runs that pattern on every line)
   */
  KeywordIndex(List<List<String>> keywordsByPattern) {
    List<int[]> gotoRows = new ArrayList<>();
    List<List<Integer>> outs = new ArrayList<>();
    gotoRows.add(newRow());
    outs.add(new ArrayList<>());
    for (int p = 0; p < keywordsByPattern.size(); p++) {
      for (String kw : keywordsByPattern.get(p)) {
        int s = 0;
        for (int i = 0; i < kw.length(); i++) {
          int c = fold(kw.charAt(i));
          int[] row = gotoRows.get(s);
          if (row[c] < 0) {
            row[c] = gotoRows.size();
            gotoRows.add(newRow());
            outs.add(new ArrayList<>());
          }
          s = row[c];
        }
        if (!outs.get(s).contains(p)) {
          outs.get(s).add(p);
        }
      }
    }
    int n = gotoRows.size();
    delta = new int[n * ALPHA];
    int[] fail = new int[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    int[] root = gotoRows.get(0);
    for (int c = 0; c < ALPHA; c++) {
      if (root[c] > 0) {
        fail[root[c]] = 0;
        queue.add(root[c]);
        delta[c] = root[c];
      } else {
        delta[c] = 0;
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      int[] row = gotoRows.get(s);
      outs.get(s).addAll(outs.get(fail[s]).stream().filter(x -> !outs.get(s).contains(x)).toList());
      for (int c = 0; c < ALPHA; c++) {
        int t = row[c];
        if (t > 0) {
          fail[t] = delta[fail[s] * ALPHA + c];
          queue.add(t);
          delta[s * ALPHA + c] = t;
        } else {
          delta[s * ALPHA + c] = delta[fail[s] * ALPHA + c];
        }
      }
    }
    out = new int[n][];
    for (int s = 0; s < n; s++) {
      List<Integer> o = outs.get(s);
      out[s] = o.isEmpty() ? null : o.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static int[] newRow() {
    int[] r = new int[ALPHA];
    java.util.Arrays.fill(r, -1);
    return r;
  }

  private static int fold(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c + 32;
    }
    return c < ALPHA ? c : 0;
  }

  /**
   * Marks in {@code seen} (with the given epoch) every pattern whose keyword occurs in the line.
   */
  int scan(String line, int[] seen, int epoch, int[] found) {
    int count = 0;
    int s = 0;
    int[] d = delta;
    for (int i = 0, n = line.length(); i < n; i++) {
      char c = line.charAt(i);
      int f = c >= 'A' && c <= 'Z' ? c + 32 : (c < ALPHA ? c : 0);
      s = d[s * ALPHA + f];
      int[] o = out[s];
      if (o != null) {
        for (int p : o) {
          if (seen[p] != epoch) {
            seen[p] = epoch;
            found[count++] = p;
          }
        }
      }
    }
    return count;
  }

  /** Whether a keyword can be indexed (ASCII only). */
  static boolean indexable(String kw) {
    for (int i = 0; i < kw.length(); i++) {
      if (kw.charAt(i) >= ALPHA || kw.charAt(i) == 0) {
        return false;
      }
    }
    return !kw.isEmpty();
  }
}
