package dev.pitcrew.logs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Streams a log line by line without holding it in memory. Lines longer than {@link #maxLineBytes}
 * are cut (the rest is skipped and counted), so a 10 MB single line costs at most the cap. Invalid
 * UTF-8 is replaced, never fatal.
 */
public final class LogReader implements Closeable {
  public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line;
  private int lineLen;
  private int number;
  private long bytesRead;
  private long truncatedLines;
  private long longestLine;
  private boolean eof;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);

  public LogReader(InputStream in) {
    this(in, DEFAULT_MAX_LINE_BYTES);
  }

  public LogReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
    this.line = new byte[Math.min(4096, maxLineBytes)];
  }

  /** The next line, or null at the end. */
  public LogLine next() throws IOException {
    if (eof && pos >= limit) {
      return null;
    }
    lineLen = 0;
    long thisLine = 0;
    boolean sawAny = false;
    while (true) {
      if (pos >= limit) {
        if (!fill()) {
          if (!sawAny) {
            return null;
          }
          break;
        }
      }
      sawAny = true;
      int start = pos;
      int nl = -1;
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl >= 0 ? nl : limit;
      int len = end - start;
      thisLine += len;
      append(start, len);
      pos = nl >= 0 ? nl + 1 : limit;
      if (nl >= 0) {
        break;
      }
    }
    number++;
    longestLine = Math.max(longestLine, thisLine);
    boolean truncated = thisLine > maxLineBytes;
    if (truncated) {
      truncatedLines++;
    }
    String raw = decode();
    String text = LineCleaner.display(raw);
    return new LogLine(number, text, LineCleaner.clean(text), truncated);
  }

  private void append(int start, int len) {
    int room = maxLineBytes - lineLen;
    int take = Math.min(room, len);
    if (take <= 0) {
      return;
    }
    if (lineLen + take > line.length) {
      byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(line.length * 2, lineLen + take))];
      System.arraycopy(line, 0, bigger, 0, lineLen);
      line = bigger;
    }
    System.arraycopy(buf, start, line, lineLen, take);
    lineLen += take;
  }

  private String decode() {
    int n = lineLen;
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (line[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }
    try {
      decoder.reset();
      CharBuffer cb = decoder.decode(ByteBuffer.wrap(line, 0, n));
      return cb.toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(line, 0, n, StandardCharsets.UTF_8);
    }
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int r = in.read(buf, 0, buf.length);
    if (r <= 0) {
      eof = true;
      pos = limit = 0;
      return false;
    }
    bytesRead += r;
    pos = 0;
    limit = r;
    return true;
  }

  public int linesRead() {
    return number;
  }

  public long bytesRead() {
    return bytesRead;
  }

  public long truncatedLines() {
    return truncatedLines;
  }

  public long longestLineBytes() {
    return longestLine;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
