package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.core.store.MediaStore;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.storage.s3.S3MediaStore;
import io.hlskit.storage.s3.testing.S3TestServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores given a meter registry time their operations as {@code hlskit_storage_seconds{store,
 * op, result}}. (The stores' own test suites run with micrometer-core off the classpath, which
 * shows that a store without a registry needs none.)
 */
class StorageMetricsTest {
  @TempDir
  Path dir;

  private static long count(SimpleMeterRegistry r, String store, String op, String result) {
    Timer t = r.find("hlskit.storage").tags("store", store, "op", op, "result", result).timer();
    return t == null ? 0 : t.count();
  }

  private static void exercise(MediaStore store) {
    store.write("uno/a.txt", "hola".getBytes(StandardCharsets.UTF_8));
    assertThat(store.open("uno/a.txt")).isPresent();
    assertThat(store.list("uno/")).hasSize(1);
    try (ChannelDraft d = store.draft("dos")) {
      d.write("playlist.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\ns.ts\n"
          .getBytes(StandardCharsets.UTF_8));
      d.publish(ChannelMetadata.builder("dos").build());
    }
    assertThat(store.deletePrefix("uno/")).isEqualTo(1);
    assertThatThrownBy(() -> store.write("../x", new byte[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFolderStoreTimesItsOperations() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    try (FileSystemMediaStore store = FileSystemMediaStore.builder(dir).meterRegistry(r)
        .build()) {
      exercise(store);
    }
    assertTimed(r, "fs");
    assertThat(count(r, "fs", "write", "error")).isEqualTo(1);
  }

  /** One write to the store and one to a draft, one publish, one open, one delete. */
  private static void assertTimed(SimpleMeterRegistry r, String store) {
    assertThat(count(r, store, "write", "ok")).isEqualTo(2);
    assertThat(count(r, store, "open", "ok")).isGreaterThanOrEqualTo(1);
    assertThat(count(r, store, "list", "ok")).isGreaterThanOrEqualTo(1);
    assertThat(count(r, store, "publish", "ok")).isEqualTo(1);
    assertThat(count(r, store, "delete", "ok")).isEqualTo(1);
  }

  @Test
  void theMemoryStoreTimesItsOperations() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    try (InMemoryMediaStore store = InMemoryMediaStore.withMetrics(r)) {
      exercise(store);
    }
    assertTimed(r, "memory");
  }

  @Test
  void theBucketStoreTimesItsOperations() throws Exception {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    try (S3TestServer s3 = S3TestServer.create();
        S3MediaStore store = s3.storeBuilder(s3.newBucket()).meterRegistry(r).build()) {
      exercise(store);
      store.checkHealth();
    }
    assertTimed(r, "s3");
    assertThat(count(r, "s3", "health", "ok")).isGreaterThanOrEqualTo(1); // build checks too
  }
}
