package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.playlist.Tiles;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thumbnails for scrubbing from the same decode: tile sheets, an image playlist, WebVTT. */
class ThumbnailsTest {
  /** Two renditions of the 360p source, so that there is a multivariant playlist. */
  private static final Ladder LADDER = Ladder.parse("360p:600k,180p:200k");

  @TempDir
  static Path dir;
  static Path source;

  private final Path work = dir.resolve("work");
  private final Transcoder transcoder = Transcoder.builder().workDirectory(work).build();

  @BeforeAll
  static void makeInput() {
    source = dir.resolve("12s.mp4");
    SampleVideo.write(source, SampleVideo.Spec.mp4(640, 360, 12));
  }

  private ChannelMetadata transcode(InMemoryMediaStore store, String id,
      TranscodeRequest.Builder request) {
    return transcoder.transcode(request.segmentDuration(Duration.ofSeconds(2)).build(), store,
        ProgressListener.none());
  }

  @Test
  void aLadderGetsTileSheetsAnImagePlaylistAndAWebVttTrack() throws Exception {
    Path out = dir.resolve("out");
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      // one a second, 4 x 2 a sheet: 12 thumbnails in a full sheet and one of a row
      ChannelMetadata channel = transcode(store, "tiles", TranscodeRequest.builder(source,
          "tiles").ladder(LADDER).thumbnails(new Thumbnails(160, Duration.ofSeconds(1), 4, 2)));
      StoreCopies.copyOut(store, "tiles/", out);

      assertThat(channel.thumbnails()).contains("thumbnails/thumbnails.vtt");
      MultivariantPlaylist master = PlaylistParser.strict().parseMultivariant(
          Files.readString(out.resolve("tiles/playlist.m3u8")));
      assertThat(master.imageVariants()).singleElement().satisfies(v -> {
        assertThat(v.uri()).isEqualTo("thumbnails/index.m3u8");
        assertThat(v.codecs()).containsExactly("jpeg");
        assertThat(v.resolution()).contains(new Resolution(160, 90));
        assertThat(v.bandwidth()).isPositive();
      });
      MediaPlaylist images = PlaylistParser.strict().parseMedia(
          Files.readString(out.resolve("tiles/thumbnails/index.m3u8")));
      assertThat(images.imagesOnly()).isTrue();
      assertThat(images.segments()).extracting(s -> s.uri())
          .containsExactly("tiles-00000.jpg", "tiles-00001.jpg");
      assertThat(images.segments()).extracting(s -> s.tiles().orElseThrow()).containsExactly(
          Tiles.of(new Resolution(160, 90), 4, 2, Duration.ofSeconds(1)),
          Tiles.of(new Resolution(160, 90), 4, 1, Duration.ofSeconds(1)));
      assertThat(images.totalDuration()).isEqualTo(channel.duration());

      List<String> vtt = Files.readAllLines(out.resolve("tiles/thumbnails/thumbnails.vtt"));
      assertThat(vtt.get(0)).isEqualTo("WEBVTT");
      assertThat(vtt).filteredOn(l -> l.contains("-->")).hasSize(12);
      assertThat(String.join("\n", vtt)).contains(
          "00:00:00.000 --> 00:00:01.000\ntiles-00000.jpg#xywh=0,0,160,90",
          "00:00:05.000 --> 00:00:06.000\ntiles-00000.jpg#xywh=160,90,160,90",
          // the last stands until the channel ends
          "00:00:11.000 --> " + ThumbnailTracks.cueTime(channel.duration())
              + "\ntiles-00001.jpg#xywh=480,0,160,90");

      Ffprobe.require();
      // each sheet a JPEG of the declared grid
      assertThat(Ffprobe.run("-show_entries", "stream=codec_name,width,height", "-of",
          "csv=p=0", out.resolve("tiles/thumbnails/tiles-00000.jpg").toString()).trim())
          .isEqualTo("mjpeg,640,180");
      assertThat(Ffprobe.run("-show_entries", "stream=codec_name,width,height", "-of",
          "csv=p=0", out.resolve("tiles/thumbnails/tiles-00001.jpg").toString()).trim())
          .isEqualTo("mjpeg,640,90");
    }
    assertThat(WorkFolders.list(work)).isEmpty();
  }

  @Test
  void thumbnailsAreOnForLaddersAndOffWhenToldOrForOneRendition() {
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      assertThat(transcode(store, "abr", TranscodeRequest.builder(source, "abr")
          .ladder(LADDER)).thumbnails()).isPresent();
      assertThat(store.open("abr/thumbnails/tiles-00000.jpg")).isPresent();
      assertThat(transcode(store, "off", TranscodeRequest.builder(source, "off")
          .ladder(LADDER).thumbnails(null)).thumbnails()).isEmpty();
      assertThat(store.list("off/thumbnails/")).isEmpty();
      assertThat(transcode(store, "one", TranscodeRequest.builder(source, "one")
          .profile(Profile.LOW)).thumbnails()).isEmpty();
      assertThat(transcode(store, "asked", TranscodeRequest.builder(source, "asked")
          .profile(Profile.LOW).thumbnails(Thumbnails.DEFAULT)).thumbnails()).isPresent();
    }
  }
}
