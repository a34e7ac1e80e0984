package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's ffprobe reads our output: codecs, sizes, and an IDR frame at every segment start. */
class IndependentReaderTest {
  @TempDir
  Path dir;

  @Test
  void ffprobeReadsFragmentedMp4Output() throws Exception {
    Ffprobe.require();
    Path input = dir.resolve("in.mkv");
    SampleVideo.write(input, SampleVideo.Spec.mp4(640, 360, 5).in("matroska", "libx264"));
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      Transcoder.create().transcode(TranscodeRequest.builder(input, "cmaf").ladder(Ladder.ABR)
          .format(SegmentFormat.FMP4).segmentDuration(Duration.ofSeconds(2)).build(), store,
          ProgressListener.none());
      StoreCopies.copyOut(store, "cmaf/", dir);
      MediaPlaylist index = PlaylistParser.strict().parseMedia(
          Files.readString(dir.resolve("cmaf/360p/index.m3u8")));
      assertThat(index.version()).isGreaterThanOrEqualTo(6);
      assertThat(index.segments()).allSatisfy(s -> {
        assertThat(s.uri()).endsWith(".m4s");
        assertThat(s.map().orElseThrow().uri()).isEqualTo("init.mp4");
      });
      // a 360p source makes one rendition: the entry playlist is its media playlist, with the
      // init section's path relative to the channel
      String entry = Files.readString(dir.resolve("cmaf/playlist.m3u8"));
      assertThat(entry).contains("#EXT-X-MAP:URI=\"360p/init.mp4\"");
      // ffprobe follows the EXT-X-MAP and the fragments, and decodes them
      String streams = Ffprobe.run("-show_entries", "stream=codec_name,width,height",
          "-of", "compact", dir.resolve("cmaf/playlist.m3u8").toString());
      assertThat(streams).contains("codec_name=h264").contains("width=640")
          .contains("codec_name=aac");
      double duration = Double.parseDouble(Ffprobe.run("-show_entries", "format=duration",
          "-of", "csv=p=0", dir.resolve("cmaf/360p/index.m3u8").toString()).strip());
      assertThat(duration).isBetween(4.8, 5.2);
    }
  }

  @Test
  void ffprobeSeesH264HighAacAndAKeyframeAtEverySegmentStart() throws Exception {
    Ffprobe.require();
    Path input = dir.resolve("in.mov");
    SampleVideo.write(input, SampleVideo.Spec.mp4(640, 360, 7).in("mov", "libx264"));
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      Transcoder.create().transcode(TranscodeRequest.builder(input, "probe")
          .profile(Profile.LOW).segmentDuration(Duration.ofSeconds(2)).build(), store,
          ProgressListener.none());
      MediaPlaylist playlist;
      try (InputStream in = store.open("probe/playlist.m3u8").orElseThrow().stream()) {
        playlist = PlaylistParser.strict().parseMedia(
            new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      assertThat(playlist.segments()).hasSize(4);
      Files.createDirectories(dir.resolve("360p"));
      for (MediaSegment s : playlist.segments()) {
        try (InputStream in = store.open("probe/" + s.uri()).orElseThrow().stream()) {
          Files.write(dir.resolve(s.uri()), in.readAllBytes());
        }
      }
      try (InputStream in = store.open("probe/poster.jpg").orElseThrow().stream()) {
        Files.write(dir.resolve("poster.jpg"), in.readAllBytes());
      }
      assertThat(Ffprobe.run("-show_entries", "stream=codec_name,width,height", "-of", "compact",
          dir.resolve("poster.jpg").toString()))
          .contains("codec_name=mjpeg").contains("width=640").contains("height=360");
      for (MediaSegment s : playlist.segments()) {
        String file = dir.resolve(s.uri()).toString();
        String streams = Ffprobe.run("-show_entries",
            "stream=codec_name,profile,width,height,pix_fmt,sample_rate,channels",
            "-of", "compact=nokey=0", file);
        assertThat(streams).contains("codec_name=h264").contains("profile=High")
            .contains("width=640").contains("height=360").contains("pix_fmt=yuv420p")
            .contains("codec_name=aac").contains("sample_rate=48000").contains("channels=2");
        List<String> firstFrame = Ffprobe.run("-select_streams", "v", "-show_entries",
            "frame=key_frame,pict_type", "-read_intervals", "%+#1", "-of", "csv=p=0", file)
            .lines().toList();
        assertThat(firstFrame).as("first frame of " + s.uri()).first().asString()
            .startsWith("1,I");
        // MPEG-TS lists the stream under its program too: the first line is enough
        double probed = Double.parseDouble(Ffprobe.run("-select_streams", "v", "-show_entries",
            "stream=duration", "-of", "csv=p=0", file).lines().filter(l -> !l.isBlank())
            .findFirst().orElseThrow().strip());
        assertThat(probed).as("duration of " + s.uri())
            .isCloseTo(s.duration().toNanos() / 1e9, org.assertj.core.data.Offset.offset(0.05));
      }
    }
  }

  /** Transcodes {@code spec} with the low profile and copies the channel out for ffprobe. */
  private Path transcodeToDisk(String id, SampleVideo.Spec spec, String container)
      throws Exception {
    Path input = dir.resolve(id + "." + container);
    SampleVideo.write(input, spec);
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      Transcoder.create().transcode(TranscodeRequest.builder(input, id).profile(Profile.LOW)
          .segmentDuration(Duration.ofSeconds(2)).build(), store, ProgressListener.none());
      StoreCopies.copyOut(store, id + "/", dir);
    }
    return dir.resolve(id);
  }

  private static String streams(Path playlist) throws Exception {
    return Ffprobe.run("-show_entries",
        "stream=codec_name,profile,width,height,pix_fmt,sample_rate,channels",
        "-of", "compact=nokey=0", playlist.toString());
  }

  @Test
  void anOddSizedTenBitSourceComesOutEvenAnd8Bit() throws Exception {
    Ffprobe.require();
    Path channel = transcodeToDisk("odd", new SampleVideo.Spec(321, 181, 25, 3, 440,
        "matroska", "ffv1").withPixelFormat("yuv420p10le"), "mkv");
    String streams = streams(channel.resolve("playlist.m3u8"));
    assertThat(streams).contains("codec_name=h264").contains("profile=High")
        .contains("pix_fmt=yuv420p\n").doesNotContain("10le").contains("width=322")
        .contains("height=182");
  }

  @Test
  void fivePointOneIsDownmixedToStereoAt48kHz() throws Exception {
    Ffprobe.require();
    Path channel = transcodeToDisk("surround", SampleVideo.Spec.mp4(320, 180, 3)
        .withAudioChannels(6), "mp4");
    assertThat(streams(channel.resolve("playlist.m3u8"))).contains("codec_name=aac")
        .contains("profile=LC").contains("sample_rate=48000").contains("channels=2");
  }

  @Test
  void aSourceWithoutAudioGivesVideoOnly() throws Exception {
    Ffprobe.require();
    Path channel = transcodeToDisk("mute", SampleVideo.Spec.mp4(320, 180, 3).withoutAudio(),
        "mp4");
    String streams = streams(channel.resolve("playlist.m3u8"));
    assertThat(streams).contains("codec_name=h264").doesNotContain("codec_name=aac");
    assertThat(Files.readString(channel.resolve("channel.json"))).doesNotContain("mp4a");
  }

  @Test
  void aSoundFileWithCoverArtGivesAacOnlyAndTheCoverAsPoster() throws Exception {
    Ffprobe.require();
    Path channel = transcodeToDisk("song", SampleVideo.Spec.soundOnly(4).withCoverArt(300, 200),
        "m4a");
    String streams = streams(channel.resolve("playlist.m3u8"));
    assertThat(streams).contains("codec_name=aac").contains("profile=LC")
        .contains("sample_rate=48000").contains("channels=2").doesNotContain("h264")
        .doesNotContain("mjpeg");
    double probed = Double.parseDouble(Ffprobe.run("-show_entries", "format=duration",
        "-of", "csv=p=0", channel.resolve("playlist.m3u8").toString()).strip());
    assertThat(probed).isCloseTo(4.0, within(0.1));
    assertThat(Ffprobe.run("-show_entries", "stream=codec_name,width,height", "-of", "compact",
        channel.resolve("poster.jpg").toString()))
        .contains("codec_name=mjpeg").contains("width=300").contains("height=200");
  }

  @Test
  void aVariableFrameRateSourceKeepsItsDuration() throws Exception {
    Ffprobe.require();
    Path channel = transcodeToDisk("vfr", new SampleVideo.Spec(320, 180, 25, 6, 440,
        "matroska", "libx264").withVariableFrameRate(), "mkv");
    MediaPlaylist playlist = PlaylistParser.strict().parseMedia(
        Files.readString(channel.resolve("playlist.m3u8")));
    double total = playlist.segments().stream()
        .mapToDouble(s -> s.duration().toNanos() / 1e9).sum();
    assertThat(total).as("EXTINF sum against the 6 s source").isCloseTo(6.0, within(0.08));
    double probed = Double.parseDouble(Ffprobe.run("-show_entries", "format=duration",
        "-of", "csv=p=0", channel.resolve("playlist.m3u8").toString()).strip());
    assertThat(probed).isCloseTo(6.0, within(0.2));
  }
}
