package io.hlskit.storage.s3;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.ChannelRegistry;
import io.hlskit.core.internal.OperationTimer;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.core.store.ObjectStream;
import io.hlskit.core.store.StoredObject;
import io.hlskit.storage.s3.internal.Bucket;
import io.hlskit.storage.s3.internal.BucketScan;
import io.hlskit.storage.s3.internal.Drafts;
import io.hlskit.storage.s3.internal.Reads;
import io.hlskit.storage.s3.internal.S3Errors;
import io.hlskit.storage.s3.internal.Uploads;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link MediaStore} in a bucket of AWS S3 or any S3-compatible store (MinIO, Ceph, R2,
 * S3Proxy): the key {@code canal1/720p/seg_00000.ts} is the object {@code
 * <prefix>canal1/720p/seg_00000.ts}. Several server instances may share one bucket; that is how
 * hlskit scales out.
 *
 * <p>Objects carry their {@code Content-Type} and a {@code Cache-Control} fit for a CDN
 * (segments immutable, playlists and metadata revalidated). Objects larger than the part size go
 * up in a multipart upload, so a large file never sits whole in the heap; reads stream, and
 * ranged reads send a ranged GET. A read is pinned to the version {@link #open} saw ({@code
 * If-Match}), so a replaced object fails the read instead of mixing two versions.
 *
 * <p>Drafts are staged under {@code <prefix>.hlskit-drafts/}; publishing copies them into place
 * inside the store (no download), writes {@code channel.json} last, then removes what the earlier
 * version had and this one has not. Until {@code channel.json} is written readers see the earlier
 * version; note that objects of the same name are overwritten while the copy runs. Drafts a crash
 * left behind for more than six hours are removed when a store opens (a bucket lifecycle rule on
 * the drafts prefix does the same job without a running store).
 *
 * <p>Thread-safe. Errors are {@link StorageException}s that say whether the bucket is missing,
 * the credentials are refused, the region is wrong or the endpoint cannot be reached; the SDK
 * retries transient errors with backoff before that.
 */
public final class S3MediaStore implements MediaStore {
  /** The smallest part S3 accepts in a multipart upload (but the last). */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
  private static final Duration ABANDONED_DRAFT_AGE = Duration.ofHours(6);
  /** Timed scans of the bucket between two that revalidate every known channel. */
  private static final int REVALIDATE_EVERY = 6;

  private final S3Client s3;
  private final OperationTimer metrics;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final Optional<URI> publicBaseUrl;
  private final S3Errors errors;
  private final ExecutorService workers;
  private final Bucket objects;
  private final Uploads uploads;
  private final Reads reads;
  private final Drafts drafts;
  private final ChannelRegistry channels;
  private final AtomicInteger closed = new AtomicInteger();

  private S3MediaStore(Builder b, S3Client s3, boolean ownsClient) {
    this.metrics = OperationTimer.forStore(b.meterRegistry, "s3");
    this.s3 = s3;
    this.ownsClient = ownsClient;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.publicBaseUrl = Optional.ofNullable(b.publicBaseUrl);
    this.errors = new S3Errors(b.bucket, b.endpoint == null ? "AWS S3" : b.endpoint.toString());
    this.workers = Executors.newFixedThreadPool(b.parallelism, r -> {
      Thread t = new Thread(r, "hlskit-s3");
      t.setDaemon(true);
      return t;
    });
    this.objects = new Bucket(s3, bucket, prefix, errors, workers);
    this.uploads = new Uploads(objects, b.partSize);
    this.reads = new Reads(objects, b.missCacheTtl);
    this.channels = ChannelRegistry.scanning(new BucketScan(objects, this))
        .name("bucket " + bucket + (prefix.isEmpty() ? "" : "/" + prefix))
        .interval(b.scanInterval).thoroughEvery(REVALIDATE_EVERY)
        // a killed process's draft goes after six idle hours, even if nothing restarts
        .housekeeping(this::removeAbandonedDrafts, Duration.ofHours(1))
        .build();
    this.drafts = new Drafts(objects, uploads, metrics, m -> {
      reads.forgetPrefix(m.id() + "/");
      channels.published(m);
    });
  }

