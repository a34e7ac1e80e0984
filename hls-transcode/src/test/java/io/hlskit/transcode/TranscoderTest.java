package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageException;
import io.hlskit.core.TranscodeCancelledException;
import io.hlskit.core.TranscodeException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.Variant;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscoderTest {
  @TempDir
  static Path inputs;

  static Path landscape;

  private InMemoryMediaStore store;
  /** The transcoder's own work directory: empty whenever no transcode runs. */
  private final Path work = inputs.resolve("work");
  private final Transcoder transcoder = Transcoder.builder().workDirectory(work).build();

  @BeforeAll
  static void makeInputs() {
    landscape = inputs.resolve("landscape.mp4");
    SampleVideo.write(landscape, SampleVideo.Spec.mp4(480, 270, 5));
  }

  @BeforeEach
  void open() {
    store = new InMemoryMediaStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private String text(String key) throws IOException {
    try (InputStream in = store.open(key).orElseThrow().stream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void missingNativesSayWhichPlatformWasLookedForAndWhatToAdd() {
    String message = Transcoder.nativesMissing("macosx-arm64", "no jniavutil in java.library.path");

    assertThat(message).contains("for macosx-arm64", "no jniavutil",
        "org.bytedeco:ffmpeg with the classifier macosx-arm64-gpl",
        "org.bytedeco:javacpp with the classifier macosx-arm64",
        "-Djavacpp.platform=macosx-arm64");
  }

  @Test
  void transcodesAFileIntoAPublishedChannel() throws Exception {
    List<Progress> progress = new CopyOnWriteArrayList<>();
    TranscodeRequest request = TranscodeRequest.builder(landscape, "canal1")
        .profile(Profile.LOW).title("Canal 1").segmentDuration(Duration.ofSeconds(2)).build();

    ChannelMetadata channel = transcoder.transcode(request, store, progress::add);

    assertThat(transcoder.videoEncoder()).isEqualTo("libx264");
    assertThat(channel.id()).isEqualTo("canal1");
    assertThat(channel.title()).isEqualTo("Canal 1");
    assertThat(channel.source()).contains("landscape.mp4");
    assertThat(store.channelMetadata("canal1")).contains(channel);
    // a 270p source is smaller than low's 360p: kept at its size, never upscaled
    assertThat(channel.renditions()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("270p");
      assertThat(r.resolution().orElseThrow().width()).isEqualTo(480);
      assertThat(r.codecs()).hasSize(2).contains("mp4a.40.2");
      assertThat(r.codecs().get(0)).startsWith("avc1.64");
      assertThat(r.bandwidth()).isPositive();
    });

    MediaPlaylist entry = PlaylistParser.strict().parseMedia(text("canal1/playlist.m3u8"));
    assertThat(entry.endList()).isTrue();
    assertThat(entry.segments()).hasSizeBetween(2, 4);
    for (MediaSegment s : entry.segments()) {
      assertThat(store.open("canal1/" + s.uri())).as(s.uri()).isPresent();
      assertThat(s.uri()).startsWith("270p/seg_");
    }
    double total = entry.totalDuration().toNanos() / 1e9;
    assertThat(total).isBetween(4.9, 5.1);
    assertThat(channel.duration()).isEqualTo(Duration.ofMillis(entry.totalDuration().toMillis()));
    MediaPlaylist index = PlaylistParser.strict().parseMedia(text("canal1/270p/index.m3u8"));
    assertThat(index.segments()).hasSameSizeAs(entry.segments());

    assertThat(channel.poster()).contains("poster.jpg");
    byte[] poster;
    try (InputStream in = store.open("canal1/poster.jpg").orElseThrow().stream()) {
      poster = in.readAllBytes();
    }
    assertThat(store.open("canal1/poster.jpg").orElseThrow().info().contentType())
        .isEqualTo("image/jpeg");
    // a JPEG: SOI marker first, EOI marker last
    assertThat(poster[0] & 0xff).isEqualTo(0xff);
    assertThat(poster[1] & 0xff).isEqualTo(0xd8);
    assertThat(poster[poster.length - 2] & 0xff).isEqualTo(0xff);
    assertThat(poster[poster.length - 1] & 0xff).isEqualTo(0xd9);

    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1).fraction()).isEqualTo(1.0);
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i).fraction()).isGreaterThanOrEqualTo(progress.get(i - 1).fraction());
    }
  }

  @Test
  void scalesDownToTheProfileKeepingTheAspect() {
    Path big = inputs.resolve("big.mkv");
    SampleVideo.write(big, SampleVideo.Spec.mp4(1280, 720, 2).withoutAudio()
        .in("matroska", "libx264"));

    ChannelMetadata channel = transcoder.transcode(
        TranscodeRequest.builder(big, "small").profile(Profile.LOW).build(), store,
        ProgressListener.none());

    assertThat(channel.renditions().get(0).resolution().orElseThrow().toString())
        .isEqualTo("640x360");
    assertThat(channel.renditions().get(0).codecs()).hasSize(1);
  }

  @Test
  void anAbrLadderMakesAlignedRenditionsAndAMultivariantPlaylist() throws Exception {
    Path source = inputs.resolve("720p.mp4");
    SampleVideo.write(source, SampleVideo.Spec.mp4(1280, 720, 5));

    ChannelMetadata channel = transcoder.transcode(TranscodeRequest.builder(source, "abr")
        .ladder(Ladder.ABR).segmentDuration(Duration.ofSeconds(2)).build(), store,
        ProgressListener.none());

    // 1080p would upscale the 720p source: dropped from the ladder
    assertThat(channel.renditions()).extracting(r -> r.name()).containsExactly("720p", "360p");
    MultivariantPlaylist master = PlaylistParser.strict()
        .parseMultivariant(text("abr/playlist.m3u8"));
    assertThat(master.independentSegments()).isTrue();
    assertThat(master.variants()).extracting(Variant::uri)
        .containsExactly("360p/index.m3u8", "720p/index.m3u8");
    Variant low = master.variants().get(0);
    Variant high = master.variants().get(1);
    assertThat(low.resolution().orElseThrow().toString()).isEqualTo("640x360");
    assertThat(high.resolution().orElseThrow().toString()).isEqualTo("1280x720");
    assertThat(high.bandwidth()).isGreaterThan(low.bandwidth());
    assertThat(low.averageBandwidth().orElseThrow()).isLessThanOrEqualTo(low.bandwidth());
    assertThat(low.codecs()).contains("mp4a.40.2").anyMatch(c -> c.startsWith("avc1.64"));
    assertThat(low.frameRate()).contains(new java.math.BigDecimal("25"));

    MediaPlaylist lowIndex = PlaylistParser.strict().parseMedia(text("abr/360p/index.m3u8"));
    MediaPlaylist highIndex = PlaylistParser.strict().parseMedia(text("abr/720p/index.m3u8"));
    assertThat(lowIndex.segments()).extracting(MediaSegment::duration)
        .as("segment boundaries aligned across renditions")
        .isEqualTo(highIndex.segments().stream().map(MediaSegment::duration).toList());
    for (MediaSegment s : highIndex.segments()) {
      assertThat(store.open("abr/720p/" + s.uri())).isPresent();
    }
  }

  @Test
  void aPhoneVideoShotUprightComesOutPortrait() throws Exception {
    // stored 640x360 with rotation metadata, as a phone held upright records
    Path phone = inputs.resolve("phone.mp4");
    SampleVideo.write(phone, SampleVideo.Spec.mp4(640, 360, 2).rotated(90));

    ChannelMetadata channel = transcoder.transcode(TranscodeRequest.builder(phone, "reel")
        .profile(Profile.LOW).build(), store, ProgressListener.none());

    assertThat(channel.renditions().get(0).resolution().orElseThrow().toString())
        .isEqualTo("360x640");
    assertThat(channel.renditions().get(0).name()).isEqualTo("360p");
  }

  @Test
  void theSourceProfileCopiesWithoutReEncoding() throws Exception {
    ChannelMetadata channel = transcoder.transcode(TranscodeRequest.builder(landscape, "copy")
        .ladder(Ladder.SOURCE).segmentDuration(Duration.ofSeconds(2)).build(), store,
        ProgressListener.none());

    assertThat(channel.renditions()).singleElement().satisfies(r -> {
      assertThat(r.resolution().orElseThrow().toString()).isEqualTo("480x270");
      assertThat(r.codecs()).contains("mp4a.40.2").anyMatch(c -> c.startsWith("avc1."));
    });
    MediaPlaylist entry = PlaylistParser.strict().parseMedia(text("copy/playlist.m3u8"));
    // the source has a keyframe every 2 s (gop 50 at 25 fps): segments follow it
    assertThat(entry.segments()).hasSizeBetween(2, 3);
    assertThat(entry.totalDuration().toMillis()).isBetween(4800L, 5100L);
    // a poster from the keyframe at 2 s, the one keyframe decoded, at the source's size
    assertThat(channel.poster()).contains("poster.jpg");
    try (InputStream in = store.open("copy/poster.jpg").orElseThrow().stream()) {
      byte[] jpeg = in.readAllBytes();
      int sof = indexOf(jpeg, (byte) 0xff, (byte) 0xc0);
      assertThat(sof).isPositive();
      assertThat(((jpeg[sof + 5] & 0xff) << 8) | (jpeg[sof + 6] & 0xff)).isEqualTo(270);
      assertThat(((jpeg[sof + 7] & 0xff) << 8) | (jpeg[sof + 8] & 0xff)).isEqualTo(480);
    }
  }

  @Test
  void aSoundFileBecomesAnAudioOnlyChannelWhateverTheLadder() throws Exception {
    Path song = inputs.resolve("song.m4a");
    SampleVideo.write(song, SampleVideo.Spec.soundOnly(5));
    List<Progress> progress = new CopyOnWriteArrayList<>();

    ChannelMetadata channel = transcoder.transcode(TranscodeRequest.builder(song, "radio")
        .ladder(Ladder.ABR).segmentDuration(Duration.ofSeconds(2)).build(), store, progress::add);

    assertThat(channel.renditions()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("audio");
      assertThat(r.resolution()).isEmpty();
      assertThat(r.codecs()).containsExactly("mp4a.40.2");
      assertThat(r.playlist()).isEqualTo("audio/index.m3u8");
      // AAC at the profile's 128 kb/s (low's first rung asks for 96-128)
      assertThat(r.averageBandwidth()).isBetween(64_000L, 200_000L);
    });
    assertThat(channel.poster()).isEmpty();
    assertThat(store.open("radio/poster.jpg")).isEmpty();
    MediaPlaylist entry = PlaylistParser.strict().parseMedia(text("radio/playlist.m3u8"));
    assertThat(entry.segments()).hasSizeBetween(2, 4).allSatisfy(s -> {
      assertThat(s.uri()).startsWith("audio/seg_");
      assertThat(s.duration().toMillis()).isLessThanOrEqualTo(2500);
    });
    // within one AAC frame (21 ms) of the 5 s of sound, priming and padding left out
    assertThat(entry.totalDuration().toMillis()).isBetween(4979L, 5021L);
    assertThat(progress.get(progress.size() - 1).fraction()).isEqualTo(1.0);
    assertThat(progress).extracting(Progress::fraction).isSorted();
  }

  @Test
  void aSoundFileWithCoverArtKeepsThePictureAsItsPoster() throws Exception {
    Path song = inputs.resolve("album.m4a");
    SampleVideo.write(song, SampleVideo.Spec.soundOnly(3).withCoverArt(1600, 1600));

    ChannelMetadata channel = transcoder.transcode(TranscodeRequest.builder(song, "album")
        .profile(Profile.MEDIUM).build(), store, ProgressListener.none());

    // the still picture is not a video: no one-frame 720p rendition, the sound plays alone
    assertThat(channel.renditions()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("audio");
      assertThat(r.codecs()).containsExactly("mp4a.40.2");
    });
    assertThat(channel.duration().toMillis()).isBetween(2950L, 3100L);
    assertThat(channel.poster()).contains("poster.jpg");
    try (InputStream in = store.open("album/poster.jpg").orElseThrow().stream()) {
      byte[] jpeg = in.readAllBytes();
      assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
      assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);
      // SOF0 holds the height then the width: scaled down to 1280 on the long side
      int sof = indexOf(jpeg, (byte) 0xff, (byte) 0xc0);
      assertThat(sof).isPositive();
      assertThat(((jpeg[sof + 5] & 0xff) << 8) | (jpeg[sof + 6] & 0xff)).isEqualTo(1280);
      assertThat(((jpeg[sof + 7] & 0xff) << 8) | (jpeg[sof + 8] & 0xff)).isEqualTo(1280);
    }
  }

  private static int indexOf(byte[] data, byte a, byte b) {
    for (int i = 0; i + 1 < data.length; i++) {
      if (data[i] == a && data[i + 1] == b) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void theSourceProfileCopiesASoundFileAsAudioOnly() throws Exception {
    Path song = inputs.resolve("copy.m4a");
    SampleVideo.write(song, SampleVideo.Spec.soundOnly(4).withCoverArt(64, 64));

    ChannelMetadata channel = transcoder.transcode(TranscodeRequest.builder(song, "copied")
        .ladder(Ladder.SOURCE).segmentDuration(Duration.ofSeconds(2)).build(), store,
        ProgressListener.none());

    assertThat(channel.renditions()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("audio");
      assertThat(r.resolution()).isEmpty();
      assertThat(r.codecs()).containsExactly("mp4a.40.2");
    });
    MediaPlaylist entry = PlaylistParser.strict().parseMedia(text("copied/playlist.m3u8"));
    assertThat(channel.poster()).as("the cover art").contains("poster.jpg");
    // a copy keeps the AAC priming and padding frames it was given (as the CLI's copy does):
    // up to two frames over the 4 s
    assertThat(entry.totalDuration().toMillis()).isBetween(3979L, 4050L);
  }

  @Test
  void theSourceProfileRefusesCodecsPlayersCannotTake() {
    Path mpeg4 = inputs.resolve("mpeg4.avi");
    SampleVideo.write(mpeg4, SampleVideo.Spec.mp4(320, 180, 1).withoutAudio().in("avi", "mpeg4"));

    assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(mpeg4, "nocopy")
        .ladder(Ladder.SOURCE).build(), store, ProgressListener.none()))
        .isInstanceOf(TranscodeException.class)
        .hasMessageContaining("mpeg4").hasMessageContaining("use a profile");
    assertThat(store.list("nocopy/")).isEmpty();
  }

  @Test
  void aFileThatIsNotMediaFailsClearlyAndPublishesNothing() throws Exception {
    Path text = inputs.resolve("notes.mp4");
    Files.writeString(text, "this is not a video, only text pretending to be one");

    assertThatThrownBy(() -> transcoder.transcode(
        TranscodeRequest.builder(text, "bad").build(), store, ProgressListener.none()))
        .isInstanceOf(TranscodeException.class)
        .hasMessageContaining("notes.mp4")
        .hasMessageContaining("is not a media file")
        .satisfies(e -> assertThat(((TranscodeException) e).libavError()).isPresent());

    assertThat(store.list("bad/")).isEmpty();
  }

  @Test
  void aStoreThatRunsOutOfSpaceMidwayFailsTheTranscodeAndPublishesNothing() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    // the in-memory store, but its drafts take three objects and then report a full disk
    MediaStore full = (MediaStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MediaStore.class}, (proxy, method, args) -> {
          Object result = invoke(method, store, args);
          if (!method.getName().equals("draft")) {
            return result;
          }
          ChannelDraft real = (ChannelDraft) result;
          return Proxy.newProxyInstance(getClass().getClassLoader(),
              new Class<?>[] {ChannelDraft.class}, (p, m, a) -> {
                if ((m.getName().equals("write") || m.getName().equals("moveIn"))
                    && writes.incrementAndGet() > 3) {
                  throw new StorageException("cannot write " + a[0]
                      + ": No space left on device");
                }
                return invoke(m, real, a);
              });
        });

    assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(landscape, "full")
        .segmentDuration(Duration.ofSeconds(1)).build(), full, ProgressListener.none()))
        .isInstanceOf(HlsException.class)
        .hasMessageContaining("No space left on device");
    assertThat(writes.get()).as("it failed part-way, not at the start").isGreaterThan(3);
    assertThat(store.list("full/")).isEmpty();
    assertThat(store.channelMetadata("full")).isEmpty();
    assertThat(WorkFolders.list(work)).as("working folders left").isEmpty();
  }

  @Test
  void aRenditionWhoseOutputFailsMidStreamFailsTheLadderAndPublishesNothing() throws Exception {
    Path source = inputs.resolve("720p-fault.mp4");
    SampleVideo.write(source, SampleVideo.Spec.mp4(1280, 720, 4));
    AtomicReference<Double> last = new AtomicReference<>(0.0);
    ProgressListener removing = WorkFolders.removingRendition(work, 2, 0.25);

    // the 720p rendition's thread fails writing a segment; the 360p one must stop with it
    assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(source, "fault")
        .ladder(Ladder.ABR).segmentDuration(Duration.ofSeconds(1)).build(), store, p -> {
          last.set(p.fraction());
          removing.onProgress(p);
        }))
        .isInstanceOf(TranscodeException.class)
        .hasMessageContaining("writing a segment of")
        .hasMessageContaining("720p-fault.mp4")
        .satisfies(e -> assertThat(((TranscodeException) e).libavError()).isPresent());
    assertThat(last.get()).as("it failed part-way, not at the start").isGreaterThan(0.25);
    assertThat(store.list("fault/")).isEmpty();
    assertThat(store.channelMetadata("fault")).isEmpty();
    assertThat(WorkFolders.list(work)).as("working folders left").isEmpty();
  }

  @Test
  void worksInTheFolderItIsGivenAndRemovesWhatKilledTranscodesLeftThere(@TempDir Path root)
      throws Exception {
    FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofHours(7)));
    Path abandoned = root.resolve(Transcoder.WORK_PREFIX + "1");
    Path live = root.resolve(Transcoder.WORK_PREFIX + "2");
    Path notOurs = root.resolve("someone-elses");
    for (Path folder : List.of(abandoned, live, notOurs)) {
      Files.createDirectories(folder.resolve("r1"));
      Files.write(folder.resolve("r1/seg_00000.ts"), new byte[188]);
      for (Path p : List.of(folder.resolve("r1/seg_00000.ts"), folder.resolve("r1"), folder)) {
        Files.setLastModifiedTime(p, longAgo);
      }
    }
    // a long transcode: its folder is old, but a segment was written a moment ago
    Files.write(live.resolve("r1/seg_00001.ts"), new byte[188]);

    Transcoder inRoot = Transcoder.builder().workDirectory(root).build();

    assertThat(abandoned).as("untouched for 7 hours: left by a killed process").doesNotExist();
    assertThat(live.resolve("r1/seg_00000.ts")).as("still being written").exists();
    assertThat(notOurs).exists();
    Set<Path> during = new HashSet<>();
    inRoot.transcode(TranscodeRequest.builder(landscape, "here").build(), store, p -> {
      try (Stream<Path> folders = Files.list(root)) {
        folders.forEach(during::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    assertThat(during).as("the working folder was in the given folder")
        .anyMatch(p -> p.getFileName().toString().startsWith(Transcoder.WORK_PREFIX)
            && !p.equals(live));
    try (Stream<Path> after = Files.list(root)) {
      assertThat(after).containsExactlyInAnyOrder(live, notOurs);
    }
    assertThat(store.channelMetadata("here")).isPresent();
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void aPictureTooLargeToDecodeIsRefusedBeforeDecoding() {
    Path huge = inputs.resolve("huge.mkv");
    SampleVideo.write(huge, new SampleVideo.Spec(16_400, 16, 5, 0.2, 0, "matroska", "ffv1"));

    assertThatThrownBy(() -> transcoder.transcode(TranscodeRequest.builder(huge, "huge")
        .build(), store, ProgressListener.none()))
        .isInstanceOf(TranscodeException.class)
        .hasMessageContaining("huge.mkv declares a picture of 16400x16");
    assertThat(store.list("huge/")).isEmpty();
  }

  @Test
  void interruptingTheThreadCancelsWithinASecondAndPublishesNothing() throws Exception {
    Path longer = inputs.resolve("longer.mp4");
    SampleVideo.write(longer, SampleVideo.Spec.mp4(640, 360, 20));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread worker = new Thread(() -> {
      try {
        transcoder.transcode(TranscodeRequest.builder(longer, "stopped")
            .ladder(Ladder.ABR).build(), store, p -> {
              if (p.fraction() > 0.1) {
                started.countDown();
              }
            });
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    worker.start();
    assertThat(started.await(60, TimeUnit.SECONDS)).as("the transcode got going").isTrue();
    long interrupted = System.nanoTime();
    worker.interrupt();
    worker.join(10_000);
    Duration took = Duration.ofNanos(System.nanoTime() - interrupted);
    System.out.printf("cancelled in %d ms%n", took.toMillis());

    assertThat(worker.isAlive()).isFalse();
    assertThat(took).as("from the interrupt to the end").isLessThan(Duration.ofSeconds(1));
    assertThat(failure.get()).isInstanceOf(TranscodeCancelledException.class)
        .hasMessageContaining("cancelled");
    assertThat(store.list("stopped/")).isEmpty();
    assertThat(store.channelMetadata("stopped")).isEmpty();
  }

  @Test
  void aTruncatedFileFailsClearly() throws Exception {
    byte[] whole = Files.readAllBytes(landscape);
    Path truncated = inputs.resolve("truncated.mp4");
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 3));

    assertThatThrownBy(() -> transcoder.transcode(
        TranscodeRequest.builder(truncated, "cut").build(), store, ProgressListener.none()))
        .isInstanceOf(TranscodeException.class).hasMessageContaining("truncated.mp4");
    assertThat(store.list("cut/")).extracting(ObjectInfo::key).isEmpty();
  }

  @Test
  void libavComplainsThroughSlf4jNotOnStandardError() throws Exception {
    byte[] whole = Files.readAllBytes(landscape);
    Path truncated = inputs.resolve("truncated-log.mp4");
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 3));
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThatThrownBy(() -> transcoder.transcode(
          TranscodeRequest.builder(truncated, "cut2").build(), store, ProgressListener.none()))
          .isInstanceOf(TranscodeException.class);
    } finally {
      System.setErr(err);
    }
    // slf4j-simple writes to System.err as it is at each call; libav's own stderr would not
    // reach this stream, so what is here came through SLF4J
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("WARN " + io.hlskit.transcode.internal.LibavLog.LOGGER);
  }

  @Test
  void anEmptyFileFailsClearly() throws Exception {
    Path empty = Files.createFile(inputs.resolve("empty.mov"));

    assertThatThrownBy(() -> transcoder.transcode(
        TranscodeRequest.builder(empty, "empty").build(), store, ProgressListener.none()))
        .isInstanceOf(TranscodeException.class).hasMessageContaining("empty.mov");
    assertThat(store.list("")).isEmpty();
  }
}
