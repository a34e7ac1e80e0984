package io.hlskit.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hlskit.server.internal.ChatFrames;
import java.nio.charset.StandardCharsets;

/**
 * Chat frames as a hostile client sends them: always a decoded frame (never an exception), and
 * what is accepted keeps the limits: trimmed, 1-32 / 1-500 characters, no control characters,
 * text that survives UTF-8 unchanged (no half surrogate pairs).
 */
class ChatFramesFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void everyFrameDecodesWithinTheLimits(FuzzedDataProvider data) {
    String frame = data.consumeRemainingAsString();
    ChatFrames.Frame decoded = ChatFrames.decode(frame);
    assertThat(decoded).isNotNull();
    if (decoded instanceof ChatFrames.Join join) {
      String name = join.username();
      within(name, ChatFrames.MAX_USERNAME, false);
      assertThat(java.text.Normalizer.isNormalized(name, java.text.Normalizer.Form.NFKC))
          .as("NFKC").isTrue();
      assertThat(name.codePoints().map(Character::getType)).as("no format characters")
          .doesNotContain((int) Character.FORMAT, (int) Character.PRIVATE_USE,
              (int) Character.UNASSIGNED);
      assertThat(ChatFrames.RESERVED).doesNotContain(name.toLowerCase(java.util.Locale.ROOT));
    } else if (decoded instanceof ChatFrames.Say say) {
      within(say.text(), ChatFrames.MAX_TEXT, true);
    } else if (decoded instanceof ChatFrames.Invalid invalid) {
      assertThat(invalid.code()).isIn("malformed_json", "bad_frame", "bad_username",
          "reserved_username", "bad_text", "unknown_type");
      assertThat(invalid.message()).isNotBlank();
    }
  }

  private static void within(String s, int max, boolean lines) {
    assertThat(s).isEqualTo(s.strip()).isNotEmpty();
    assertThat(s.codePointCount(0, s.length())).isLessThanOrEqualTo(max);
    assertThat(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .isEqualTo(s);
    s.chars().forEach(c -> assertThat(c < 0x20 && !(lines && (c == '\n' || c == '\t'))
        || c >= 0x7f && c < 0xa0).as("control character %s", c).isFalse());
  }
}
