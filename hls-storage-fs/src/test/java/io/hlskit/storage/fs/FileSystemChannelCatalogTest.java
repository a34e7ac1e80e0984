package io.hlskit.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelEvent;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.store.ChannelDraft;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemChannelCatalogTest {
  private static final Duration WITHIN = Duration.ofSeconds(2);

  @TempDir
  Path root;

  private FileSystemMediaStore store;
  private FileSystemChannelCatalog catalog;
  private final List<ChannelEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    store = FileSystemMediaStore.at(root);
    catalog = FileSystemChannelCatalog.of(store, Duration.ofMillis(200));
    catalog.addListener(events::add);
  }

  @AfterEach
  void close() {
    catalog.close();
    store.close();
  }

  private void publish(String id, String title) {
    try (ChannelDraft d = store.draft(id)) {
      d.write("playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
      d.publish(ChannelMetadata.builder(id).title(title)
          .created(Instant.parse("2026-11-25T10:00:00Z")).build());
    }
  }

  @Test
  void publishedChannelsAppearAndDeletedOnesGoWithinTwoSeconds() {
    publish("canal1", "Uno");

    Eventually.await(WITHIN, "canal1 listed", () -> catalog.channel("canal1").isPresent());
    assertThat(catalog.channel("canal1").orElseThrow().title()).isEqualTo("Uno");

    publish("canal1", "Uno, otra vez");
    Eventually.await(WITHIN, "canal1 updated",
        () -> catalog.channel("canal1").orElseThrow().title().equals("Uno, otra vez"));

    store.deleteChannel("canal1");
    Eventually.await(WITHIN, "canal1 gone", () -> catalog.channel("canal1").isEmpty());
    assertThat(events).extracting(ChannelEvent::type).containsSubsequence(
        ChannelEvent.Type.ADDED, ChannelEvent.Type.UPDATED, ChannelEvent.Type.REMOVED);
    assertThat(events.get(events.size() - 1)).isEqualTo(ChannelEvent.removed("canal1"));
  }

  @Test
  void aSeedFolderCopiedInIsAChannelWithDerivedMetadata() throws Exception {
    Path seed = Files.createDirectories(root.resolve("canal2"));
    Files.writeString(seed.resolve("playlist.m3u8"), "#EXTM3U\n#EXT-X-VERSION:3\n"
        + "#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:10.000000,\nplaylist0.ts\n"
        + "#EXTINF:5.000000,\nplaylist1.ts\n#EXT-X-ENDLIST\n");

    Eventually.await(WITHIN, "canal2 listed", () -> catalog.channel("canal2").isPresent());

    ChannelMetadata m = catalog.channel("canal2").orElseThrow();
    assertThat(m.title()).isEqualTo("canal2");
    assertThat(m.duration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(m.playlist()).isEqualTo("playlist.m3u8");
  }

  @Test
  void aMultivariantSeedFolderListsItsRenditions() throws Exception {
    Path dir = Files.createDirectories(root.resolve("abr"));
    Files.writeString(dir.resolve("playlist.m3u8"), "#EXTM3U\n"
        + "#EXT-X-STREAM-INF:BANDWIDTH=955900,RESOLUTION=320x180,CODECS=\"avc1.640014,mp4a.40.2\"\n"
        + "v0/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=295900,RESOLUTION=160x90\nv1/index.m3u8\n");
    Files.createDirectories(dir.resolve("v0"));
    Files.writeString(dir.resolve("v0/index.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:4\n"
        + "#EXTINF:4.0,\na.ts\n#EXTINF:2.5,\nb.ts\n#EXT-X-ENDLIST\n");

    catalog.refresh();

    ChannelMetadata m = catalog.channel("abr").orElseThrow();
    assertThat(m.duration()).isEqualTo(Duration.ofMillis(6500));
    assertThat(m.renditions()).extracting(r -> r.name()).containsExactly("180p", "90p");
    assertThat(m.renditions().get(0).resolution()).contains(new Resolution(320, 180));
  }

  @Test
  void foldersThatAreNotChannelsAreIgnoredAndBrokenOnesSkipped() throws Exception {
    Files.createDirectories(root.resolve("Not A Channel"));
    Files.writeString(Files.createDirectories(root.resolve("empty")).resolve("notes.txt"), "x");
    Files.writeString(Files.createDirectories(root.resolve("broken")).resolve("playlist.m3u8"),
        "this is not a playlist");
    publish("good", "Good");

    catalog.refresh();

    assertThat(catalog.channels()).extracting(ChannelMetadata::id).containsExactly("good");
  }
}
