package io.hlskit.core;

/**
 * A transcode stopped because it was cancelled (its thread interrupted), not because it failed:
 * nothing was published, and trying again may well work.
 */
public class TranscodeCancelledException extends TranscodeException {
  private static final long serialVersionUID = 1L;

  public TranscodeCancelledException(String message) {
    super(message);
  }
}
