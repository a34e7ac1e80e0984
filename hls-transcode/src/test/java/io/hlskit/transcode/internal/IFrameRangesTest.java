package io.hlskit.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IFrameRangesTest {
  @TempDir
  Path dir;

  /** A TS packet of {@code pid}; with {@code pesStream}, starting a PES packet of that stream. */
  private static byte[] packet(int pid, int pesStream) {
    byte[] p = new byte[188];
    p[0] = 0x47;
    p[1] = (byte) ((pesStream >= 0 ? 0x40 : 0) | (pid >> 8));
    p[2] = (byte) pid;
    p[3] = 0x10; // payload only
    if (pesStream >= 0) {
      p[4] = 0;
      p[5] = 0;
      p[6] = 1;
      p[7] = (byte) pesStream;
    }
    return p;
  }

  private Path ts(byte[]... packets) throws Exception {
    Path file = Files.createTempFile(dir, "seg", ".ts");
    for (byte[] p : packets) {
      Files.write(file, p, java.nio.file.StandardOpenOption.APPEND);
    }
    return file;
  }

  @Test
  void theIFrameOfATransportStreamEndsWhereTheNextPictureStarts() throws Exception {
    Path segment = ts(packet(0, -1), packet(0x1000, -1), packet(0x100, 0xe0),
        packet(0x101, 0xc0), packet(0x100, -1), packet(0x100, 0xe0), packet(0x100, -1));

    assertThat(IFrameRanges.first(segment, false))
        .contains(new IFrameRanges.Range(0, 5 * 188));
  }

  @Test
  void aSegmentOfOnePictureIsOneIFrameAndOneWithoutVideoHasNone() throws Exception {
    assertThat(IFrameRanges.first(ts(packet(0, -1), packet(0x100, 0xe0), packet(0x100, -1)),
        false)).contains(new IFrameRanges.Range(0, 3 * 188));
    assertThat(IFrameRanges.first(ts(packet(0, -1), packet(0x101, 0xc0)), false)).isEmpty();
    Path garbage = Files.writeString(dir.resolve("text.ts"), "not a transport stream at all");
    assertThat(IFrameRanges.first(garbage, false)).isEmpty();
    assertThat(IFrameRanges.first(garbage, true)).isEmpty();
  }
}
