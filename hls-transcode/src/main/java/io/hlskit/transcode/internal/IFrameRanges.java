package io.hlskit.transcode.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Where a segment's first I-frame lies, for I-frame playlists: hlskit's segments start with a
 * keyframe (forced at every segment start), so the byte range from the segment's start to the
 * end of its first video access unit is a playable I-frame, with the tables (MPEG-TS) or the
 * fragment header (fMP4) a reader needs before it.
 */
public final class IFrameRanges {
  private IFrameRanges() {}

  /** A byte range: {@code length} bytes from {@code offset}. */
  public record Range(long offset, long length) {}

  private static final int TS_PACKET = 188;
  /** No segment is searched further than this for its I-frame's end. */
  private static final int MAX_SCAN = 64 << 20;

  /**
   * The first I-frame of {@code segment}; empty when it cannot be found (no video, or a
   * segment not laid out as expected).
   */
  public static Optional<Range> first(Path segment, boolean fmp4) throws IOException {
    return fmp4 ? firstInFragment(segment) : firstInTransportStream(segment);
  }

  /**
   * MPEG-TS: from 0 to the packet that starts the second video PES packet (the picture after
   * the keyframe), or to the end when the segment holds one picture.
   */
  static Optional<Range> firstInTransportStream(Path segment) throws IOException {
    try (InputStream in = Files.newInputStream(segment)) {
      byte[] p = new byte[TS_PACKET];
      int videoPid = -1;
      long offset = 0;
      while (offset < MAX_SCAN && in.readNBytes(p, 0, TS_PACKET) == TS_PACKET) {
        if (p[0] != 0x47) {
          return Optional.empty(); // lost sync: not a stream we wrote
        }
        boolean unitStart = (p[1] & 0x40) != 0;
        int pid = ((p[1] & 0x1f) << 8) | (p[2] & 0xff);
        if (unitStart && isVideoPes(p)) {
          if (videoPid < 0) {
            videoPid = pid;
          } else if (pid == videoPid) {
            return Optional.of(new Range(0, offset));
          }
        }
        offset += TS_PACKET;
      }
      return videoPid < 0 ? Optional.empty() : Optional.of(new Range(0, offset));
    }
  }

  /** Whether the packet's payload starts a PES packet of a video stream (stream id 0xE0-0xEF). */
  private static boolean isVideoPes(byte[] p) {
    int control = (p[3] >> 4) & 0x3;
    int start = 4;
    if (control == 2 || control == 3) {
      start += 1 + (p[4] & 0xff); // adaptation field
    }
    if (control == 2 || start + 4 > TS_PACKET) {
      return false; // no payload
    }
    return p[start] == 0 && p[start + 1] == 0 && p[start + 2] == 1
        && (p[start + 3] & 0xf0) == 0xe0;
  }

  /**
   * Fragmented MP4: from 0 through the first fragment's {@code moof} and the first sample of
   * its first track (the video track: ours comes first) in the {@code mdat}.
   */
  static Optional<Range> firstInFragment(Path segment) throws IOException {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      long at = 0;
      while (at + 8 <= size) {
        ByteBuffer header = read(ch, at, 8);
        long boxSize = header.getInt(0) & 0xffffffffL;
        String type = fourCc(header, 4);
        if (boxSize < 8 || at + boxSize > size) {
          return Optional.empty();
        }
        if (type.equals("moof")) {
          if (boxSize > MAX_SCAN) {
            return Optional.empty();
          }
          long moofAt = at;
          ByteBuffer moof = read(ch, at, (int) boxSize);
          return firstSample(moof).map(s -> new Range(0, moofAt + s[0] + s[1]))
              .filter(r -> r.length() <= size);
        }
        at += boxSize;
      }
      return Optional.empty();
    }
  }

  /**
   * In a {@code moof}: the first {@code traf}'s first sample, as {offset from the moof, size},
   * from its {@code tfhd} (default size, base offset flags) and {@code trun} (data offset, first
   * sample size).
   */
  private static Optional<long[]> firstSample(ByteBuffer moof) {
    int traf = child(moof, 8, moof.limit(), "traf");
    if (traf < 0) {
      return Optional.empty();
    }
    int trafEnd = traf + moof.getInt(traf);
    int tfhd = child(moof, traf + 8, trafEnd, "tfhd");
    int trun = child(moof, traf + 8, trafEnd, "trun");
    if (tfhd < 0 || trun < 0) {
      return Optional.empty();
    }
    int tfhdFlags = moof.getInt(tfhd + 8) & 0xffffff;
    int pos = tfhd + 16; // after size, type, version and flags, track id
    if ((tfhdFlags & 0x1) != 0) {
      return Optional.empty(); // an explicit base data offset: not what libav's muxer writes
    }
    pos += (tfhdFlags & 0x2) != 0 ? 4 : 0; // sample description index
    pos += (tfhdFlags & 0x8) != 0 ? 4 : 0; // default sample duration
    long defaultSize = (tfhdFlags & 0x10) != 0 ? moof.getInt(pos) & 0xffffffffL : -1;

    int trunFlags = moof.getInt(trun + 8) & 0xffffff;
    int samples = moof.getInt(trun + 12);
    if ((trunFlags & 0x1) == 0 || samples < 1) {
      return Optional.empty(); // no data offset: the sample's place is not known
    }
    long dataOffset = moof.getInt(trun + 16); // from the moof: default-base-is-moof
    int sample = trun + 20 + ((trunFlags & 0x4) != 0 ? 4 : 0); // first sample flags
    sample += (trunFlags & 0x100) != 0 ? 4 : 0; // sample duration
    long sampleSize = (trunFlags & 0x200) != 0 ? moof.getInt(sample) & 0xffffffffL
        : defaultSize;
    if (sampleSize <= 0 || dataOffset <= 0) {
      return Optional.empty();
    }
    return Optional.of(new long[] {dataOffset, sampleSize});
  }

  /** The offset of the first box of {@code type} between {@code from} and {@code to}. */
  private static int child(ByteBuffer b, int from, int to, String type) {
    int at = from;
    while (at + 8 <= to) {
      int size = b.getInt(at);
      if (size < 8 || at + size > to) {
        return -1;
      }
      if (fourCc(b, at + 4).equals(type)) {
        return at;
      }
      at += size;
    }
    return -1;
  }

  private static String fourCc(ByteBuffer b, int at) {
    return new String(new byte[] {b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)},
        java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new IOException("the segment ends inside a box");
      }
    }
    return b.flip();
  }
}
