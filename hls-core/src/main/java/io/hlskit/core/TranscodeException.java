package io.hlskit.core;

import java.util.Optional;

/**
 * Transcoding failed. When libav reported the failure, its error text is kept in
 * {@link #libavError()} and repeated in the message.
 */
public class TranscodeException extends HlsException {
  private static final long serialVersionUID = 1L;

  private final String libavError;

  public TranscodeException(String message) {
    super(message);
    this.libavError = null;
  }

  public TranscodeException(String message, Throwable cause) {
    super(message, cause);
    this.libavError = null;
  }

  /**
   * @param message what hlskit was doing and what to do about it
   * @param libavError the text libav gave for its error code (from {@code av_strerror})
   */
  public TranscodeException(String message, String libavError) {
    super(message + " (libav: " + libavError + ")");
    this.libavError = libavError;
  }

  /** libav's own text for the error, when libav reported it. */
  public Optional<String> libavError() {
    return Optional.ofNullable(libavError);
  }
}
