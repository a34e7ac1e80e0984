package io.hlskit.core.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** parse(write(p)) equals p, for generated playlists that use every modelled feature. */
class PlaylistRoundTripTest {

  @Provide
  Arbitrary<MediaPlaylist> media() {
    return PlaylistArbitraries.mediaPlaylists();
  }

  @Provide
  Arbitrary<MultivariantPlaylist> multivariant() {
    return PlaylistArbitraries.multivariantPlaylists();
  }

  @Property(tries = 500)
  void mediaPlaylistsRoundTripStrictly(@ForAll("media") MediaPlaylist playlist) {
    String text = PlaylistWriter.write(playlist);

    assertThat(PlaylistParser.strict().parse(text)).isEqualTo(playlist);
    assertThat(PlaylistParser.lenient().parse(text)).isEqualTo(playlist);
  }

  @Property(tries = 500)
  void multivariantPlaylistsRoundTripStrictly(
      @ForAll("multivariant") MultivariantPlaylist playlist) {
    String text = PlaylistWriter.write(playlist);

    assertThat(PlaylistParser.strict().parse(text)).isEqualTo(playlist);
    assertThat(PlaylistParser.lenient().parse(text)).isEqualTo(playlist);
  }

  @Property(tries = 300)
  void writtenMediaPlaylistsKeepTheRfcDurationRules(@ForAll("media") MediaPlaylist playlist) {
    String text = PlaylistWriter.write(playlist);
    int target = Integer.parseInt(text.lines().filter(l -> l.startsWith("#EXT-X-TARGETDURATION:"))
        .findFirst().orElseThrow().substring("#EXT-X-TARGETDURATION:".length()));

    for (MediaSegment s : playlist.segments()) {
      double seconds = s.duration().toNanos() / 1e9;
      assertThat(Math.round(seconds)).isLessThanOrEqualTo(target);
    }
    assertThat(text).startsWith("#EXTM3U\n#EXT-X-VERSION:" + playlist.version() + "\n");
  }
}
