package io.hlskit.benchmarks;

import io.hlskit.core.store.ObjectStream;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.storage.s3.S3MediaStore;
import io.hlskit.storage.s3.testing.S3TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
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

/**
 * Reading whole 2 MB segments, chosen at random among 32, from each store: {@code
 * FileSystemMediaStore} against plain {@code Files.newInputStream} on the same files, and {@code
 * S3MediaStore} against a bare AWS SDK {@code getObject} on the same bucket: through {@code
 * open().stream()} (a HEAD to learn the length and ETag, then a GET pinned with If-Match, what the
 * server does for Range and conditional requests) and through {@code read()} (one GET, what the
 * server does for a plain GET). The S3 server is S3Proxy in this
 * JVM over its in-memory blob store, so it shares the two cores with the client: the figures say
 * what the store costs on top of the SDK, not what AWS would deliver. One op is one segment; MB/s
 * is ops/s x 2. Run with {@code -t 1}, {@code -t 4} and {@code -t 16}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StorageReadBenchmark {
  private static final int SEGMENTS = 32;
  private static final int SIZE = 2 * 1024 * 1024;

  private Path root;
  private FileSystemMediaStore fs;
  private S3TestServer s3Server;
  private S3MediaStore s3;
  private S3Client rawS3;
  private String bucket;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    root = Files.createTempDirectory("hlskit-bench-fs-");
    fs = FileSystemMediaStore.at(root);
    s3Server = S3TestServer.create();
    bucket = s3Server.newBucket();
    s3 = s3Server.storeBuilder(bucket).parallelism(16).build();
    rawS3 = s3Server.client();
    byte[] segment = new byte[SIZE];
    Random random = new Random(1);
    for (int i = 0; i < SEGMENTS; i++) {
      random.nextBytes(segment);
      fs.write(key(i), segment);
      s3.write(key(i), segment);
    }
  }

  private static String key(int i) {
    return String.format("canal1/720p/seg_%05d.ts", i);
  }

  private static String randomKey() {
    return key(ThreadLocalRandom.current().nextInt(SEGMENTS));
  }

  /** Per thread: a read buffer of the size a server sends with. */
  @State(Scope.Thread)
  public static class Buffer {
    final byte[] bytes = new byte[64 * 1024];
  }

  private static long drain(InputStream in, byte[] buffer) throws IOException {
    long total = 0;
    try (in) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
      }
    }
    if (total != SIZE) {
      throw new IllegalStateException("read " + total + " bytes, not " + SIZE);
    }
    return total;
  }

  @Benchmark
  public long fsStore(Buffer b) throws IOException {
    return drain(fs.open(randomKey()).orElseThrow().stream(), b.bytes);
  }

  @Benchmark
  public long fsPlainFiles(Buffer b) throws IOException {
    return drain(Files.newInputStream(root.resolve(randomKey())), b.bytes);
  }

  @Benchmark
  public long s3Store(Buffer b) throws IOException {
    return drain(s3.open(randomKey()).orElseThrow().stream(), b.bytes);
  }

  @Benchmark
  public long s3StoreRead(Buffer b) throws IOException {
    try (ObjectStream whole = s3.read(randomKey()).orElseThrow()) {
      return drain(whole.content(), b.bytes);
    }
  }

  @Benchmark
  public long s3BareSdk(Buffer b) throws IOException {
    String key = randomKey();
    return drain(rawS3.getObject(r -> r.bucket(bucket).key(key)), b.bytes);
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
