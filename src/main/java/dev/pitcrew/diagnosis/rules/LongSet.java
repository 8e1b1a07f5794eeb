package dev.pitcrew.diagnosis.rules;

/** An open-addressing set of longs: millions of line fingerprints without boxing. */
final class LongSet {
  private long[] table = new long[1 << 12];
  private boolean hasZero;
  private int size;
  private final int maxSize;

  LongSet(int maxSize) {
    this.maxSize = maxSize;
  }

  /** Adds a value; returns false when the set is full and the value was not added. */
  boolean add(long v) {
    if (v == 0) {
      hasZero = true;
      return true;
    }
    if (size >= maxSize) {
      return contains(v);
    }
    if (size * 2 >= table.length) {
      grow();
    }
    if (insert(table, v)) {
      size++;
    }
    return true;
  }

  boolean contains(long v) {
    if (v == 0) {
      return hasZero;
    }
    int mask = table.length - 1;
    int i = mix(v) & mask;
    while (true) {
      long t = table[i];
      if (t == 0) {
        return false;
      }
      if (t == v) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  int size() {
    return size;
  }

  private static boolean insert(long[] tab, long v) {
    int mask = tab.length - 1;
    int i = mix(v) & mask;
    while (true) {
      long t = tab[i];
      if (t == 0) {
        tab[i] = v;
        return true;
      }
      if (t == v) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  private void grow() {
    long[] bigger = new long[table.length * 2];
    for (long v : table) {
      if (v != 0) {
        insert(bigger, v);
      }
    }
    table = bigger;
  }

  private static int mix(long v) {
    long x = v * 0x9E3779B97F4A7C15L;
    return (int) (x ^ (x >>> 32));
  }
}
