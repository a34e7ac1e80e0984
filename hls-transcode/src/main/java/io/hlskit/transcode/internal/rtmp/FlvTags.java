package io.hlskit.transcode.internal.rtmp;

import io.hlskit.transcode.internal.rtmp.message.RtmpMessage;

/**
 * RTMP media messages as an FLV stream, which libav's FLV demuxer reads: RTMP's audio, video and
 * data messages are FLV tag bodies already (Enhanced RTMP's too), so each becomes a tag with its
 * type, size and timestamp, followed by the previous-tag-size field.
 */
public final class FlvTags {
  private FlvTags() {}

  /** The FLV file header announcing audio and video, and the first previous-tag-size (0). */
  public static byte[] header() {
    return new byte[] {'F', 'L', 'V', 1, 0x05, 0, 0, 0, 9, 0, 0, 0, 0};
  }

  /** The FLV tag of an audio (8), video (9) or script data (18) body at {@code millis}. */
  public static byte[] tag(int type, long millis, byte[] body, int offset, int length) {
    byte[] tag = new byte[11 + length + 4];
    tag[0] = (byte) type;
    tag[1] = (byte) (length >>> 16);
    tag[2] = (byte) (length >>> 8);
    tag[3] = (byte) length;
    tag[4] = (byte) (millis >>> 16);
    tag[5] = (byte) (millis >>> 8);
    tag[6] = (byte) millis;
    tag[7] = (byte) (millis >>> 24); // the timestamp's upper 8 bits
    // stream id: three zero bytes
    System.arraycopy(body, offset, tag, 11, length);
    int size = 11 + length;
    tag[11 + length] = (byte) (size >>> 24);
    tag[12 + length] = (byte) (size >>> 16);
    tag[13 + length] = (byte) (size >>> 8);
    tag[14 + length] = (byte) size;
    return tag;
  }

  /** The tag of an RTMP audio or video message. */
  public static byte[] tag(RtmpMessage m) {
    return tag(m.type(), m.timestamp(), m.payload(), 0, m.payload().length);
  }
}
