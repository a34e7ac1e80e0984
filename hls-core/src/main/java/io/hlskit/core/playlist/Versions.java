package io.hlskit.core.playlist;

import java.util.List;

/** The compatibility-version rules of RFC 8216 section 7, in one place. */
final class Versions {
  /** hlskit writes at least version 3 (decimal EXTINF), which every player in use reads. */
  static final int MINIMUM_WRITTEN = 3;

  private Versions() {}

  /** The lowest version a media playlist with these features may declare. */
  static int media(List<MediaSegment> segments, boolean iFramesOnly, boolean skip) {
    // EXT-X-SKIP: HLS 2nd edition, section 8
    int v = skip ? 9 : iFramesOnly ? 4 : 1;
    for (MediaSegment s : segments) {
      if (s.duration().getNano() != 0) {
        v = Math.max(v, 3);
      }
      if (s.byteRange().isPresent()) {
        v = Math.max(v, 4);
      }
      if (s.key().isPresent()) {
        SegmentKey k = s.key().get();
        if (k.iv().isPresent()) {
          v = Math.max(v, 2);
        }
        if (k.keyFormat().isPresent() || k.keyFormatVersions().isPresent()) {
          v = Math.max(v, 5);
        }
      }
      if (s.map().isPresent()) {
        v = Math.max(v, iFramesOnly ? 5 : 6);
      }
    }
    return v;
  }

  /** The lowest version a multivariant playlist with these renditions may declare. */
  static int multivariant(List<Rendition> renditions) {
    for (Rendition r : renditions) {
      if (r.instreamId().filter(id -> id.startsWith("SERVICE")).isPresent()) {
        return 7;
      }
    }
    return 1;
  }
}
