package io.hlskit.core.playlist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads the golden playlists under {@code src/test/resources/playlists}. */
final class Golden {
  static final List<String> RFC = List.of("rfc8216/8.1-simple-media.m3u8",
      "rfc8216/8.2-live-media.m3u8", "rfc8216/8.3-encrypted-media.m3u8", "rfc8216/8.4-master.m3u8",
      "rfc8216/8.5-master-i-frames.m3u8", "rfc8216/8.6-master-alternative-audio.m3u8",
      "rfc8216/8.7-master-alternative-video.m3u8");
  static final List<String> FFMPEG = List.of("ffmpeg/seed-convert-playlist.m3u8",
      "ffmpeg/fmp4-vod.m3u8", "ffmpeg/single-file-byterange.m3u8",
      "ffmpeg/live-program-date-time.m3u8", "ffmpeg/abr-master.m3u8", "ffmpeg/abr-v1.m3u8",
      "ffmpeg/aes128-vod.m3u8", "ffmpeg/audio-group-master.m3u8");
  static final List<String> LOW_LATENCY = List.of("lowlatency/live-parts.m3u8",
      "lowlatency/delta-update.m3u8");
  static final List<String> IMAGES = List.of("images/master-with-thumbnails.m3u8",
      "images/thumbnails.m3u8");

  private Golden() {}

  static String read(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/playlists/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden playlist " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
