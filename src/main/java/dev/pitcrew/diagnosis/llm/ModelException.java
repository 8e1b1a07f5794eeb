package dev.pitcrew.diagnosis.llm;

/**
 * A model call that did not produce an answer.
 *
 * @param status the HTTP status when there was one (429, 529, 500 ...), else 0 (timeout, refused)
 */
public final class ModelException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final boolean retryable;

  public ModelException(String message, int status, boolean retryable, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryable = retryable;
  }

  public int status() {
    return status;
  }

  /** Whether trying again later may help: 408, 429, 5xx, 529, timeouts and refused connections. */
  public boolean retryable() {
    return retryable;
  }

  /** The usual reading of an HTTP status: overload, rate limits and server errors are transient. */
  public static boolean retryableStatus(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }
}
