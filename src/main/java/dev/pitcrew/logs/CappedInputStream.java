package dev.pitcrew.logs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Stops after a byte budget and remembers that it did: defends against bombs and absurd logs. */
public final class CappedInputStream extends FilterInputStream {
  private final long cap;
  private long count;
  private boolean hitCap;

  public CappedInputStream(InputStream in, long cap) {
    super(in);
    this.cap = cap;
  }

  @Override
  public int read() throws IOException {
    if (count >= cap) {
      hitCap |= super.read() >= 0;
      return -1;
    }
    int b = super.read();
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (count >= cap) {
      if (!hitCap) {
        hitCap = super.read() >= 0;
      }
      return -1;
    }
    int r = super.read(b, off, (int) Math.min(len, cap - count));
    if (r > 0) {
      count += r;
    }
    return r;
  }

  public boolean hitCap() {
    return hitCap;
  }

  public long count() {
    return count;
  }
}
