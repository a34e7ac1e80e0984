package io.hlskit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hlskit.core.PlaylistParseException;
import io.hlskit.core.playlist.Playlist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PlaylistWriter;

/**
 * The playlist parsers on arbitrary text: they answer with a playlist or a {@link
 * PlaylistParseException} that names the line, never anything else; and whatever the strict
 * parser accepts, the writer writes and the strict parser reads back to the same playlist.
 *
 * <p>Replayed on {@code PlaylistParserFuzzTestInputs} with the unit tests; fuzzed with {@code
 * JAZZER_FUZZ=1} (see benchmarks/RELIABILITY.md).
 */
class PlaylistParserFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parsesOrSaysWhichLine(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      PlaylistParser.lenient().parse(text);
    } catch (PlaylistParseException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    Playlist playlist;
    try {
      playlist = PlaylistParser.strict().parse(text);
    } catch (PlaylistParseException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    String written = PlaylistWriter.write(playlist);
    assertThat(PlaylistParser.strict().parse(written)).as("read back from%n%s", written)
        .isEqualTo(playlist);
  }
}