  private void removeAbandonedDrafts() {
    drafts.removeAbandoned(ABANDONED_DRAFT_AGE);
  }

  /** A builder; {@link Builder#bucket} is the one setting that is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The bucket this store keeps its objects in. */
  public String bucket() {
    return bucket;
  }

  /** The prefix of every key in the bucket: {@code ""} or a path ending with {@code /}. */
  public String prefix() {
    return prefix;
  }

  /**
   * The channels in the bucket: those published and deleted through this store at once, those
   * of other instances sharing the bucket within a scan interval ({@link
   * Builder#scanInterval}); plain HLS folders too. The scan starts at the first read: a store
   * opened only to write never lists the bucket.
   */
  @Override
  public ChannelCatalog channels() {
    return channels;
  }

  private String objectKey(String key) {
    return objects.objectKey(key);
  }

  // ---- writes --------------------------------------------------------------------------------

  @Override
  public ObjectInfo write(String key, InputStream content) {
    StorageKeys.requireUserKey(key);
    ObjectInfo written = metrics.time("write", () -> uploads.write(key, objectKey(key), content));
    reads.forget(key); // after: a read meanwhile may have found it missing
    return written;
  }

  @Override
  public ObjectInfo write(String key, Path file) {
    StorageKeys.requireUserKey(key);
    ObjectInfo written = metrics.time("write", () -> uploads.writeFile(key, objectKey(key), file));
    reads.forget(key); // after: a read meanwhile may have found it missing
    return written;
  }

  @Override
  public ObjectInfo write(String key, byte[] content) {
    StorageKeys.requireUserKey(key);
    ObjectInfo written = metrics.time("write", () -> uploads.writeBytes(key, objectKey(key), content));
    reads.forget(key); // after: a read meanwhile may have found it missing
    return written;
  }

