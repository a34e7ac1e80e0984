package io.hlskit.transcode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HevcTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void readsTheCodecNameFromAnHvccRecord() {
    // version 1; Main 10, Main tier; compatible with Main 10; progressive, frame only; level 4.1
    byte[] hvcc = hex("01 02 20000000 B00000000000 7B F000FCFDF8F800000F");

    assertThat(Hevc.codecs(hvcc)).contains("hvc1.2.4.L123.B0");
  }

  @Test
  void readsTheCodecNameFromAnAnnexBSpsPastEmulationPrevention() {
    // a VPS to skip, then an SPS: High tier Main, compatible with Main and Main 10, level 5.1;
    // the two zero constraint bytes before the level are escaped as 00 00 03
    byte[] annexB = hex("00000001 4001 0C01 00000001 4201 01 21 60000000 9000000003000099 AA");

    assertThat(Hevc.codecs(annexB)).contains("hvc1.1.6.H153.90");
  }
}
