package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.playlist.ByteRange;
import io.hlskit.core.playlist.IFrameVariant;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * I-frame playlists: each segment's first I-frame as a byte range of the segment, read back by
 * Debian's ffprobe, in both containers.
 */
class IFramePlaylistTest {
  @TempDir
  static Path dir;
  static Path source;

  private final Transcoder transcoder = Transcoder.builder()
      .workDirectory(dir.resolve("work")).build();

  @BeforeAll
  static void makeInput() {
    source = dir.resolve("8s.mp4");
    SampleVideo.write(source, SampleVideo.Spec.mp4(640, 360, 8));
  }

  @ParameterizedTest
  @EnumSource(SegmentFormat.class)
  void eachRenditionOfALadderHasAnIFramePlaylistIntoItsSegments(SegmentFormat format)
      throws Exception {
    String id = "iframes-" + format.name().toLowerCase(java.util.Locale.ROOT);
    Path out = dir.resolve(id);
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      transcoder.transcode(TranscodeRequest.builder(source, id)
          .ladder(Ladder.parse("360p:600k,180p:200k")).format(format).thumbnails(null)
          .segmentDuration(Duration.ofSeconds(2)).build(), store, ProgressListener.none());
      StoreCopies.copyOut(store, id + "/", dir);
    }

    MultivariantPlaylist master = PlaylistParser.strict().parseMultivariant(
        Files.readString(out.resolve("playlist.m3u8")));
    assertThat(master.iFrameVariants()).extracting(IFrameVariant::uri)
        .containsExactly("180p/iframes.m3u8", "360p/iframes.m3u8");
    for (IFrameVariant v : master.iFrameVariants()) {
      assertThat(v.codecs()).singleElement().asString().startsWith("avc1.");
      assertThat(v.resolution()).isPresent();
      assertThat(v.bandwidth()).isPositive();

      String rendition = v.uri().substring(0, v.uri().indexOf('/'));
      MediaPlaylist media = PlaylistParser.strict().parseMedia(
          Files.readString(out.resolve(rendition + "/index.m3u8")));
      MediaPlaylist iFrames = PlaylistParser.strict().parseMedia(
          Files.readString(out.resolve(v.uri())));
      assertThat(iFrames.iFramesOnly()).isTrue();
      assertThat(iFrames.segments()).hasSameSizeAs(media.segments()).hasSizeGreaterThan(1);
      for (int i = 0; i < iFrames.segments().size(); i++) {
        MediaSegment frame = iFrames.segments().get(i);
        assertThat(frame.uri()).isEqualTo(media.segments().get(i).uri());
        assertThat(frame.map()).isEqualTo(media.segments().get(i).map());
        ByteRange range = frame.byteRange().orElseThrow();
        long size = Files.size(out.resolve(rendition).resolve(frame.uri()));
        assertThat(range.offset()).contains(0L);
        assertThat(range.length()).as("the I-frame of %s", frame.uri())
            .isPositive().isLessThan(size);
      }

      Ffprobe.require();
      // an independent reader decodes exactly one picture, the keyframe, from each range (with
      // the initialization section before it for fMP4)
      for (MediaSegment frame : iFrames.segments()) {
        Path alone = dir.resolve(id + "-" + rendition + "-" + frame.uri());
        try (var to = Files.newOutputStream(alone)) {
          if (frame.map().isPresent()) {
            to.write(Files.readAllBytes(out.resolve(rendition).resolve(frame.map().get().uri())));
          }
          byte[] segment = Files.readAllBytes(out.resolve(rendition).resolve(frame.uri()));
          ByteRange range = frame.byteRange().orElseThrow();
          to.write(segment, range.offset().orElseThrow().intValue(), (int) range.length());
        }
        assertThat(pictures(alone)).as("pictures in the I-frame of %s", frame.uri())
            .isEqualTo("1");
      }
      if (format == SegmentFormat.TS) {
        // and reads the playlist whole; its HLS demuxer has no I-frame mode and joins an fMP4
        // playlist's ranges into one stream, so that one is only read range by range above
        assertThat(pictures(out.resolve(v.uri()))).as("pictures read from %s", v.uri())
            .isEqualTo(String.valueOf(iFrames.segments().size()));
      }
    }
  }

  /** The video pictures Debian's ffprobe decodes from {@code file}. */
  private static String pictures(Path file) throws Exception {
    return Ffprobe.run("-select_streams", "v", "-count_frames", "-show_entries",
        "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).lines()
        .map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }
}