  @Override
  public void updateMetadata(ChannelMetadata metadata) {
    write(metadata.id() + "/" + CHANNEL_JSON, metadata.toJsonBytes());
    channels.published(metadata);
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Override
  public Optional<StoredObject> open(String key) {
    StorageKeys.requireUserKey(key);
    return metrics.time("open", () -> reads.open(key));
  }

  /** One GET: the response's headers give the info, its body is the content. */
  @Override
  public Optional<ObjectStream> read(String key) {
    StorageKeys.requireUserKey(key);
    return metrics.time("read", () -> reads.read(key));
  }

  @Override
  public List<ObjectInfo> list(String keyPrefix) {
    StorageKeys.requirePrefix(keyPrefix);
    return metrics.time("list", () -> listKeys(keyPrefix));
  }

  private List<ObjectInfo> listKeys(String keyPrefix) {
    List<ObjectInfo> found = new ArrayList<>();
    for (S3Object o : listObjects(objectKey(keyPrefix), "listing " + quoted(keyPrefix))) {
      String key = o.key().substring(prefix.length());
      if (StorageKeys.isValidKey(key) && !StorageKeys.isReserved(key)) {
        found.add(Uploads.info(key, o.size(), o.eTag(), o.lastModified()));
      }
    }
    return found;
  }

  private List<S3Object> listObjects(String objectPrefix, String action) {
    return objects.listObjects(objectPrefix, action);
  }

  private static String quoted(String keyPrefix) {
    return keyPrefix.isEmpty() ? "every key" : "'" + keyPrefix + "'";
  }

  // ---- deletes -------------------------------------------------------------------------------

  @Override
  public int deletePrefix(String keyPrefix) {
    StorageKeys.requirePrefix(keyPrefix);
    return metrics.time("delete", () -> {
      List<String> keys = new ArrayList<>();
      for (ObjectInfo o : listKeys(keyPrefix)) {
        keys.add(objectKey(o.key()));
      }
      deleteObjects(keys, "deleting " + quoted(keyPrefix));
      return keys.size();
    });
  }

  @Override
  public void delete(Collection<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    List<String> objectKeys = new ArrayList<>(keys.size());
    for (String key : keys) {
      StorageKeys.requireUserKey(key);
      objectKeys.add(objectKey(key));
    }
    metrics.time("delete", () -> {
      deleteObjects(objectKeys, "deleting " + keys.size() + " objects from "
          + quoted(keys.iterator().next()));
      return null;
    });
  }

  private void deleteObjects(List<String> objectKeys, String action) {
    objects.deleteObjects(objectKeys, action);
  }

  // ---- drafts --------------------------------------------------------------------------------

  @Override
  public ChannelDraft draft(String channelId) {
    StorageKeys.requireChannelId(channelId);
    return drafts.draft(channelId);
  }

  // ---- the rest ------------------------------------------------------------------------------

  @Override
  public Optional<URI> publicUrl(String key) {
    StorageKeys.requireUserKey(key);
    return publicBaseUrl.map(base -> {
      StringBuilder path = new StringBuilder(base.toString());
      if (path.charAt(path.length() - 1) != '/') {
        path.append('/');
      }
      for (String segment : (prefix + key).split("/")) {
        path.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
            .append('/');
      }
      path.setLength(path.length() - 1);
      return URI.create(path.toString());
    });
  }

  @Override
  public void checkHealth() {
    metrics.run("health", () -> {
      try {
        s3.headBucket(r -> r.bucket(bucket)
            .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5))));
      } catch (SdkException e) {
        throw errors.translate("checking the bucket", e);
      }
    });
  }

  @Override
  public boolean deleteChannel(String channelId) {
    StorageKeys.requireChannelId(channelId);
    return channels.removing(channelId, () -> MediaStore.super.deleteChannel(channelId));
  }

  @Override
  public void close() {
    if (closed.getAndIncrement() == 0) {
      channels.close();
      workers.shutdownNow();
      if (ownsClient) {
        s3.close();
      }
    }
  }

  @Override
  public String toString() {
    return "S3MediaStore[bucket=" + bucket + ", prefix=" + prefix + "]";
  }

  /** The settings of an {@link S3MediaStore}. */
  public static final class Builder {
    private MeterRegistry meterRegistry;
    private String bucket;
    private URI endpoint;
    private String region;
    private boolean pathStyle;
    private AwsCredentialsProvider credentials;
    private String prefix = "";
    private URI publicBaseUrl;
    private int partSize = DEFAULT_PART_SIZE;
    private int parallelism = 8;
    private S3Client client;
    private boolean checkOnBuild = true;
    private Duration scanInterval = Duration.ofSeconds(10);
    private Duration missCacheTtl = Duration.ofSeconds(2);

    private Builder() {}

    /** The bucket; it must exist (hlskit does not create buckets). Required. */
    public Builder bucket(String bucket) {
      this.bucket = Objects.requireNonNull(bucket, "bucket");
      return this;
    }

    /**
     * The endpoint of an S3-compatible store ({@code http://127.0.0.1:9000} for MinIO); leave
     * unset for AWS S3.
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /**
     * The region; when unset, the SDK's default chain ({@code AWS_REGION}, profile) decides, and
     * {@code us-east-1} when that has none.
     */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Path-style addressing ({@code endpoint/bucket/key}), which most self-hosted stores need. */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /** Where credentials come from; the SDK's default chain when unset. */
    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Fixed credentials, for stores outside AWS. */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      return credentials(StaticCredentialsProvider.create(
          AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }

    /** A folder inside the bucket for every key ({@code "hls/"}); empty by default. */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!prefix.isEmpty()) {
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        StorageKeys.requirePrefix(p);
        this.prefix = p;
      } else {
        this.prefix = "";
      }
      return this;
    }

    /**
     * The public address of the bucket's objects (a CDN, or the bucket's website endpoint): the
     * key is appended to it for {@link S3MediaStore#publicUrl}.
     */
    public Builder publicBaseUrl(URI publicBaseUrl) {
      this.publicBaseUrl = publicBaseUrl;
      return this;
    }

    /** The part size of multipart uploads, and the size above which they are used; 8 MiB. */
    public Builder partSize(int bytes) {
      if (bytes < MIN_PART_SIZE) {
        throw new IllegalArgumentException("the part size must be at least " + MIN_PART_SIZE
            + " bytes (S3's minimum): " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * How often {@link S3MediaStore#channels()} lists the bucket for channels of other instances,
     * once it is first read; 10 s by default. A scan costs one listing per 1,000 channels, and
     * every sixth one a conditional GET per channel (a 304 when it is unchanged).
     */
    public Builder scanInterval(Duration scanInterval) {
      Objects.requireNonNull(scanInterval, "scanInterval");
      if (scanInterval.isNegative() || scanInterval.isZero()) {
        throw new IllegalArgumentException("scanInterval must be positive: " + scanInterval);
      }
      this.scanInterval = scanInterval;
      return this;
    }

    /**
     * How long a key found missing is answered as missing without asking the bucket again; 2 s
     * by default, {@link Duration#ZERO} to ask every time. Writes and publishes through this
     * store are seen at once; another instance's, once the interval is over.
     */
    public Builder missCacheTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative()) {
        throw new IllegalArgumentException("missCacheTtl must not be negative: " + ttl);
      }
      this.missCacheTtl = ttl;
      return this;
    }

    /** How many copies or deletes run at once when a channel is published; 8. */
    public Builder parallelism(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1: " + threads);
      }
      this.parallelism = threads;
      return this;
    }

    /**
     * A client to use instead of one built from these settings; the store does not close it.
     * It must not send flexible checksums that the store refuses (see {@link #build}).
     */
    public Builder client(S3Client client) {
      this.client = client;
      return this;
    }

    /** Whether {@link #build} checks that the bucket can be reached; on by default. */
    public Builder checkOnBuild(boolean check) {
      this.checkOnBuild = check;
      return this;
    }

    /**
     * Times the store's operations into {@code registry} as {@code
     * hlskit_storage_seconds{store="s3", op, result}}. Micrometer is an optional dependency:
     * needed on the classpath only by applications that call this.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * The store. The client it builds sends request checksums only when an operation requires
     * one, which every S3-compatible store accepts.
     *
     * @throws StorageException when the bucket is missing, the credentials are refused or the
     *     endpoint cannot be reached, saying which
     */
    public S3MediaStore build() {
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalStateException("an S3MediaStore needs a bucket(name)");
      }
      boolean owns = client == null;
      S3Client s3 = owns ? newClient() : client;
      S3MediaStore store = new S3MediaStore(this, s3, owns);
      try {
        if (checkOnBuild) {
          store.checkHealth();
          store.removeAbandonedDrafts();
        }
        return store;
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
    }

    private S3Client newClient() {
      var b = S3Client.builder()
          .region(Region.of(region != null ? region : defaultRegion()))
          .forcePathStyle(pathStyle)
          .credentialsProvider(credentials != null ? credentials
              : DefaultCredentialsProvider.builder().build())
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          // batch deletes need a checksum: Content-MD5 is the one every compatible store knows
          .addPlugin(LegacyMd5Plugin.create())
          .httpClientBuilder(Apache5HttpClient.builder()
              .maxConnections(Math.max(50, parallelism * 4))
              .connectionTimeout(Duration.ofSeconds(3))
              .socketTimeout(Duration.ofSeconds(30)));
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      return b.build();
    }

    private static String defaultRegion() {
      try {
        return DefaultAwsRegionProviderChain.builder().build().getRegion().id();
      } catch (SdkException e) {
        return "us-east-1";
      }
    }
  }
}
