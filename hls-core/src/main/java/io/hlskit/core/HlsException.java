package io.hlskit.core;

/**
 * The root of every exception that hlskit throws on purpose.
 *
 * <p>It is unchecked: callers catch it where they can do something about it (answer an HTTP
 * error, mark a job failed) and let it travel elsewhere. Messages say what failed and, where the
 * caller can act, what to do about it.
 */
public class HlsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that says what failed and what to do. */
  public HlsException(String message) {
    super(message);
  }

  /** An exception with a message and the lower-level cause. */
  public HlsException(String message, Throwable cause) {
    super(message, cause);
  }
}
