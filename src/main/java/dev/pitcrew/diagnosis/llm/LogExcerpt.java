package dev.pitcrew.diagnosis.llm;

import dev.pitcrew.logs.CappedInputStream;
import dev.pitcrew.logs.LogLine;
import dev.pitcrew.logs.LogReader;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.LogSources;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;

/**
 * Re-reads chosen lines of a log, streaming, keeping only those: the scan keeps positions, the
 * prompt and the grounding check need the text around them.
 */
final class LogExcerpt {
  private LogExcerpt() {}

  /** The text of the wanted lines (1-based) that exist in the log. */
  static Map<Integer, String> read(LogSource log, NavigableSet<Integer> wanted) throws IOException {
    Map<Integer, String> out = new HashMap<>();
    if (wanted.isEmpty()) {
      return out;
    }
    int last = wanted.last();
    try (InputStream in = new CappedInputStream(log.open(), LogSources.DEFAULT_MAX_LOG_BYTES);
        LogReader r = new LogReader(in)) {
      LogLine l;
      while ((l = r.next()) != null && l.number() <= last) {
        if (wanted.contains(l.number())) {
          out.put(l.number(), l.text());
        }
      }
    }
    return out;
  }

  /** Whether a value occurs anywhere in the log (case-sensitive), reading it once. */
  static boolean contains(LogSource log, String value) throws IOException {
    try (InputStream in = new CappedInputStream(log.open(), LogSources.DEFAULT_MAX_LOG_BYTES);
        LogReader r = new LogReader(in)) {
      LogLine l;
      while ((l = r.next()) != null) {
        if (l.text().contains(value)) {
          return true;
        }
      }
    }
    return false;
  }
}
