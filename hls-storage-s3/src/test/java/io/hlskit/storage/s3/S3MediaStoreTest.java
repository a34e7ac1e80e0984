package io.hlskit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.StorageException;
import io.hlskit.core.contract.MediaStoreContract;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.MediaTypes;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.storage.s3.testing.S3TestServer;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The MediaStore contract and the S3-specific promises, against a real S3 server. */
class S3MediaStoreTest extends MediaStoreContract {
  private String bucket;

  @Override
  protected MediaStore newStore() throws Exception {
    bucket = server().newBucket();
    return server().storeBuilder(bucket).build();
  }

  private static S3TestServer server() throws Exception {
    return S3TestServer.shared();
  }

  private HeadObjectResponse head(String objectKey) throws Exception {
    try (S3Client s3 = server().client()) {
      return s3.headObject(r -> r.bucket(bucket).key(objectKey));
    }
  }

  @Test
  void objectsCarryContentTypeAndCacheControl() throws Exception {
    store.write("c/360p/seg_00000.ts", bytes("x"));
    store.write("c/360p/index.m3u8", bytes("#EXTM3U\n"));
    store.write("c/poster.jpg", bytes("x"));

    assertThat(head("c/360p/seg_00000.ts").contentType()).isEqualTo(MediaTypes.MPEG_TS);
    assertThat(head("c/360p/seg_00000.ts").cacheControl())
        .isEqualTo("public, max-age=31536000, immutable");
    assertThat(head("c/360p/index.m3u8").contentType()).isEqualTo(MediaTypes.PLAYLIST);
    assertThat(head("c/360p/index.m3u8").cacheControl()).isEqualTo("no-cache");
    assertThat(head("c/poster.jpg").contentType()).isEqualTo(MediaTypes.JPEG);
  }

  @Test
  void aMissIsRememberedBrieflyAndForgottenByAWriteOfItsOwn() throws Exception {
    String late = ((S3MediaStore) store).prefix() + "c/late.ts";
    assertThat(store.open("c/late.ts")).isEmpty();
    try (S3Client s3 = server().client()) {
      s3.putObject(r -> r.bucket(bucket).key(late),
          software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    }
    assertThat(store.open("c/late.ts")).as("remembered missing: the bucket was not asked")
        .isEmpty();
    assertThat(store.read("c/late.ts")).isEmpty();
    io.hlskit.core.contract.Eventually.await(java.time.Duration.ofSeconds(10),
        "another writer's object seen once the miss is forgotten",
        () -> store.open("c/late.ts").isPresent());

    assertThat(store.open("c/mine.ts")).isEmpty();
    store.write("c/mine.ts", bytes("y"));
    assertThat(store.open("c/mine.ts")).as("this store's own write, at once").isPresent();
  }

  @Test
  void largeObjectsGoUpInPartsFromStreamsAndFiles() throws Exception {
    byte[] content = randomBytes(12 * 1024 * 1024 + 123, 42);
    Path file = tempDir.resolve("big.ts");
    Files.write(file, content);
    try (MediaStore small = server().storeBuilder(bucket).partSize(5 * 1024 * 1024).build()) {
      ObjectInfo fromStream = small.write("c/stream.ts", new java.io.ByteArrayInputStream(content));
      ObjectInfo fromFile = small.write("c/file.ts", file);

      // S3 gives a multipart object the ETag <md5 of part md5s>-<part count>
      assertThat(fromStream.etag()).endsWith("-3");
      assertThat(fromFile.etag()).endsWith("-3");
      assertThat(fromStream.length()).isEqualTo(content.length);
      assertThat(read(small.open("c/stream.ts").orElseThrow().stream())).isEqualTo(content);
      assertThat(read(small.open("c/file.ts").orElseThrow().stream())).isEqualTo(content);
      assertThat(read(small.open("c/file.ts").orElseThrow().stream(6_000_000, 10)))
          .isEqualTo(Arrays.copyOfRange(content, 6_000_000, 6_000_010));
    }
  }

  @Test
  void listingAndDeletingFollowPagesBeyondAThousandKeys() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      java.util.List<Future<?>> writes = new java.util.ArrayList<>();
      for (int i = 0; i < 1_205; i++) {
        String key = String.format("many/seg_%05d.ts", i);
        writes.add(pool.submit(() -> store.write(key, bytes("x"))));
      }
      for (Future<?> f : writes) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    store.write("other/keep.ts", bytes("x"));

    assertThat(store.list("many/")).hasSize(1_205)
        .extracting(ObjectInfo::key).startsWith("many/seg_00000.ts").endsWith("many/seg_01204.ts");
    assertThat(store.deletePrefix("many/")).isEqualTo(1_205);
    assertThat(store.list("many/")).isEmpty();
    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("other/keep.ts");
  }

