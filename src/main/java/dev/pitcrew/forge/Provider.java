package dev.pitcrew.forge;

import java.util.Locale;

/** Where a repository and its pipelines live. */
public enum Provider {
  GITHUB,
  GITLAB,
  LOCAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
