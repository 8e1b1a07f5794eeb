package dev.pitcrew.forge.http;

import dev.pitcrew.logs.CappedInputStream;
import dev.pitcrew.logs.LogSource;
import dev.pitcrew.logs.LogSources;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A job log on a forge: downloaded (streamed, never held whole) each time it is opened, cut at a
 * byte cap, and gunzipped when the forge sends it compressed.
 */
public final class RemoteLogSource implements LogSource {
  private final String name;
  private final ForgeHttp http;
  private final ForgeHttp.Request request;
  private final long cap;
  private volatile CappedInputStream last;

  public RemoteLogSource(String name, ForgeHttp http, ForgeHttp.Request request, long cap) {
    this.name = name;
    this.http = http;
    this.request = request;
    this.cap = cap;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public InputStream open() throws IOException {
    CappedInputStream capped = http.download(request, cap);
    last = capped;
    return LogSources.maybeGunzip(new FilterInputStream(capped) {});
  }

  @Override
  public boolean truncated() {
    CappedInputStream c = last;
    return c != null && c.hitCap();
  }

  @Override
  public String toString() {
    return "RemoteLogSource[" + name + "]";
  }
}
