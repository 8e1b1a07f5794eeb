package dev.pitcrew.diagnosis.rules;

/**
 * Hashes a line with its volatile parts (numbers, hex ids, durations, paths of temp dirs) masked,
 * so that the same message from a passing run and a failing run hash alike.
 */
final class LineFingerprint {
  private LineFingerprint() {}

  static long of(String clean) {
    long h = 0xcbf29ce484222325L;
    boolean lastWasDigit = false;
    boolean lastWasSpace = true;
    int n = clean.length();
    for (int i = 0; i < n; i++) {
      char c = clean.charAt(i);
      if (c >= '0' && c <= '9') {
        if (!lastWasDigit) {
          h = (h ^ '#') * 0x100000001b3L;
        }
        lastWasDigit = true;
        lastWasSpace = false;
        continue;
      }
      lastWasDigit = false;
      if (c == ' ' || c == '\t') {
        if (!lastWasSpace) {
          h = (h ^ ' ') * 0x100000001b3L;
        }
        lastWasSpace = true;
        continue;
      }
      lastWasSpace = false;
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      }
      h = (h ^ c) * 0x100000001b3L;
    }
    return h;
  }
}
