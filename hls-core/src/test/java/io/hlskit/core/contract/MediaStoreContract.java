package io.hlskit.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.StorageException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.MediaTypes;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.core.store.ObjectStream;
import io.hlskit.core.store.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link MediaStore} promises. A backend's test extends this class and
 * supplies a fresh, empty store per test; it runs in the backend's own module (hls-core's
 * test-jar carries it).
 */
public abstract class MediaStoreContract {

  /** A new, empty store; it is closed after each test. */
  protected abstract MediaStore newStore() throws Exception;

  protected MediaStore store;

  @TempDir
  protected Path tempDir;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
      store.close(); // idempotent
    }
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static byte[] read(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  protected static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static ChannelMetadata metadata(String id) {
    return ChannelMetadata.builder(id)
        .title("Canal " + id)
        .duration(Duration.ofMillis(25_040))
        .addRendition(new RenditionInfo("360p", "360p/index.m3u8",
            Optional.of(new Resolution(640, 360)), 628_000, 560_000,
            List.of("avc1.64001e", "mp4a.40.2")))
        .playlist("playlist.m3u8")
        .poster("poster.jpg")
        .source("video.mp4")
        .created(Instant.parse("2026-11-25T10:15:30.123Z"))
        .build();
  }

  @Test
  void writesAndReadsBack() {
    byte[] content = randomBytes(100_000, 1);

    ObjectInfo written = store.write("canal1/360p/seg_00000.ts", content);

    assertThat(written.key()).isEqualTo("canal1/360p/seg_00000.ts");
    assertThat(written.length()).isEqualTo(100_000);
    assertThat(written.contentType()).isEqualTo(MediaTypes.MPEG_TS);
    StoredObject o = store.open("canal1/360p/seg_00000.ts").orElseThrow();
    assertThat(o.info().length()).isEqualTo(100_000);
    assertThat(o.info().etag()).isEqualTo(written.etag()).isNotBlank();
    assertThat(o.info().contentType()).isEqualTo(MediaTypes.MPEG_TS);
    assertThat(read(o.stream())).isEqualTo(content);
    o.localFile().ifPresent(p -> assertThat(p).hasBinaryContent(content));
  }

  @Test
  void readOpensAWholeObjectInOneStep() throws IOException {
    byte[] content = randomBytes(300_000, 12);
    ObjectInfo written = store.write("canal1/360p/seg_00001.ts", content);

    try (ObjectStream whole = store.read("canal1/360p/seg_00001.ts").orElseThrow()) {
      assertThat(whole.info().length()).isEqualTo(300_000);
      assertThat(whole.info().etag()).isEqualTo(written.etag());
      assertThat(whole.info().contentType()).isEqualTo(MediaTypes.MPEG_TS);
      assertThat(whole.content().readAllBytes()).isEqualTo(content);
    }
    assertThat(store.read("canal1/360p/missing.ts")).isEmpty();
    for (int i = 0; i < 80; i++) { // closed unread, many times: nothing is held
      store.read("canal1/360p/seg_00001.ts").orElseThrow().close();
    }
    assertThat(read(store.open("canal1/360p/seg_00001.ts").orElseThrow().stream()))
        .isEqualTo(content);
    assertThatThrownBy(() -> store.read("../x.ts")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mediaTypesFollowTheExtension() {
    store.write("c/playlist.m3u8", bytes("#EXTM3U\n"));
    store.write("c/init.mp4", bytes("x"));
    store.write("c/seg_00000.m4s", bytes("x"));
    store.write("c/poster.jpg", bytes("x"));

    assertThat(store.open("c/playlist.m3u8").orElseThrow().info().contentType())
        .isEqualTo(MediaTypes.PLAYLIST);
    assertThat(store.open("c/init.mp4").orElseThrow().info().contentType())
        .isEqualTo(MediaTypes.MP4);
    assertThat(store.open("c/seg_00000.m4s").orElseThrow().info().contentType())
        .isEqualTo(MediaTypes.FMP4_SEGMENT);
    assertThat(store.open("c/poster.jpg").orElseThrow().info().contentType())
        .isEqualTo(MediaTypes.JPEG);
  }

  @Test
  void overwritingChangesContentAndEtag() {
    ObjectInfo first = store.write("c/playlist.m3u8", bytes("#EXTM3U\n#one\n"));
    ObjectInfo second = store.write("c/playlist.m3u8", bytes("#EXTM3U\n#two, longer\n"));

    assertThat(second.etag()).isNotEqualTo(first.etag());
    StoredObject o = store.open("c/playlist.m3u8").orElseThrow();
    assertThat(new String(read(o.stream()), StandardCharsets.UTF_8))
        .isEqualTo("#EXTM3U\n#two, longer\n");
    assertThat(o.info().length()).isEqualTo(second.length());
  }

  @Test
  void missingObjectsAreEmpty() {
    assertThat(store.open("nothing/here.ts")).isEmpty();
    assertThat(store.list("nothing/")).isEmpty();
    assertThat(store.deletePrefix("nothing/")).isZero();
    assertThat(store.channelMetadata("nothing")).isEmpty();
  }

  @Test
  void readsRanges() {
    byte[] content = randomBytes(10_000, 2);
    store.write("c/seg.ts", content);
    StoredObject o = store.open("c/seg.ts").orElseThrow();

    assertThat(read(o.stream(0, 10))).isEqualTo(java.util.Arrays.copyOfRange(content, 0, 10));
    assertThat(read(o.stream(9_990, 10)))
        .isEqualTo(java.util.Arrays.copyOfRange(content, 9_990, 10_000));
    assertThat(read(o.stream(1234, 4321)))
        .isEqualTo(java.util.Arrays.copyOfRange(content, 1234, 1234 + 4321));
  }

  @Test
  void writesFromLocalFilesAndStreams() throws IOException {
    byte[] content = randomBytes(300_000, 3);
    Path file = tempDir.resolve("upload.bin");
    Files.write(file, content);

    store.write("c/from-file.ts", file);
    store.write("c/from-stream.ts", new ByteArrayInputStream(content));

    assertThat(file).exists();
    assertThat(read(store.open("c/from-file.ts").orElseThrow().stream())).isEqualTo(content);
    assertThat(read(store.open("c/from-stream.ts").orElseThrow().stream())).isEqualTo(content);
  }

  @Test
  void listsByPrefixInKeyOrder() {
    store.write("a/2.ts", bytes("2"));
    store.write("a/1.ts", bytes("1"));
    store.write("a/sub/3.ts", bytes("3"));
    store.write("ab/4.ts", bytes("4"));
    store.write("b/5.ts", bytes("5"));

    assertThat(store.list("a/")).extracting(ObjectInfo::key)
        .containsExactly("a/1.ts", "a/2.ts", "a/sub/3.ts");
    assertThat(store.list("a")).extracting(ObjectInfo::key)
        .containsExactly("a/1.ts", "a/2.ts", "a/sub/3.ts", "ab/4.ts");
    assertThat(store.list("")).hasSize(5);
    assertThat(store.list("a/sub/")).singleElement()
        .satisfies(i -> assertThat(i.length()).isEqualTo(1));
  }

  @Test
  void deletesByPrefix() {
    store.write("a/1.ts", bytes("1"));
    store.write("a/sub/2.ts", bytes("2"));
    store.write("ab/3.ts", bytes("3"));

    assertThat(store.deletePrefix("a/")).isEqualTo(2);

    assertThat(store.open("a/1.ts")).isEmpty();
    assertThat(store.list("a/")).isEmpty();
    assertThat(store.open("ab/3.ts")).isPresent();
  }

  @Test
  void deletesObjectsByName() {
    store.write("live/360p/seg_000000007.0.ts", bytes("p0"));
    store.write("live/360p/seg_000000007.1.ts", bytes("p1"));
    store.write("live/360p/seg_000000007.ts", bytes("s"));
    store.write("live/360p/index.m3u8", bytes("#EXTM3U"));

    store.delete(List.of("live/360p/seg_000000007.0.ts", "live/360p/seg_000000007.1.ts",
        "live/360p/seg_000000099.0.ts")); // the last is not there: skipped
    store.delete(List.of());

    assertThat(store.list("live/")).extracting(ObjectInfo::key)
        .containsExactly("live/360p/index.m3u8", "live/360p/seg_000000007.ts");
    assertThatThrownBy(() -> store.delete(List.of("../outside")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/etc/passwd", "../outside", "a/../../b", "a/./b", "./a", "a/.",
      "a//b", "a/", "a\\b", "..\\..\\b", "a\u0000b", "a\nb", "%2e%2e/x/../../y",
      "%2e%2e%2fetc%2fpasswd", "a/\ud800"})
  void refusesHostileKeys(String key) {
    boolean valid = io.hlskit.core.StorageKeys.isValidKey(key);
    if (valid) {
      // percent signs are plain characters in a key: such a key stays inside the store
      store.write(key, bytes("x"));
      assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly(key);
      return;
    }
    assertThatThrownBy(() -> store.write(key, bytes("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid key");
    assertThatThrownBy(() -> store.open(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void refusesHostilePrefixesAndChannelIds() {
    assertThatThrownBy(() -> store.list("../")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.list(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("prefix");
    assertThatThrownBy(() -> store.deletePrefix("/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.draft("../etc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid channel id");
    assertThatThrownBy(() -> store.draft("Canal1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.channelMetadata("a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.deleteChannel("a/b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDraftIsInvisibleUntilPublished() {
    try (ChannelDraft draft = store.draft("canal1")) {
      draft.write("360p/seg_00000.ts", randomBytes(1000, 4));
      draft.write("360p/index.m3u8", bytes("#EXTM3U\n"));
      draft.write("playlist.m3u8", bytes("#EXTM3U\n"));

      assertThat(store.channelMetadata("canal1")).isEmpty();
      assertThat(store.open("canal1/channel.json")).isEmpty();

      draft.publish(metadata("canal1"));
    }

    assertThat(store.channelMetadata("canal1")).contains(metadata("canal1"));
    assertThat(store.list("canal1/")).extracting(ObjectInfo::key).containsExactlyInAnyOrder(
        "canal1/360p/seg_00000.ts", "canal1/360p/index.m3u8", "canal1/playlist.m3u8",
        "canal1/channel.json");
    assertThat(store.open("canal1/channel.json").orElseThrow().info().contentType())
        .isEqualTo(MediaTypes.JSON);
  }

  @Test
  void aDraftTakesFilesInByMovingOrCopying() throws IOException {
    byte[] content = randomBytes(200_000, 11);
    Path file = tempDir.resolve("seg_00000.ts");
    Files.write(file, content);
    try (ChannelDraft draft = store.draft("moved")) {
      assertThatThrownBy(() -> draft.moveIn("../escape.ts", file))
          .isInstanceOf(IllegalArgumentException.class);
      ObjectInfo info = draft.moveIn("360p/seg_00000.ts", file);
      assertThat(info.key()).isEqualTo("moved/360p/seg_00000.ts");
      assertThat(info.length()).isEqualTo(content.length);
      assertThat(store.open("moved/360p/seg_00000.ts")).isEmpty();
      draft.publish(metadata("moved"));
    }
    assertThat(read(store.open("moved/360p/seg_00000.ts").orElseThrow().stream()))
        .isEqualTo(content);
  }

  @Test
  void anAbandonedDraftLeavesNothing() {
    try (ChannelDraft draft = store.draft("canal2")) {
      draft.write("360p/seg_00000.ts", randomBytes(1000, 5));
      draft.write("playlist.m3u8", bytes("#EXTM3U\n"));
    }

    assertThat(store.list("canal2/")).isEmpty();
    assertThat(store.channelMetadata("canal2")).isEmpty();
  }

  @Test
  void publishingAgainReplacesTheEarlierVersion() {
    try (ChannelDraft draft = store.draft("canal3")) {
      draft.write("720p/seg_00000.ts", bytes("old"));
      draft.write("playlist.m3u8", bytes("#EXTM3U\n#old\n"));
      draft.publish(metadata("canal3"));
    }
    ChannelMetadata second = ChannelMetadata.builder("canal3").title("Second")
        .created(Instant.parse("2026-11-25T11:00:00Z")).build();
    try (ChannelDraft draft = store.draft("canal3")) {
      draft.write("360p/seg_00000.ts", bytes("new"));
      draft.write("playlist.m3u8", bytes("#EXTM3U\n#new\n"));
      draft.publish(second);
    }

    assertThat(store.channelMetadata("canal3")).contains(second);
    assertThat(store.open("canal3/720p/seg_00000.ts")).isEmpty();
    assertThat(read(store.open("canal3/playlist.m3u8").orElseThrow().stream()))
        .isEqualTo(bytes("#EXTM3U\n#new\n"));
  }

  @Test
  void aDraftRefusesWhatIsNotItsOwn() {
    try (ChannelDraft draft = store.draft("canal4")) {
      assertThat(draft.channelId()).isEqualTo("canal4");
      assertThatThrownBy(() -> draft.write("channel.json", bytes("{}")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publish()");
      assertThatThrownBy(() -> draft.write("../canal5/x.ts", bytes("x")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> draft.write(null, bytes("x")))
          .isInstanceOf(NullPointerException.class).hasMessageContaining("relativeKey");
      assertThatThrownBy(() -> draft.publish(metadata("canal5")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canal5");
    }
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void deletingAChannelRemovesEverything() {
    try (ChannelDraft draft = store.draft("canal6")) {
      draft.write("360p/seg_00000.ts", bytes("x"));
      draft.publish(metadata("canal6"));
    }

    assertThat(store.deleteChannel("canal6")).isTrue();

    assertThat(store.list("canal6/")).isEmpty();
    assertThat(store.channelMetadata("canal6")).isEmpty();
    assertThat(store.deleteChannel("canal6")).isFalse();
  }

  @Test
  void concurrentWritersOfDifferentKeysAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            store.write("c/t" + thread + "/seg_" + i + ".ts", randomBytes(2000, thread * 100 + i));
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.list("c/")).hasSize(200);
    assertThat(read(store.open("c/t3/seg_7.ts").orElseThrow().stream()))
        .isEqualTo(randomBytes(2000, 307));
  }

  @Test
  void readersNeverSeeAPartialObject() throws Exception {
    byte[] a = randomBytes(200_000, 10);
    byte[] b = randomBytes(300_000, 11);
    store.write("c/hot.ts", a);
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    Thread reader = new Thread(() -> {
      while (!stop.get()) {
        store.open("c/hot.ts").ifPresentOrElse(o -> {
          try {
            byte[] seen = read(o.stream());
            if (!java.util.Arrays.equals(seen, a) && !java.util.Arrays.equals(seen, b)) {
              problems.add("read " + seen.length + " bytes that are neither version");
            }
          } catch (StorageException e) {
            // the object was replaced between open and read: allowed, as documented
          }
        }, () -> problems.add("the object vanished while being replaced"));
      }
    });
    reader.start();
    for (int i = 0; i < 20; i++) {
      store.write("c/hot.ts", i % 2 == 0 ? b : a);
    }
    stop.set(true);
    reader.join(30_000);

    assertThat(problems).isEmpty();
  }

  @Test
  void aPublishedChannelIsCompleteTheMomentItIsVisible() throws Exception {
    CountDownLatch seen = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      while (!stop.get()) {
        if (store.channelMetadata("canal7").isPresent()) {
          for (int i = 0; i < 20; i++) {
            if (store.open("canal7/360p/seg_" + i + ".ts").isEmpty()) {
              problems.add("segment " + i + " missing after channel.json appeared");
            }
          }
          seen.countDown();
          return;
        }
      }
    });
    reader.start();
    try (ChannelDraft draft = store.draft("canal7")) {
      for (int i = 0; i < 20; i++) {
        draft.write("360p/seg_" + i + ".ts", randomBytes(5000, i));
      }
      draft.publish(metadata("canal7"));
    }
    assertThat(seen.await(30, TimeUnit.SECONDS)).isTrue();
    stop.set(true);
    reader.join(30_000);

    assertThat(problems).isEmpty();
  }

  @Test
  void concurrentDraftsOfDifferentChannelsPublishIndependently() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        String id = "live" + c;
        futures.add(pool.submit(() -> {
          try (ChannelDraft draft = store.draft(id)) {
            for (int i = 0; i < 10; i++) {
              draft.write("360p/seg_" + i + ".ts", randomBytes(1000, i));
            }
            draft.publish(metadata(id));
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    for (int c = 0; c < 4; c++) {
      assertThat(store.channelMetadata("live" + c)).contains(metadata("live" + c));
      assertThat(store.list("live" + c + "/")).hasSize(11);
    }
  }

  @Test
  void anUnreadableChannelJsonIsAClearError() {
    store.write("broken/channel.json", bytes("{\"id\": \"broken\", "));

    assertThatThrownBy(() -> store.channelMetadata("broken"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("invalid channel.json");
  }
}
