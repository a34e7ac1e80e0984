package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.crypto.ContentKey;
import io.hlskit.core.playlist.KeyMethod;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private channel's segments are AES-128 encrypted: unreadable to ffprobe on their own, and
 * read back whole by Debian's ffprobe through the playlist once it can reach the keys.
 */
class EncryptedOutputTest {
  @TempDir
  Path dir;

  private Path transcode(String id, SegmentFormat format, int rotation) throws Exception {
    Path input = dir.resolve(id + ".mkv");
    SampleVideo.write(input, SampleVideo.Spec.mp4(320, 180, 5).in("matroska", "libx264"));
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      ChannelMetadata m = Transcoder.create().transcode(TranscodeRequest.builder(input, id)
          .profile(Profile.LOW).format(format).segmentDuration(Duration.ofSeconds(2))
          .visibility(Visibility.PRIVATE).keyRotation(rotation).build(), store,
          ProgressListener.none());
      assertThat(m.visibility()).isEqualTo(Visibility.PRIVATE);
      assertThat(store.channelMetadata(id).orElseThrow().isPrivate()).isTrue();
      StoreCopies.copyOut(store, id + "/", dir);
    }
    return dir.resolve(id);
  }

  /**
   * A copy of the media playlist whose key URIs point at the key files, as a server's key
   * endpoint would answer them.
   */
  private static Path withLocalKeys(Path channel, String id) throws Exception {
    Path index = channel.resolve("180p/index.m3u8");
    Path local = channel.resolve("180p/local.m3u8");
    Files.writeString(local, Files.readString(index).replaceAll(
        "/api/keys/" + id + "/([0-9a-f]+)", "../keys/$1.key"));
    return local;
  }

  @Test
  void transportStreamSegmentsAreEncryptedWithRotatingKeys() throws Exception {
    Ffprobe.require();
    Path channel = transcode("secret", SegmentFormat.TS, 2);
    MediaPlaylist index = PlaylistParser.strict().parseMedia(
        Files.readString(channel.resolve("180p/index.m3u8")));
    assertThat(index.segments()).hasSizeGreaterThanOrEqualTo(3).allSatisfy(s -> {
      assertThat(s.key().orElseThrow().method()).isEqualTo(KeyMethod.AES_128);
      assertThat(s.key().get().uri()).startsWith("/api/keys/secret/");
      assertThat(s.key().get().iv()).as("the IV is the media sequence number").isEmpty();
    });
    List<String> keyUris = index.segments().stream().map(s -> s.key().get().uri()).distinct()
        .toList();
    assertThat(keyUris).as("a new key every two segments")
        .hasSize((index.segments().size() + 1) / 2);
    try (var keys = Files.list(channel.resolve("keys"))) {
      assertThat(keys.map(k -> k.getFileName().toString()).collect(Collectors.toSet()))
          .isEqualTo(keyUris.stream().map(u -> u.substring(u.lastIndexOf('/') + 1) + ".key")
              .collect(Collectors.toSet()));
    }
    assertThat(Files.size(channel.resolve("keys").resolve(keyUris.get(0)
        .substring(keyUris.get(0).lastIndexOf('/') + 1) + ".key"))).isEqualTo(ContentKey.LENGTH);

    // on its own, a segment is noise to a reader
    assertOpaque(channel.resolve("180p/seg_00000.ts"));

    // through the playlist with its keys, the whole video decodes
    Path local = withLocalKeys(channel, "secret");
    String streams = Ffprobe.run("-allowed_extensions", "ALL", "-show_entries",
        "stream=codec_name,width", "-of", "compact", local.toString());
    assertThat(streams).contains("codec_name=h264", "width=320", "codec_name=aac");
    String frames = Ffprobe.run("-allowed_extensions", "ALL", "-count_frames",
        "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0",
        local.toString()).lines().findFirst().orElseThrow().strip();
    assertThat(Integer.parseInt(frames)).isBetween(120, 130); // 5 s at 25 fps
  }

  @Test
  void fragmentedMp4EncryptsTheInitSectionWithAnExplicitIv() throws Exception {
    Ffprobe.require();
    Path channel = transcode("cmafsecret", SegmentFormat.FMP4, 0);
    String text = Files.readString(channel.resolve("180p/index.m3u8"));
    // the key comes before the init section, which it therefore also encrypts (RFC 8216)
    assertThat(text.indexOf("#EXT-X-KEY")).isLessThan(text.indexOf("#EXT-X-MAP"));
    MediaPlaylist index = PlaylistParser.strict().parseMedia(text);
    for (int i = 0; i < index.segments().size(); i++) {
      MediaSegment s = index.segments().get(i);
      assertThat(s.key().orElseThrow().iv()).contains(String.format("0x%032X", i));
    }
    assertThat(index.segments().stream().map(s -> s.key().get().uri()).distinct()).hasSize(1);
    assertOpaque(channel.resolve("180p/init.mp4"));
    String streams = Ffprobe.run("-allowed_extensions", "ALL", "-show_entries",
        "stream=codec_name,width", "-of", "compact", withLocalKeys(channel, "cmafsecret")
            .toString());
    assertThat(streams).contains("codec_name=h264", "width=320");
  }

  /**
   * Encrypted bytes tell a reader nothing: ffprobe fails on them, or (random bytes now and then
   * pass for some audio format) finds none of the streams that are in them.
   */
  private static void assertOpaque(Path file) throws Exception {
    String seen;
    try {
      seen = Ffprobe.run("-show_entries", "stream=codec_name", "-of", "csv=p=0", file.toString());
    } catch (AssertionError refused) {
      seen = "";
    }
    assertThat(seen).as(file.getFileName().toString()).doesNotContain("h264")
        .doesNotContain("aac");
  }
}
