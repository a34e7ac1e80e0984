package io.hlskit.benchmarks;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.MediaStore;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.storage.s3.S3MediaStore;
import io.hlskit.storage.s3.testing.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What one look at the storage for channels costs with 1,000 channels (each a {@code
 * channel.json}, a playlist and three segments): the S3 store's full scan of its channel list
 * (one delimited listing, then a conditional GET per channel that the store answers 304),
 * against the naive way (list every key of the bucket and pick the {@code channel.json}s, whose
 * cost grows with the segments, here only three per channel), and the folder store's scan of a
 * folder with the same channels. The S3 server is S3Proxy in this JVM, sharing the cores with
 * the client.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChannelListingBenchmark {
  private static final int CHANNELS = 1_000;

  private Path root;
  private FileSystemMediaStore fs;
  private S3TestServer s3Server;
  private S3MediaStore s3;
  private S3Client rawS3;
  private String bucket;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("hlskit-bench-list-");
    // long intervals: the benchmark refreshes the lists itself
    fs = FileSystemMediaStore.builder(root).scanInterval(Duration.ofHours(1)).build();
    s3Server = S3TestServer.create();
    bucket = s3Server.newBucket();
    s3 = s3Server.storeBuilder(bucket).parallelism(16).scanInterval(Duration.ofHours(1))
        .build();
    rawS3 = s3Server.client();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < CHANNELS; i++) {
        String id = String.format("canal%04d", i);
        writes.add(pool.submit(() -> {
          publish(fs, id);
          publish(s3, id);
        }));
      }
      for (Future<?> f : writes) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    if (s3.channels().list().size() != CHANNELS || fs.channels().list().size() != CHANNELS) {
      throw new IllegalStateException("the stores list " + s3.channels().list().size() + " and "
          + fs.channels().list().size() + " channels, not " + CHANNELS);
    }
  }

  private static void publish(MediaStore store, String id) {
    try (var d = store.draft(id)) {
      d.write("playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
      for (int s = 0; s < 3; s++) {
        d.write("seg_0000" + s + ".ts", new byte[188]);
      }
      d.publish(ChannelMetadata.builder(id).title("Canal " + id)
          .created(Instant.parse("2026-11-25T10:00:00Z")).build());
    }
  }

  @Benchmark
  public int s3CatalogRefresh() {
    s3.channels().refresh();
    return s3.channels().list().size();
  }

  @Benchmark
  public int s3ListEveryKey() {
    int found = 0;
    for (S3Object o : rawS3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
      if (o.key().endsWith("/channel.json")) {
        found++;
      }
    }
    return found;
  }

  @Benchmark
  public int fsCatalogRefresh() {
    fs.channels().refresh();
    return fs.channels().list().size();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    rawS3.close();
    s3.close();
    s3Server.close();
    fs.close();
    TempFolders.delete(root);
  }
}