  @Test
  void aReadIsPinnedToTheVersionThatWasOpened() {
    store.write("c/seg.ts", randomBytes(1000, 1));
    var opened = store.open("c/seg.ts").orElseThrow();
    store.write("c/seg.ts", randomBytes(2000, 2));

    assertThatThrownBy(() -> read(opened.stream())).isInstanceOf(StorageException.class)
        .hasMessageContaining("changed or was removed since it was opened");
    assertThat(read(store.open("c/seg.ts").orElseThrow().stream()))
        .isEqualTo(randomBytes(2000, 2));
  }

  @Test
  void closingAStreamEarlyLeavesTheStoreUsable() throws Exception {
    store.write("c/big.ts", randomBytes(3_000_000, 3));
    for (int i = 0; i < 60; i++) { // more than the client's connection pool
      try (InputStream in = store.open("c/big.ts").orElseThrow().stream()) {
        assertThat(in.readNBytes(1000)).hasSize(1000);
      }
    }
    assertThat(read(store.open("c/big.ts").orElseThrow().stream(2_999_000, 1000)))
        .isEqualTo(Arrays.copyOfRange(randomBytes(3_000_000, 3), 2_999_000, 3_000_000));
  }

  @Test
  void aPrefixKeepsTheStoreInsideItsFolder() throws Exception {
    store.write("outside/x.ts", bytes("x"));
    try (MediaStore inner = server().storeBuilder(bucket).prefix("hls").build()) {
      inner.write("canal1/seg.ts", bytes("inner"));
      try (ChannelDraft d = inner.draft("canal2")) {
        d.write("playlist.m3u8", bytes("#EXTM3U\n"));
        d.publish(metadata("canal2"));
      }

      assertThat(inner.list("")).extracting(ObjectInfo::key)
          .containsExactly("canal1/seg.ts", "canal2/channel.json", "canal2/playlist.m3u8");
      assertThat(head("hls/canal1/seg.ts").contentLength()).isEqualTo(5);
      assertThat(inner.open("outside/x.ts")).isEmpty();
    }
    assertThat(store.list("")).extracting(ObjectInfo::key).contains("outside/x.ts",
        "hls/canal1/seg.ts");
  }

