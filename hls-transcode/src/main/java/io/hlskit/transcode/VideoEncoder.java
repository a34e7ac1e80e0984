package io.hlskit.transcode;

import java.util.Locale;

/** The video encoders a {@link Rendition} can ask for. */
public enum VideoEncoder {
  /**
   * H.264 from whichever encoder the natives have: libx264 with the GPL natives, OpenH264
   * otherwise (see {@link Transcoder#videoEncoder}).
   */
  H264(null),
  /** H.264 from libx264; needs the GPL natives. */
  X264("libx264"),
  /** H.264 from Cisco's OpenH264: no presets, no constant quality. */
  OPENH264("libopenh264"),
  /**
   * HEVC from libx265, tagged {@code hvc1} as Apple's players want it; needs the GPL natives and
   * fragmented MP4 segments (HLS carries HEVC only in fMP4).
   */
  X265("libx265");

  private final String libavName;

  VideoEncoder(String libavName) {
    this.libavName = libavName;
  }

  /** libav's name of the encoder; null for {@link #H264}, which the transcoder picks. */
  String libavName() {
    return libavName;
  }

  /**
   * The encoder for its command-line name: {@code h264}, {@code x264}, {@code openh264}, {@code
   * x265} (or {@code hevc}).
   */
  public static VideoEncoder of(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("hevc")) {
      return X265;
    }
    for (VideoEncoder e : values()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(n)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown video encoder '" + name + "': use h264 (the one"
        + " the natives have), x264, openh264 or x265 (HEVC, with fmp4 segments)");
  }

  /** Whether it makes HEVC rather than H.264. */
  public boolean isHevc() {
    return this == X265;
  }
}
