package io.hlskit.demo.examples;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.Playlist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PlaylistType;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Writes, reads back and publishes an RFC 8216 playlist with nothing but hls-core. */
public class WritePlaylists {
  /** Writes a VOD playlist; the writer derives EXT-X-VERSION and EXT-X-TARGETDURATION. */
  public static String write() {
    MediaPlaylist playlist = MediaPlaylist.builder()
        .playlistType(PlaylistType.VOD)
        .independentSegments(true)
        .addSegment("seg_00000.ts", Duration.ofMillis(6006))
        .addSegment("seg_00001.ts", Duration.ofMillis(4004))
        .endList(true)
        .build();
    return PlaylistWriter.write(playlist);        // ... #EXT-X-TARGETDURATION:7 ...
  }

  /** Reads a playlist strictly (errors name the line and what it expected) or leniently. */
  public static Playlist read(String text, boolean strict) {
    return strict
        ? PlaylistParser.strict().parse(text)     // PlaylistParseException if not RFC 8216
        : PlaylistParser.lenient().parse(text);   // keeps unknown tags, tolerates the wild
  }

  /** Publishes a channel in any store: readers see it only once publish() has run. */
  public static void publish(MediaStore store, String playlist, byte[] segment0, byte[] segment1) {
    try (ChannelDraft draft = store.draft("canal1")) {
      draft.write("playlist.m3u8", playlist.getBytes(StandardCharsets.UTF_8));
      draft.write("seg_00000.ts", segment0);
      draft.write("seg_00001.ts", segment1);
      draft.publish(ChannelMetadata.builder("canal1")
          .title("Canal 1")
          .duration(Duration.ofMillis(10010))
          .build());
    }   // a draft closed without publish() leaves nothing behind
  }
}
