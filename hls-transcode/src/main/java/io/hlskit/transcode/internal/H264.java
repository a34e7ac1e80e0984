package io.hlskit.transcode.internal;

import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;

/** Reads the RFC 6381 {@code avc1.PPCCLL} codec name from an Annex B H.264 packet's SPS. */
final class H264 {
  private H264() {}

  /** The codec name from an avcC record (MP4 extradata: version 1, profile, compat, level). */
  static Optional<String> codecsFromAvcc(BytePointer data, int size) {
    if (data == null || data.isNull() || size < 4) {
      return Optional.empty();
    }
    byte[] b = new byte[4];
    data.position(0).get(b);
    if (b[0] != 1) {
      return codecsString(data, size); // Annex B extradata
    }
    return Optional.of(String.format("avc1.%02x%02x%02x", b[1] & 0xff, b[2] & 0xff, b[3] & 0xff));
  }

  static Optional<String> codecsString(BytePointer data, int size) {
    if (data == null || size < 8) {
      return Optional.empty();
    }
    byte[] b = new byte[Math.min(size, 4096)];
    data.position(0).get(b);
    for (int i = 0; i + 6 < b.length; i++) {
      boolean start3 = b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1;
      if (start3 && (b[i + 3] & 0x1f) == 7) {
        return Optional.of(String.format("avc1.%02x%02x%02x", b[i + 4] & 0xff, b[i + 5] & 0xff,
            b[i + 6] & 0xff));
      }
    }
    return Optional.empty();
  }
}
