package io.hlskit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.StorageException;
import io.hlskit.core.channel.ChannelEvent;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.storage.s3.testing.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Channel discovery on a bucket, with two stores standing for two server instances. */
class S3ChannelCatalogTest {
  private static final Duration WITHIN = Duration.ofSeconds(5);

  private S3TestServer server;
  private String bucket;
  private S3MediaStore a;
  private S3MediaStore b;
  private S3ChannelCatalog catalogOfB;
  private final List<ChannelEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws Exception {
    server = S3TestServer.shared();
    bucket = server.newBucket();
    a = server.storeBuilder(bucket).build();
    b = server.storeBuilder(bucket).build();
    catalogOfB = S3ChannelCatalog.of(b, Duration.ofMillis(300));
    catalogOfB.addListener(events::add);
  }

  @AfterEach
  void close() {
    catalogOfB.close();
    a.close();
    b.close();
  }

  private static void publish(S3MediaStore store, String id, String title) {
    try (ChannelDraft d = store.draft(id)) {
      d.write("playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
      d.publish(ChannelMetadata.builder(id).title(title)
          .created(Instant.parse("2026-11-25T10:00:00Z")).build());
    }
  }

  @Test
  void aChannelPublishedThroughOneInstanceIsSeenByAnother() {
    publish(a, "canal1", "Uno");

    Eventually.await(WITHIN, "canal1 seen through B", () -> catalogOfB.channel("canal1")
        .isPresent());
    assertThat(catalogOfB.channel("canal1").orElseThrow().title()).isEqualTo("Uno");

    publish(a, "canal1", "Uno, otra vez");
    Eventually.await(WITHIN, "the new title seen", () -> catalogOfB.channel("canal1")
        .map(m -> m.title().equals("Uno, otra vez")).orElse(false));

    a.deleteChannel("canal1");
    Eventually.await(WITHIN, "canal1 gone", () -> catalogOfB.channel("canal1").isEmpty());
    assertThat(events).extracting(ChannelEvent::type).containsSubsequence(
        ChannelEvent.Type.ADDED, ChannelEvent.Type.UPDATED, ChannelEvent.Type.REMOVED);
  }

  @Test
  void refreshSeesAChannelAtOnce() {
    try (S3ChannelCatalog slow = S3ChannelCatalog.of(b, Duration.ofHours(1))) {
      assertThat(slow.channels()).isEmpty();
      publish(a, "canal2", "Dos");

      slow.refresh();

      assertThat(slow.channels()).extracting(ChannelMetadata::id).containsExactly("canal2");
    }
  }

  @Test
  void foldersWithoutAValidChannelJsonAreNotChannels() {
    publish(a, "good", "Good");
    a.write("nojson/playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
    a.write("broken/channel.json", "{\"id\": ".getBytes(StandardCharsets.UTF_8));
    a.write("other/channel.json", ChannelMetadata.builder("elsewhere")
        .created(Instant.parse("2026-11-25T10:00:00Z")).build().toJsonBytes());
    a.write("Not-An-Id/channel.json", "{}".getBytes(StandardCharsets.UTF_8));

    catalogOfB.refresh();

    assertThat(catalogOfB.channels()).extracting(ChannelMetadata::id).containsExactly("good");
  }

  @Test
  void aDraftInProgressIsNotAChannel() {
    try (ChannelDraft d = a.draft("pending")) {
      d.write("playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));

      catalogOfB.refresh();

      assertThat(catalogOfB.channels()).isEmpty();
    }
  }

  @Test
  void manyChannelsAreListedAcrossPages() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 1_050; i++) {
        String id = String.format("c%04d", i);
        writes.add(pool.submit(() -> a.write(id + "/channel.json", ChannelMetadata.builder(id)
            .created(Instant.parse("2026-11-25T10:00:00Z")).build().toJsonBytes())));
      }
      for (Future<?> f : writes) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    catalogOfB.refresh();

    assertThat(catalogOfB.channels()).hasSize(1_050);
  }

  @Test
  void anUnreachableStoreKeepsTheChannelsKnown() throws Exception {
    try (S3TestServer own = S3TestServer.create()) {
      String ownBucket = own.newBucket();
      try (S3MediaStore store = own.storeBuilder(ownBucket).build();
          S3ChannelCatalog catalog = S3ChannelCatalog.of(store, Duration.ofMillis(200))) {
        publish(store, "canal3", "Tres");
        catalog.refresh();
        assertThat(catalog.channels()).hasSize(1);

        own.stop();
        assertThatThrownBy(catalog::refresh).isInstanceOf(StorageException.class)
            .hasMessageContaining("cannot reach the S3 endpoint");
        assertThat(catalog.channels()).extracting(ChannelMetadata::id).containsExactly("canal3");

        own.start();
        publish(store, "canal4", "Cuatro");
        Eventually.await(WITHIN, "listing again after the store came back",
            () -> catalog.channels().size() == 2);
      }
    }
  }
}
