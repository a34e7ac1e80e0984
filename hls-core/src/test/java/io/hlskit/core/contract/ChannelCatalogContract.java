package io.hlskit.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelEvent;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.linear.Schedule;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of every store's channel list, {@link MediaStore#channels()}. A backend's test
 * extends this class and supplies a fresh, empty store whose scan runs often (a few hundred
 * milliseconds), and a second view of the same storage, through which the test changes things
 * "outside" the first store as another process or instance would.
 */
public abstract class ChannelCatalogContract {
  /** How long an outside change may take to show: a few scans. */
  protected static final Duration WITHIN = Duration.ofSeconds(5);

  /** A new, empty store that scans every few hundred milliseconds; closed after each test. */
  protected abstract MediaStore newStore() throws Exception;

  /**
   * Another view of {@link #store}'s storage (another instance on the same folder or bucket; the
   * store itself when nothing else can reach its storage); closed after each test when it is not
   * the store itself.
   */
  protected abstract MediaStore outside() throws Exception;

  protected MediaStore store;
  private MediaStore outside;
  protected final List<ChannelEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    outside = outside();
    store.channels().addListener(events::add);
  }

  @AfterEach
  void close() {
    if (outside != null && outside != store) {
      outside.close();
    }
    if (store != null) {
      store.close();
      store.close(); // idempotent
    }
  }

  protected static ChannelMetadata metadata(String id, String title, String created) {
    return ChannelMetadata.builder(id).title(title).duration(Duration.ofSeconds(4))
        .created(Instant.parse(created)).build();
  }

  protected static void publish(MediaStore to, ChannelMetadata metadata) {
    try (ChannelDraft d = to.draft(metadata.id())) {
      d.write("playlist.m3u8", bytes(mediaPlaylist(4.0)));
      d.write("seg_00000.ts", new byte[188]);
      d.publish(metadata);
    }
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static String mediaPlaylist(double... durations) {
    StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n");
    for (int i = 0; i < durations.length; i++) {
      b.append("#EXTINF:").append(durations[i]).append(",\nplaylist").append(i).append(".ts\n");
    }
    return b.append("#EXT-X-ENDLIST\n").toString();
  }

  private ChannelCatalog catalog() {
    return store.channels();
  }

  @Test
  void aChannelPublishedThroughTheStoreIsListedWhenPublishReturns() {
    ChannelMetadata m = metadata("canal1", "Uno", "2026-11-25T10:00:00Z");

    publish(store, m);

    assertThat(catalog().get("canal1")).contains(m);
    assertThat(catalog().list()).containsExactly(m);
    Eventually.await(WITHIN, "the ADDED event", () -> events.contains(ChannelEvent.added(m)));
  }

  @Test
  void aRepublishedChannelIsUpdatedAtOnce() {
    publish(store, metadata("canal1", "Uno", "2026-11-25T10:00:00Z"));
    ChannelMetadata again = metadata("canal1", "Uno, otra vez", "2026-11-25T11:00:00Z");

    publish(store, again);

    assertThat(catalog().get("canal1")).contains(again);
    Eventually.await(WITHIN, "the UPDATED event",
        () -> events.contains(ChannelEvent.updated(again)));
  }

  @Test
  void aChannelDeletedThroughTheStoreIsGoneWhenDeleteReturns() {
    publish(store, metadata("canal1", "Uno", "2026-11-25T10:00:00Z"));

    assertThat(store.deleteChannel("canal1")).isTrue();

    assertThat(catalog().get("canal1")).isEmpty();
    assertThat(catalog().list()).isEmpty();
    Eventually.await(WITHIN, "the REMOVED event",
        () -> events.contains(ChannelEvent.removed("canal1")));
    // and a later scan does not bring it back
    catalog().refresh();
    assertThat(catalog().get("canal1")).isEmpty();
    assertThat(store.deleteChannel("canal1")).isFalse();
  }

  @Test
  void channelsAddedAndRemovedOutsideShowWithinAFewScans() throws Exception {
    ChannelMetadata m = metadata("elsewhere", "Elsewhere", "2026-11-25T10:00:00Z");

    publish(outside, m);
    Eventually.await(WITHIN, "the outside channel listed",
        () -> catalog().get("elsewhere").equals(Optional.of(m)));

    outside.deleteChannel("elsewhere");
    Eventually.await(WITHIN, "the outside channel gone",
        () -> catalog().get("elsewhere").isEmpty());
    Eventually.await(WITHIN, "the REMOVED event",
        () -> events.contains(ChannelEvent.removed("elsewhere")));
    // a store that copies objects into place may list the folder for a moment before its
    // channel.json lands, so more events than these two are allowed in between
    assertThat(events.get(0).type()).isEqualTo(ChannelEvent.Type.ADDED);
    assertThat(events.get(events.size() - 1)).isEqualTo(ChannelEvent.removed("elsewhere"));
  }

  @Test
  void aLinearChannelIsItsMetadataAloneAndIsListedEverywhere() {
    publish(store, metadata("a", "A", "2026-11-25T10:00:00Z"));
    ChannelMetadata linear = ChannelMetadata.builder("news").title("News")
        .duration(Duration.ofSeconds(4)).created(Instant.parse("2026-11-25T11:00:00Z"))
        .schedule(Schedule.of(Instant.parse("2026-11-25T12:00:00Z"), true, "a", "a")).build();

    try (ChannelDraft d = store.draft("news")) {
      d.publish(linear); // no object but channel.json
    }

    assertThat(catalog().get("news")).contains(linear);
    outside.channels().refresh(); // another instance on the same storage
    assertThat(outside.channels().get("news")).contains(linear);
    assertThat(store.deleteChannel("news")).isTrue();
    assertThat(catalog().get("news")).isEmpty();
    assertThat(catalog().get("a")).isPresent();
  }

  @Test
  void refreshListsOutsideChangesBeforeItReturns() {
    catalog().list(); // the store is being read, so it scans
    ChannelMetadata m = metadata("elsewhere", "Elsewhere", "2026-11-25T10:00:00Z");
    publish(outside, m);

    catalog().refresh();

    assertThat(catalog().get("elsewhere")).contains(m);
  }

  @Test
  void aPlainHlsFolderIsAChannelWithMetadataFromItsPlaylist() {
    outside.write("plain/playlist.m3u8", bytes(mediaPlaylist(10.0, 10.0, 5.04)));
    outside.write("plain/playlist0.ts", new byte[188]);

    catalog().refresh();

    ChannelMetadata m = catalog().get("plain").orElseThrow();
    assertThat(m.title()).isEqualTo("plain");
    assertThat(m.duration()).isEqualTo(Duration.ofMillis(25_040));
    assertThat(m.playlist()).isEqualTo("playlist.m3u8");
    assertThat(m.renditions()).isEmpty();
    assertThat(m.created()).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
  }

  @Test
  void aMultivariantPlainHlsFolderListsItsRenditions() {
    outside.write("abr/v0/index.m3u8", bytes(mediaPlaylist(4.0, 2.5)));
    outside.write("abr/playlist.m3u8", bytes("#EXTM3U\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=955900,RESOLUTION=320x180,"
        + "CODECS=\"avc1.640014,mp4a.40.2\"\nv0/index.m3u8\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=295900,RESOLUTION=160x90\nv1/index.m3u8\n"));

    catalog().refresh();

    ChannelMetadata m = catalog().get("abr").orElseThrow();
    assertThat(m.duration()).isEqualTo(Duration.ofMillis(6500));
    assertThat(m.renditions()).extracting(RenditionInfo::name).containsExactly("180p", "90p");
    assertThat(m.renditions().get(0).resolution()).contains(new Resolution(320, 180));
    assertThat(m.renditions().get(0).codecs()).containsExactly("avc1.640014", "mp4a.40.2");
  }

  @Test
  void brokenFoldersAreLeftOutAndTheRestListed() {
    outside.write("broken/playlist.m3u8", bytes("this is not a playlist"));
    outside.write("badjson/channel.json", bytes("{\"id\":"));
    outside.write("empty/notes.txt", bytes("x"));
    publish(store, metadata("good", "Good", "2026-11-25T10:00:00Z"));

    catalog().refresh();

    assertThat(catalog().list()).extracting(ChannelMetadata::id).containsExactly("good");
  }

  @Test
  void theListIsNewestFirst() {
    publish(store, metadata("old", "Old", "2026-01-01T00:00:00Z"));
    publish(store, metadata("new", "New", "2026-11-25T00:00:00Z"));
    publish(store, metadata("mid", "Mid", "2026-06-01T00:00:00Z"));

    assertThat(catalog().list()).extracting(ChannelMetadata::id)
        .containsExactly("new", "mid", "old");
  }

  @Test
  void listenersHearEventsInOrderUntilTheyUnregister() {
    List<ChannelEvent> mine = new CopyOnWriteArrayList<>();
    ChannelCatalog.Registration registration = catalog().addListener(mine::add);
    ChannelMetadata a = metadata("a", "A", "2026-11-25T10:00:00Z");
    ChannelMetadata a2 = metadata("a", "A2", "2026-11-25T10:00:00Z");

    publish(store, a);
    publish(store, a2);
    store.deleteChannel("a");
    Eventually.await(WITHIN, "three events", () -> mine.size() == 3);
    registration.close();
    registration.close();
    publish(store, metadata("b", "B", "2026-11-25T10:00:00Z"));
    Eventually.await(WITHIN, "the other listener hears b",
        () -> events.stream().anyMatch(e -> e.channelId().equals("b")));

    assertThat(mine).containsExactly(ChannelEvent.added(a), ChannelEvent.updated(a2),
        ChannelEvent.removed("a"));
  }

  @Test
  void aClosedStoreScansNoMore() throws Exception {
    assumeTrue(outside != store, "nothing but the store reaches its storage");
    catalog().list();
    store.close();

    publish(outside, metadata("late", "Late", "2026-11-25T10:00:00Z"));
    Thread.sleep(1000);

    assertThat(events).isEmpty();
  }
}
