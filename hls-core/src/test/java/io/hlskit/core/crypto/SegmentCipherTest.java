package io.hlskit.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.HlsException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmentCipherTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] encrypt(ContentKey key, byte[] iv, byte[] clear) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SegmentCipher.encrypt(key, iv, new ByteArrayInputStream(clear), out);
    return out.toByteArray();
  }

  @Test
  void matchesTheNistCbcVectorAndPadsLikePkcs7() throws Exception {
    // NIST SP 800-38A, F.2.1 CBC-AES128.Encrypt, first block
    ContentKey key = ContentKey.of("nist", HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"));
    byte[] iv = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    byte[] out = encrypt(key, iv, HEX.parseHex("6bc1bee22e409f96e93d7e117393172a"));
    assertThat(HEX.formatHex(Arrays.copyOf(out, 16))).isEqualTo("7649abac8119b246cee98e9b12e9197d");
    assertThat(out).hasSize(32); // a whole block of padding after a whole block of data
  }

  @Test
  void theIvIsTheMediaSequenceNumberBigEndian() {
    assertThat(SegmentCipher.ivAttribute(SegmentCipher.ivFor(0)))
        .isEqualTo("0x00000000000000000000000000000000");
    assertThat(SegmentCipher.ivAttribute(SegmentCipher.ivFor(0x0102)))
        .isEqualTo("0x00000000000000000000000000000102");
    assertThatThrownBy(() -> SegmentCipher.ivFor(-1)).hasMessageContaining("not negative");
  }

  @Test
  void decryptsWhatItEncryptsAndRefusesTheWrongKey() throws Exception {
    byte[] clear = new byte[188 * 1000 + 7];
    new Random(1).nextBytes(clear);
    ContentKey key = ContentKey.generate();
    byte[] sealed = encrypt(key, SegmentCipher.ivFor(3), clear);
    assertThat(sealed.length).isEqualTo((clear.length / 16 + 1) * 16);
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    SegmentCipher.decrypt(key, SegmentCipher.ivFor(3), new ByteArrayInputStream(sealed), back);
    assertThat(back.toByteArray()).isEqualTo(clear);
    assertThatThrownBy(() -> SegmentCipher.decrypt(ContentKey.generate(), SegmentCipher.ivFor(3),
        new ByteArrayInputStream(sealed), new ByteArrayOutputStream()))
        .isInstanceOf(HlsException.class).hasMessageContaining("not AES-128 data of this key");
  }

  @Test
  void keysHaveRandomIdsAndNeverShowTheirBytes() {
    ContentKey a = ContentKey.generate();
    ContentKey b = ContentKey.generate();
    assertThat(a.id()).isNotEqualTo(b.id()).matches("[0-9a-f]{16}");
    assertThat(a).isNotEqualTo(b).isEqualTo(ContentKey.of(a.id(), a.bytes()));
    assertThat(a.toString()).doesNotContain(HEX.formatHex(a.bytes()));
    assertThat(a.storageKey("ch")).isEqualTo("ch/keys/" + a.id() + ".key");
    assertThat(a.uri("ch")).isEqualTo("/api/keys/ch/" + a.id());
    assertThat(ContentKey.isKeyObject("keys/" + a.id() + ".key")).isTrue();
    assertThat(ContentKey.isKeyObject("360p/seg_00000.ts")).isFalse();
    assertThatThrownBy(() -> ContentKey.of("../x", new byte[16])).hasMessageContaining("key id");
    assertThatThrownBy(() -> ContentKey.of("k", new byte[15])).hasMessageContaining("16 bytes");
  }
}
