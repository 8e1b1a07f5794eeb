package dev.pitcrew.forge.http;

import java.time.Duration;

/** Waits; injected so tests can see every back-off without spending the time. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  Sleeper REAL =
      d -> {
        if (!d.isNegative() && !d.isZero()) {
          Thread.sleep(d);
        }
      };
}