  @Test
  void draftsAreStagedOutOfSight() {
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("360p/seg_00000.ts", bytes("x"));

      assertThat(store.list("")).isEmpty();
      assertThatThrownBy(() -> store.open(".hlskit-drafts/x"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }
  }

  @Test
  void publicUrlsAppendTheKeyToTheBaseUrl() throws Exception {
    try (MediaStore cdn = server().storeBuilder(bucket).prefix("hls/")
        .publicBaseUrl(URI.create("https://cdn.example.com/media")).build()) {
      assertThat(cdn.publicUrl("canal 1/360p/seg_00000.ts"))
          .contains(URI.create("https://cdn.example.com/media/hls/canal%201/360p/seg_00000.ts"));
    }
    assertThat(store.publicUrl("canal1/seg.ts")).isEmpty();
  }

  @Test
  void aMissingBucketSaysSo() throws Exception {
    assertThatThrownBy(() -> server().storeBuilder("no-such-bucket-here").build())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("'no-such-bucket-here' does not exist")
        .hasMessageContaining(server().endpoint().toString());
  }

  @Test
  void refusedCredentialsSaySo() throws Exception {
    assertThatThrownBy(() -> server().storeBuilder(bucket).credentials("wrong", "wrong").build())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("AWS_ACCESS_KEY_ID");
  }

  @Test
  void anUnreachableEndpointSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + port);
    assertThatThrownBy(() -> S3MediaStore.builder().bucket("b").endpoint(nowhere)
        .pathStyle(true).credentials("a", "b").build())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("cannot reach the S3 endpoint " + nowhere)
        .hasMessageContaining("check the endpoint");
  }

  @Test
  void noBucketIsAClearError() {
    assertThatThrownBy(() -> S3MediaStore.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("bucket(name)");
    assertThatThrownBy(() -> S3MediaStore.builder().partSize(1024))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least");
  }

  @Test
  void storesWithoutBatchDeletesGetOneRequestPerKey() throws Exception {
    try (S3TestServer strict = S3TestServer.createStrict()) {
      String b = strict.newBucket();
      try (MediaStore old = strict.storeBuilder(b).build()) {
        for (int i = 0; i < 30; i++) {
          old.write("c/seg_" + i + ".ts", bytes("x"));
        }
        try (ChannelDraft d = old.draft("canal1")) {
          d.write("360p/seg_0.ts", bytes("x"));
          d.publish(metadata("canal1"));
        }

        assertThat(old.deletePrefix("c/")).isEqualTo(30);
        assertThat(old.deleteChannel("canal1")).isTrue();
        assertThat(old.list("")).isEmpty();
      }
      try (S3Client s3 = strict.client()) {
        assertThat(s3.listObjectsV2(r -> r.bucket(b)).contents()).as("drafts gone too").isEmpty();
      }
    }
  }

  @Test
  void aFiftyMegabyteObjectNeverSitsWholeInTheHeap() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-Xmx40m", "-cp", System.getProperty("java.class.path"),
        BigObjectRoundTrip.class.getName(), server().endpoint().toString(), bucket,
        server().accessKey(), server().secretKey(), String.valueOf(50L * 1024 * 1024))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    String written = out.lines().filter(l -> l.startsWith("written ")).findFirst().orElseThrow()
        .substring("written ".length());
    assertThat(out).as("a 40 MB heap moved 50 MB both ways")
        .contains("read " + written + " " + 50L * 1024 * 1024);
  }

  @Test
  void aPublishThatFailsLeavesNothingVisibleAndTheStoreRecovers() throws Exception {
    try (S3TestServer own = S3TestServer.create()) {
      String b = own.newBucket();
      try (MediaStore s3 = own.storeBuilder(b).build()) {
        ChannelDraft draft = s3.draft("canal1");
        draft.write("360p/seg_00000.ts", randomBytes(1000, 1));
        own.stop();

        assertThatThrownBy(() -> draft.publish(metadata("canal1")))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining("publishing canal1")
            .hasMessageContaining("cannot reach the S3 endpoint " + own.endpoint());
        assertThatThrownBy(s3::checkHealth).isInstanceOf(StorageException.class);

        own.start();
        s3.checkHealth();
        draft.close();
        assertThat(s3.channelMetadata("canal1")).isEmpty();
        assertThat(s3.list("")).isEmpty();
        try (ChannelDraft again = s3.draft("canal1")) {
          again.write("360p/seg_00000.ts", randomBytes(1000, 1));
          again.publish(metadata("canal1"));
        }
        assertThat(s3.channelMetadata("canal1")).contains(metadata("canal1"));
      }
      try (S3Client client = own.client()) {
        assertThat(client.listObjectsV2(r -> r.bucket(b)).contents())
            .extracting(o -> o.key()).allMatch(k -> k.startsWith("canal1/"));
      }
    }
  }
}
