package io.hlskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StorageKeysTest {
  @ParameterizedTest
  @ValueSource(strings = {"canal1/playlist.m3u8", "a", "canal_1/720p/seg_00000.ts", "a/b/c.d",
      "..a/b..", "x/...", "niño/vídeo.ts"})
  void acceptsRelativeKeys(String key) {
    assertThat(StorageKeys.requireKey(key)).isEqualTo(key);
  }

  @Test
  void saysWhatIsWrongWithAKey() {
    assertThatThrownBy(() -> StorageKeys.requireKey("a/../b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid key 'a/../b': it has a '..' segment");
    assertThatThrownBy(() -> StorageKeys.requireKey("a\u0000")).hasMessage(
        "invalid key 'a\\u0000': it holds a control character");
    assertThatThrownBy(() -> StorageKeys.requireKey("x".repeat(600)))
        .hasMessageContaining("longer than 512");
  }

  @Test
  void prefixesMayEndWithASlash() {
    assertThat(StorageKeys.requirePrefix("")).isEmpty();
    assertThat(StorageKeys.requirePrefix("canal1/")).isEqualTo("canal1/");
    assertThat(StorageKeys.requirePrefix("canal1/seg_")).isEqualTo("canal1/seg_");
    assertThatThrownBy(() -> StorageKeys.requirePrefix("../"))
        .hasMessageContaining("invalid prefix");
    assertThatThrownBy(() -> StorageKeys.requirePrefix("a//"))
        .hasMessageContaining("invalid prefix");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Canal1", "-a", "_a", "a/b", "a.b", "canal 1", "ñ"})
  void refusesBadChannelIds(String id) {
    assertThat(StorageKeys.isValidChannelId(id)).isFalse();
    assertThatThrownBy(() -> StorageKeys.requireChannelId(id))
        .hasMessageContaining("lower-case letters, digits");
  }

  @Test
  void channelIdsUpToSixtyFourCharacters() {
    assertThat(StorageKeys.isValidChannelId("a".repeat(64))).isTrue();
    assertThat(StorageKeys.isValidChannelId("a".repeat(65))).isFalse();
    assertThat(StorageKeys.isValidChannelId("canal1")).isTrue();
    assertThat(StorageKeys.isValidChannelId("0-news_en")).isTrue();
  }

  @Test
  void theCheckAgreesWithThePublishedPattern() {
    // isValidChannelId is a hand-written loop; CHANNEL_ID is the rule users read
    String alphabet = "az09_-AZ./ \u00f1\u0000";
    java.util.Random random = new java.util.Random(42);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder id = new StringBuilder();
      int length = random.nextInt(n % 100 == 0 ? 70 : 5);
      for (int i = 0; i < length; i++) {
        id.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = id.toString();
      assertThat(StorageKeys.isValidChannelId(s)).as("'%s'", s)
          .isEqualTo(StorageKeys.CHANNEL_ID.matcher(s).matches());
    }
  }
}
