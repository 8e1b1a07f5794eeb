package dev.pitcrew.logs;

import java.io.IOException;
import java.io.InputStream;

/** A log that can be opened (and re-opened) as a stream of bytes, after decompression. */
public interface LogSource {
  /** The name a person recognises: the path as given, the zip entry, or the job URL. */
  String name();

  InputStream open() throws IOException;

  /** Whether the source was cut at the size cap while reading (known once read). */
  default boolean truncated() {
    return false;
  }
}
