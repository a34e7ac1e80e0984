package io.hlskit.transcode.internal;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;

/**
 * Reads the RFC 6381 {@code hvc1} codec name (ISO/IEC 14496-15 annex E, as {@code
 * hvc1.1.6.L93.B0}) from HEVC extradata: an hvcC record, or Annex B parameter sets as libx265
 * gives them.
 */
final class Hevc {
  private Hevc() {}

  /** The size of the general part of profile_tier_level: the codec name's inputs. */
  private static final int PTL = 12;
  private static final int SPS = 33;

  static Optional<String> codecsFromExtradata(BytePointer data, int size) {
    if (data == null || data.isNull() || size < 4) {
      return Optional.empty();
    }
    byte[] b = new byte[Math.min(size, 4096)];
    data.position(0).get(b);
    return codecs(b);
  }

  static Optional<String> codecs(byte[] b) {
    if (b.length > PTL && b[0] == 1) {
      // hvcC: version, then the general profile_tier_level fields in the same order
      byte[] ptl = new byte[PTL];
      System.arraycopy(b, 1, ptl, 0, PTL);
      return Optional.of(name(ptl));
    }
    for (int i = 0; i + 4 < b.length; i++) {
      if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && ((b[i + 3] >> 1) & 0x3f) == SPS) {
        // NAL header (2 bytes), then sps_video_parameter_set_id, max_sub_layers_minus1 and
        // temporal_id_nesting in one byte, then profile_tier_level
        byte[] rbsp = unescape(b, i + 3, 3 + PTL);
        if (rbsp.length < 3 + PTL) {
          return Optional.empty();
        }
        byte[] ptl = new byte[PTL];
        System.arraycopy(rbsp, 3, ptl, 0, PTL);
        return Optional.of(name(ptl));
      }
    }
    return Optional.empty();
  }

  /** Up to {@code want} bytes of the NAL unit at {@code from}, emulation prevention removed. */
  private static byte[] unescape(byte[] b, int from, int want) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(want);
    int zeros = 0;
    for (int i = from; i < b.length && out.size() < want; i++) {
      int v = b[i] & 0xff;
      if (zeros >= 2 && v == 3) {
        zeros = 0;
        continue;
      }
      zeros = v == 0 ? zeros + 1 : 0;
      out.write(v);
    }
    return out.toByteArray();
  }

  /** The codec name from the 12 bytes of the general profile_tier_level. */
  static String name(byte[] ptl) {
    int space = (ptl[0] >> 6) & 3;
    boolean highTier = (ptl[0] & 0x20) != 0;
    int profile = ptl[0] & 0x1f;
    long compat = ((ptl[1] & 0xffL) << 24) | ((ptl[2] & 0xffL) << 16) | ((ptl[3] & 0xffL) << 8)
        | (ptl[4] & 0xffL);
    StringBuilder s = new StringBuilder("hvc1.");
    if (space > 0) {
      s.append((char) ('A' + space - 1));
    }
    s.append(profile).append('.');
    // the compatibility flags in reverse bit order, in hexadecimal
    s.append(Long.toHexString(Integer.reverse((int) compat) & 0xffffffffL).toUpperCase());
    s.append('.').append(highTier ? 'H' : 'L').append(ptl[11] & 0xff);
    int last = 10;
    while (last >= 5 && ptl[last] == 0) {
      last--; // trailing constraint bytes that are zero are left out
    }
    for (int i = 5; i <= last; i++) {
      s.append('.').append(String.format("%02X", ptl[i] & 0xff));
    }
    return s.toString();
  }
}
