package io.hlskit.core.live;

import io.hlskit.core.HlsException;
import java.util.Objects;

/** A publish into a live channel was refused; {@link #reason} says what kind of refusal. */
public class LivePublishException extends HlsException {
  private static final long serialVersionUID = 1L;

  /** What kind of refusal, for an HTTP status or a WebSocket close code. */
  public enum Reason {
    /** No channel, or not a live one. */
    NOT_FOUND,
    /** No credentials, or a wrong stream key or token. */
    UNAUTHENTICATED,
    /** Credentials that may not publish into this channel. */
    FORBIDDEN,
    /** The channel has a publisher already, or the caller is live elsewhere. */
    BUSY,
    /** The channel cannot take this stream (its settings, the stream's form). */
    BAD_REQUEST,
    /** The ingest is stopping or cannot take more. */
    UNAVAILABLE
  }

  private final Reason reason;

  public LivePublishException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** What kind of refusal this is. */
  public Reason reason() {
    return reason;
  }
}
