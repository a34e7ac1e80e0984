package io.hlskit.transcode.internal.rtmp;

/**
 * A publish that is not taken: the reason goes to the log with the publisher's address, and to
 * the publisher in the {@code onStatus} it gets before its connection closes.
 */
public final class PublishRefusedException extends RtmpProtocolException {
  private static final long serialVersionUID = 1L;
  private final String code;

  /**
   * @param code the NetStream status code the publisher is told ({@code
   *     NetStream.Publish.BadName}, {@code NetStream.Publish.Unauthorized}...)
   */
  public PublishRefusedException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
