package io.hlskit.demo;

import io.hlskit.core.HlsException;
import io.hlskit.core.store.MediaStore;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.storage.s3.S3MediaStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Where channels live, shared by {@code serve} and {@code convert}: a folder (the default), or a
 * bucket of any S3-compatible store, which is what several instances share to scale out. S3
 * credentials come from the AWS SDK's default chain ({@code AWS_ACCESS_KEY_ID} and {@code
 * AWS_SECRET_ACCESS_KEY}, a profile, a role).
 */
final class StorageOptions {
  @Option(names = "--storage", defaultValue = "${env:HLS_STORAGE:-fs}",
      description = "fs (a folder, --streams) or s3 (a bucket, the --s3-* options); HLS_STORAGE;"
          + " default ${DEFAULT-VALUE}")
  String storage;

  @Option(names = "--streams", defaultValue = "${env:HLS_STREAMS:-streams}",
      description = "folder of channels for --storage fs (HLS_STREAMS; default"
          + " ./${DEFAULT-VALUE}), created when missing")
  Path streams;

  @Option(names = "--s3-bucket", defaultValue = "${env:HLS_S3_BUCKET}",
      description = "the bucket, which must exist (HLS_S3_BUCKET)")
  String bucket;

  @Option(names = "--s3-endpoint", defaultValue = "${env:HLS_S3_ENDPOINT}",
      description = "endpoint of an S3-compatible store, e.g. http://minio:9000"
          + " (HLS_S3_ENDPOINT); unset for AWS S3")
  URI endpoint;

  @Option(names = "--s3-region", defaultValue = "${env:HLS_S3_REGION}",
      description = "region (HLS_S3_REGION); default: the AWS SDK's chain, else us-east-1")
  String region;

  @Option(names = "--s3-path-style", defaultValue = "${env:HLS_S3_PATH_STYLE:-false}",
      arity = "0..1", fallbackValue = "true",
      description = "path-style addressing, which MinIO and most self-hosted stores need"
          + " (HLS_S3_PATH_STYLE; default ${DEFAULT-VALUE})")
  boolean pathStyle;

  @Option(names = "--s3-prefix", defaultValue = "${env:HLS_S3_PREFIX:-}",
      description = "a folder inside the bucket for every channel (HLS_S3_PREFIX)")
  String prefix;

  /** Whether channels live in a bucket. */
  boolean isS3() {
    String s = storage == null ? "fs" : storage.strip().toLowerCase(Locale.ROOT);
    if (s.equals("s3")) {
      return true;
    }
    if (s.equals("fs")) {
      return false;
    }
    throw new HlsException("unknown storage '" + storage + "': use fs or s3");
  }

  /**
   * Where uploads are spooled: beside the channels in a folder store, else in the system's
   * temporary folder.
   */
  Path uploadDirectory() {
    return isS3() ? Path.of(System.getProperty("java.io.tmpdir"), "hlskit-uploads")
        : streams.resolve(".hlskit-uploads");
  }

  /**
   * Where transcodes write before publishing: beside the channels in a folder store (the same
   * file system, so segments are renamed into the channel, not copied), else the system's
   * temporary folder.
   */
  Path workDirectory() {
    return isS3() ? Path.of(System.getProperty("java.io.tmpdir"))
        : streams.resolve(".hlskit-work");
  }

  /** Opens the store to write (for {@code convert}): its channel list is never read. */
  MediaStore openStore() {
    return openStore(Duration.ofSeconds(10), null, null);
  }

  private MediaStore openStore(Duration scanInterval, URI publicUrl, MeterRegistry registry) {
    if (!isS3()) {
      return FileSystemMediaStore.builder(streams).meterRegistry(registry).build();
    }
    if (bucket == null || bucket.isBlank()) {
      throw new HlsException("--storage s3 needs a bucket: set --s3-bucket or HLS_S3_BUCKET");
    }
    S3MediaStore.Builder b = S3MediaStore.builder().bucket(bucket).endpoint(endpoint)
        .region(region).pathStyle(pathStyle).publicBaseUrl(publicUrl)
        .scanInterval(scanInterval).meterRegistry(registry);
    if (prefix != null && !prefix.isBlank()) {
      b.prefix(prefix);
    }
    return b.build();
  }

  /**
   * Opens the store, and says where it is (for {@code serve}).
   *
   * @param scanInterval how often a bucket is listed for other instances' channels
   * @param publicUrl where players fetch a bucket's segments from, null to serve them
   * @param registry where the store's operations are timed; null for nowhere
   */
  Storage open(Duration scanInterval, URI publicUrl, MeterRegistry registry) {
    MediaStore store = openStore(scanInterval, publicUrl, registry);
    return new Storage(store, store instanceof S3MediaStore s3 ? "bucket " + s3.bucket()
        + (s3.prefix().isEmpty() ? "" : "/" + s3.prefix())
        : ((FileSystemMediaStore) store).root().toString());
  }

  /** Where a converted channel's entry playlist is, for the message after {@code convert}. */
  String describe(String channelId) {
    return isS3() ? "s3://" + bucket + "/" + (prefix == null || prefix.isBlank() ? ""
        : prefix.endsWith("/") ? prefix : prefix + "/") + channelId + "/playlist.m3u8"
        : streams.resolve(channelId).resolve("playlist.m3u8").toString();
  }

  /** A store and where it is, for the log. */
  record Storage(MediaStore store, String where) implements AutoCloseable {
    @Override
    public void close() {
      store.close();
    }
  }
}
