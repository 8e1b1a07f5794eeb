package dev.pitcrew.remediation.dependency;

/**
 * The result of an ecosystem editor: the new text of the manifest and a sentence for people, or the
 * reason the edit cannot be made safely.
 */
public record Edit(String after, String description) {
  /** Thrown when a manifest cannot be edited without guessing. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }
}
