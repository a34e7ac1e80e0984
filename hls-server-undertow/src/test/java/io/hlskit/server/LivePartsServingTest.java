package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.core.store.StoredObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A live channel's parts on a remote store (one that is not on this machine's disk, counting
 * what is read of it): the players that ask for a new part at once cost one read of the store,
 * whatever their number, and get the same bytes; segments and other files are read as before.
 */
class LivePartsServingTest {
  private static final String PART = "ll/360p/seg_000000100.0.ts";

  private final HttpClient http = HttpClient.newHttpClient();
  private final CountingStore store = new CountingStore(new InMemoryMediaStore());
  private HlsServer server;

  @BeforeEach
  void start() {
    LiveChannels.createOrUpdate(store, "ll", "Fast", Visibility.PUBLIC,
        LiveSettings.of("360p:600k"));
    byte[] part = new byte[200_000];
    for (int i = 0; i < part.length; i++) {
      part[i] = (byte) (i * 31);
    }
    store.write(PART, part);
    store.write("ll/360p/seg_000000100.ts", part);
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private List<HttpResponse<byte[]>> getAtOnce(String key, int n) throws Exception {
    List<CompletableFuture<HttpResponse<byte[]>>> asked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      asked.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + server.port() + "/streams/" + key + "?session=p" + i)).build(),
          HttpResponse.BodyHandlers.ofByteArray()));
    }
    List<HttpResponse<byte[]>> answers = new ArrayList<>();
    for (var a : asked) {
      answers.add(a.get(10, TimeUnit.SECONDS));
    }
    return answers;
  }

  @Test
  void playersAskingForANewPartAtOnceCostOneReadOfTheStore() throws Exception {
    byte[] stored = store.open(PART).orElseThrow().stream().readAllBytes();
    store.reads.clear();
    List<HttpResponse<byte[]>> answers = getAtOnce(PART, 40);
    for (HttpResponse<byte[]> r : answers) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(stored);
      assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(
          v -> assertThat(v).contains("immutable"));
    }
    assertThat(store.reads(PART)).as("reads of the part for 40 players").isEqualTo(1);

    // a second on, the part is no longer kept: read again, once
    Thread.sleep(1200);
    getAtOnce(PART, 5).forEach(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(store.reads(PART)).isEqualTo(2);

    // a whole segment is not a part: each request reads it, as before
    store.reads.clear();
    getAtOnce("ll/360p/seg_000000100.ts", 3).forEach(r -> assertThat(r.statusCode())
        .isEqualTo(200));
    assertThat(store.reads("ll/360p/seg_000000100.ts")).isEqualTo(3);
    // a part that is not there is still a 404
    assertThat(getAtOnce("ll/360p/seg_000000999.0.ts", 1).get(0).statusCode()).isEqualTo(404);
  }

  /** A store that is not local (as S3 is not), counting the reads of each key. */
  private static final class CountingStore implements MediaStore {
    final MediaStore inner;
    final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

    CountingStore(MediaStore inner) {
      this.inner = inner;
    }

    int reads(String key) {
      AtomicInteger n = reads.get(key);
      return n == null ? 0 : n.get();
    }

    @Override
    public ObjectInfo write(String key, InputStream content) {
      return inner.write(key, content);
    }

    @Override
    public ObjectInfo write(String key, Path file) {
      return inner.write(key, file);
    }

    @Override
    public Optional<StoredObject> open(String key) {
      reads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      return inner.open(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
      return inner.list(prefix);
    }

    @Override
    public int deletePrefix(String prefix) {
      return inner.deletePrefix(prefix);
    }

    @Override
    public ChannelDraft draft(String channelId) {
      return inner.draft(channelId);
    }

    @Override
    public ChannelCatalog channels() {
      return inner.channels();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
