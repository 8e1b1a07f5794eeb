package dev.pitcrew;

import dev.pitcrew.cli.Cli;

/** Composition root: the launcher calls this; wiring lives in {@link Cli}. */
public final class Pitcrew {
  private Pitcrew() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args, System.getenv()));
  }
}
