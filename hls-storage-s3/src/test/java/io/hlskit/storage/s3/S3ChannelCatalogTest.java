package io.hlskit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.StorageException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.ChannelCatalogContract;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.storage.s3.testing.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Channel discovery on a bucket; the "outside" store stands for another server instance. */
class S3ChannelCatalogTest extends ChannelCatalogContract {
  private String bucket;

  @Override
  protected MediaStore newStore() throws Exception {
    bucket = S3TestServer.shared().newBucket();
    return S3TestServer.shared().storeBuilder(bucket).scanInterval(Duration.ofMillis(300))
        .build();
  }

  @Override
  protected MediaStore outside() throws Exception {
    return S3TestServer.shared().storeBuilder(bucket).build();
  }

  private MediaStore a() throws Exception {
    return S3TestServer.shared().storeBuilder(bucket).build();
  }

  private static void publish(MediaStore store, String id, String title) {
    try (ChannelDraft d = store.draft(id)) {
      d.write("playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
      d.publish(ChannelMetadata.builder(id).title(title)
          .created(Instant.parse("2026-11-25T10:00:00Z")).build());
    }
  }

  @Test
  void foldersWithoutAValidChannelJsonOrPlaylistAreNotChannels() throws Exception {
    try (MediaStore a = a()) {
      publish(a, "good", "Good");
      a.write("nothing/poster.jpg", new byte[] {1});
      a.write("other/channel.json", ChannelMetadata.builder("elsewhere")
          .created(Instant.parse("2026-11-25T10:00:00Z")).build().toJsonBytes());
      a.write("Not-An-Id/channel.json", "{}".getBytes(StandardCharsets.UTF_8));

      store.channels().refresh();

      assertThat(store.channels().list()).extracting(ChannelMetadata::id)
          .containsExactly("good");
    }
  }

  @Test
  void aDraftInProgressIsNotAChannel() throws Exception {
    try (MediaStore a = a(); ChannelDraft d = a.draft("pending")) {
      d.write("playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));

      store.channels().refresh();

      assertThat(store.channels().list()).isEmpty();
    }
  }

  @Test
  void manyChannelsAreListedAcrossPages() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 1_050; i++) {
        String id = String.format("c%04d", i);
        writes.add(pool.submit(() -> store.write(id + "/channel.json", ChannelMetadata.builder(id)
            .created(Instant.parse("2026-11-25T10:00:00Z")).build().toJsonBytes())));
      }
      for (Future<?> f : writes) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    store.channels().refresh();

    assertThat(store.channels().list()).hasSize(1_050);
  }

  @Test
  void anUnreachableStoreKeepsTheChannelsKnown() throws Exception {
    try (S3TestServer own = S3TestServer.create()) {
      String ownBucket = own.newBucket();
      try (S3MediaStore ownStore = own.storeBuilder(ownBucket)
          .scanInterval(Duration.ofMillis(200)).build();
          S3MediaStore writer = own.storeBuilder(ownBucket).build()) {
        publish(ownStore, "canal3", "Tres");
        ownStore.channels().refresh();
        assertThat(ownStore.channels().list()).hasSize(1);

        own.stop();
        assertThatThrownBy(ownStore.channels()::refresh).isInstanceOf(StorageException.class)
            .hasMessageContaining("cannot reach the S3 endpoint");
        assertThat(ownStore.channels().list()).extracting(ChannelMetadata::id)
            .containsExactly("canal3");

        own.start();
        publish(writer, "canal4", "Cuatro");
        Eventually.await(WITHIN, "listing again after the store came back",
            () -> ownStore.channels().list().size() == 2);
      }
    }
  }
}
