package io.hlskit.storage.s3;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.ChannelRegistry;
import io.hlskit.core.store.AbstractChannelDraft;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.MediaTypes;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.core.store.ObjectStream;
import io.hlskit.core.store.StoredObject;
import io.hlskit.storage.s3.internal.AbortingInputStream;
import io.hlskit.storage.s3.internal.Bucket;
import io.hlskit.storage.s3.internal.BucketScan;
import io.hlskit.storage.s3.internal.S3Errors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

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
  private static final Logger LOG = LoggerFactory.getLogger(S3MediaStore.class);

  /** Where drafts are staged, under the store's prefix. */
  static final String DRAFTS = ".hlskit-drafts/";

  /** The smallest part S3 accepts in a multipart upload (but the last). */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
  private static final Duration ABANDONED_DRAFT_AGE = Duration.ofHours(6);
  /** Timed scans of the bucket between two that revalidate every known channel. */
  private static final int REVALIDATE_EVERY = 6;

  private final S3Client s3;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final int partSize;
  private final Optional<URI> publicBaseUrl;
  private final S3Errors errors;
  private final ExecutorService workers;
  private final Bucket objects;
  private final ChannelRegistry channels;
  private final AtomicInteger closed = new AtomicInteger();

  private S3MediaStore(Builder b, S3Client s3, boolean ownsClient) {
    this.s3 = s3;
    this.ownsClient = ownsClient;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.partSize = b.partSize;
    this.publicBaseUrl = Optional.ofNullable(b.publicBaseUrl);
    this.errors = new S3Errors(b.bucket, b.endpoint == null ? "AWS S3" : b.endpoint.toString());
    this.workers = Executors.newFixedThreadPool(b.parallelism, r -> {
      Thread t = new Thread(r, "hlskit-s3");
      t.setDaemon(true);
      return t;
    });
    this.objects = new Bucket(s3, bucket, prefix, errors, workers);
    this.channels = ChannelRegistry.scanning(new BucketScan(objects, this))
        .name("bucket " + bucket + (prefix.isEmpty() ? "" : "/" + prefix))
        .interval(b.scanInterval).thoroughEvery(REVALIDATE_EVERY).build();
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
    return upload(key, objectKey(key), content);
  }

  @Override
  public ObjectInfo write(String key, Path file) {
    StorageKeys.requireUserKey(key);
    return uploadFile(key, objectKey(key), file);
  }

  @Override
  public ObjectInfo write(String key, byte[] content) {
    StorageKeys.requireUserKey(key);
    return uploadBytes(key, objectKey(key), content);
  }

  private ObjectInfo uploadBytes(String key, String objectKey, byte[] content) {
    return content.length <= partSize
        ? put(key, objectKey, body(content, content.length), content.length)
        : upload(key, objectKey, new ByteArrayInputStream(content));
  }

  private ObjectInfo uploadFile(String key, String objectKey, Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + " to store it as " + key + ": " + e, e);
    }
    if (size <= partSize) {
      return put(key, objectKey, RequestBody.fromFile(file), size);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return upload(key, objectKey, in);
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + " to store it as " + key + ": " + e, e);
    }
  }

  /**
   * Uploads a stream of unknown length: one PUT when it fits a part, else a multipart upload.
   * One part-sized buffer at most is all the heap it takes, whatever the length; small objects
   * (playlists) take a small one.
   */
  private ObjectInfo upload(String key, String objectKey, InputStream content) {
    byte[] buffer = new byte[Math.min(partSize, 64 * 1024)];
    int n = 0;
    while (true) {
      n += fill(key, content, buffer, n);
      if (n < buffer.length) {
        return put(key, objectKey, body(buffer, n), n); // the stream ended
      }
      if (buffer.length == partSize) {
        return multipart(key, objectKey, buffer, content);
      }
      buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(partSize, 4L * buffer.length));
    }
  }

  /**
   * Reads into {@code buffer} from {@code offset} until it is full or the stream ends; returns
   * the bytes read.
   */
  private static int fill(String key, InputStream content, byte[] buffer, int offset) {
    try {
      int filled = offset;
      for (int r; filled < buffer.length
          && (r = content.read(buffer, filled, buffer.length - filled)) >= 0; ) {
        filled += r;
      }
      return filled - offset;
    } catch (IOException e) {
      throw new StorageException("could not read the content for " + key + ": " + e, e);
    }
  }

  private static RequestBody body(byte[] buffer, int length) {
    return RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length);
  }

  private ObjectInfo put(String key, String objectKey, RequestBody body, long length) {
    try {
      String etag = s3.putObject(r -> r.bucket(bucket).key(objectKey)
          .contentType(MediaTypes.forKey(key)).cacheControl(MediaTypes.cacheControl(key)),
          body).eTag();
      return info(key, length, etag, Instant.now());
    } catch (SdkException e) {
      throw errors.translate("writing " + key, e);
    }
  }

  /** Uploads {@code buffer} (full) as part 1, then the rest of {@code content} part by part. */
  private ObjectInfo multipart(String key, String objectKey, byte[] buffer, InputStream content) {
    String uploadId;
    try {
      uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(objectKey)
          .contentType(MediaTypes.forKey(key)).cacheControl(MediaTypes.cacheControl(key)))
          .uploadId();
    } catch (SdkException e) {
      throw errors.translate("starting the multipart upload of " + key, e);
    }
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long length = 0;
      for (int n = buffer.length; n > 0; n = n < partSize ? 0 : fill(key, content, buffer, 0)) {
        int number = parts.size() + 1;
        int size = n;
        UploadPartResponse r = s3.uploadPart(p -> p.bucket(bucket).key(objectKey)
            .uploadId(uploadId).partNumber(number).contentLength((long) size), body(buffer, n));
        parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
        length += n;
      }
      String etag = s3.completeMultipartUpload(r -> r.bucket(bucket).key(objectKey)
          .uploadId(uploadId).multipartUpload(u -> u.parts(parts))).eTag();
      completed = true;
      return info(key, length, etag, Instant.now());
    } catch (SdkException e) {
      throw errors.translate("writing " + key + " in parts", e);
    } finally {
      if (!completed) {
        abortQuietly(objectKey, uploadId);
      }
    }
  }

  private void abortQuietly(String objectKey, String uploadId) {
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(objectKey).uploadId(uploadId));
    } catch (SdkException e) {
      LOG.warn("could not abort the multipart upload of {} (a bucket lifecycle rule for"
          + " incomplete uploads cleans it up): {}", objectKey, e.getMessage());
    }
  }

  private static ObjectInfo info(String key, long length, String etag, Instant modified) {
    return new ObjectInfo(key, length, Bucket.unquote(etag), modified, MediaTypes.forKey(key));
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Override
  public Optional<StoredObject> open(String key) {
    StorageKeys.requireUserKey(key);
    String objectKey = objectKey(key);
    HeadObjectResponse head;
    try {
      head = s3.headObject(r -> r.bucket(bucket).key(objectKey));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw errors.translate("reading " + key, e);
    } catch (SdkException e) {
      throw errors.translate("reading " + key, e);
    }
    ObjectInfo info = info(key, head.contentLength(), head.eTag(), head.lastModified());
    return Optional.of(new Remote(info, objectKey));
  }

  /** One GET: the response's headers give the info, its body is the content. */
  @Override
  public Optional<ObjectStream> read(String key) {
    StorageKeys.requireUserKey(key);
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(r -> r.bucket(bucket).key(objectKey(key)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw errors.translate("reading " + key, e);
    } catch (SdkException e) {
      throw errors.translate("reading " + key, e);
    }
    GetObjectResponse r = in.response();
    ObjectInfo info = info(key, r.contentLength(), r.eTag(), r.lastModified());
    AbortingInputStream body = new AbortingInputStream(in, info.length());
    return Optional.of(new ObjectStream() {
      @Override
      public ObjectInfo info() {
        return info;
      }

      @Override
      public InputStream content() {
        return body;
      }

      @Override
      public void close() {
        try {
          body.close();
        } catch (IOException e) {
          LOG.debug("closing {} failed: {}", key, e.toString());
        }
      }
    });
  }

  /** An object in the bucket; every read is a GET pinned to the ETag seen when opened. */
  private final class Remote implements StoredObject {
    private final ObjectInfo info;
    private final String objectKey;

    Remote(ObjectInfo info, String objectKey) {
      this.info = info;
      this.objectKey = objectKey;
    }

    @Override
    public ObjectInfo info() {
      return info;
    }

    @Override
    public InputStream stream() {
      return get(null, info.length());
    }

    @Override
    public InputStream stream(long offset, long length) {
      if (offset < 0 || length < 0 || offset + length > info.length()) {
        throw new IllegalArgumentException("range " + offset + "+" + length + " is outside "
            + info.key() + " (" + info.length() + " bytes)");
      }
      if (length == 0) {
        return InputStream.nullInputStream();
      }
      return get("bytes=" + offset + "-" + (offset + length - 1), length);
    }

    private InputStream get(String range, long length) {
      GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(objectKey)
          .ifMatch('"' + info.etag() + '"');
      if (range != null) {
        request.range(range);
      }
      try {
        ResponseInputStream<GetObjectResponse> in = s3.getObject(request.build());
        return new AbortingInputStream(in, length);
      } catch (S3Exception e) {
        if (e.statusCode() == 412 || e.statusCode() == 404) {
          throw new StorageException(info.key() + " changed or was removed since it was opened;"
              + " open it again", e);
        }
        throw errors.translate("reading " + info.key(), e);
      } catch (SdkException e) {
        throw errors.translate("reading " + info.key(), e);
      }
    }
  }

  @Override
  public List<ObjectInfo> list(String keyPrefix) {
    StorageKeys.requirePrefix(keyPrefix);
    List<ObjectInfo> found = new ArrayList<>();
    for (S3Object o : listObjects(objectKey(keyPrefix), "listing " + quoted(keyPrefix))) {
      String key = o.key().substring(prefix.length());
      if (StorageKeys.isValidKey(key) && !StorageKeys.isReserved(key)) {
        found.add(info(key, o.size(), o.eTag(), o.lastModified()));
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
    List<String> keys = new ArrayList<>();
    for (ObjectInfo o : list(keyPrefix)) {
      keys.add(objectKey(o.key()));
    }
    deleteObjects(keys, "deleting " + quoted(keyPrefix));
    return keys.size();
  }

  private void deleteObjects(List<String> objectKeys, String action) {
    objects.deleteObjects(objectKeys, action);
  }

  // ---- drafts --------------------------------------------------------------------------------

  @Override
  public ChannelDraft draft(String channelId) {
    StorageKeys.requireChannelId(channelId);
    return new Draft(channelId, prefix + DRAFTS + channelId + "-" + UUID.randomUUID() + "/");
  }

  private final class Draft extends AbstractChannelDraft {
    private final String staging;
    private final Map<String, ObjectInfo> written = new ConcurrentHashMap<>();

    Draft(String channelId, String staging) {
      super(channelId);
      this.staging = staging;
    }

    private String check(String relativeKey) {
      return StorageKeys.requireUserKey(keyOf(relativeKey));
    }

    @Override
    public ObjectInfo write(String relativeKey, InputStream content) {
      String key = check(relativeKey);
      ObjectInfo info = upload(key, staging + relativeKey, content);
      written.put(relativeKey, info);
      return info;
    }

    @Override
    public ObjectInfo write(String relativeKey, Path file) {
      String key = check(relativeKey);
      ObjectInfo info = uploadFile(key, staging + relativeKey, file);
      written.put(relativeKey, info);
      return info;
    }

    @Override
    public ObjectInfo write(String relativeKey, byte[] content) {
      String key = check(relativeKey);
      ObjectInfo info = uploadBytes(key, staging + relativeKey, content);
      written.put(relativeKey, info);
      return info;
    }

    @Override
    public synchronized void publish(ChannelMetadata metadata) {
      requirePublishable(metadata);
      String channelId = channelId();
      String target = prefix + channelId + "/";
      Set<String> before = new HashSet<>();
      for (S3Object o : listObjects(target, "publishing " + channelId)) {
        before.add(o.key());
      }
      Set<String> copied = ConcurrentHashMap.newKeySet();
      try {
        copyAll(target, copied);
        byte[] json = metadata.toJsonBytes();
        put(channelId + "/" + CHANNEL_JSON, target + CHANNEL_JSON, RequestBody.fromBytes(json),
            json.length);
      } catch (RuntimeException e) {
        // a new channel leaves nothing behind; a replaced one keeps its channel.json
        copied.removeAll(before);
        objects.deleteQuietly(new ArrayList<>(copied));
        throw e;
      }
      finish();
      channels.published(metadata);
      Set<String> stale = new HashSet<>(before);
      stale.removeAll(copied);
      stale.remove(target + CHANNEL_JSON);
      objects.deleteQuietly(new ArrayList<>(stale));
      discard();
    }

    /**
     * Copies the draft into place, the entry playlist after everything else: until it lands, no
     * scan can take a new channel's folder for a plain HLS folder whose segments are missing.
     */
    private void copyAll(String target, Set<String> copied) {
      List<Future<?>> copies = new ArrayList<>();
      for (String relativeKey : written.keySet()) {
        if (!relativeKey.equals(ChannelMetadata.ENTRY_PLAYLIST)) {
          copies.add(workers.submit(() -> copy(relativeKey, target, copied)));
        }
      }
      Bucket.awaitAll(copies, "publishing " + channelId());
      if (written.containsKey(ChannelMetadata.ENTRY_PLAYLIST)) {
        copy(ChannelMetadata.ENTRY_PLAYLIST, target, copied);
      }
    }

    private void copy(String relativeKey, String target, Set<String> copied) {
      String to = target + relativeKey;
      try {
        s3.copyObject(c -> c.sourceBucket(bucket).sourceKey(staging + relativeKey)
            .destinationBucket(bucket).destinationKey(to));
      } catch (SdkException e) {
        throw errors.translate("publishing " + channelId() + "/" + relativeKey, e);
      }
      copied.add(to);
    }

    private void discard() {
      try {
        List<String> keys = new ArrayList<>();
        for (S3Object o : listObjects(staging, "discarding the draft of " + channelId())) {
          keys.add(o.key());
        }
        deleteObjects(keys, "discarding the draft of " + channelId());
      } catch (StorageException e) {
        LOG.warn("could not remove the draft {} (it is removed after {} by the next store that"
            + " opens): {}", staging, ABANDONED_DRAFT_AGE, e.getMessage());
      }
    }

    @Override
    public synchronized void close() {
      if (finish()) {
        discard();
      }
    }
  }

  private void removeAbandonedDrafts() {
    Instant cutoff = Instant.now().minus(ABANDONED_DRAFT_AGE);
    Map<String, Instant> newest = new java.util.HashMap<>();
    Map<String, List<String>> keys = new java.util.HashMap<>();
    for (S3Object o : listObjects(prefix + DRAFTS, "looking for abandoned drafts")) {
      String rest = o.key().substring(prefix.length() + DRAFTS.length());
      String draft = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
      newest.merge(draft, o.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
      keys.computeIfAbsent(draft, d -> new ArrayList<>()).add(o.key());
    }
    for (Map.Entry<String, Instant> e : newest.entrySet()) {
      if (e.getValue().isBefore(cutoff)) {
        LOG.info("removing the abandoned draft {}{}{}", prefix, DRAFTS, e.getKey());
        objects.deleteQuietly(keys.get(e.getKey()));
      }
    }
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
    try {
      s3.headBucket(r -> r.bucket(bucket)
          .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5))));
    } catch (SdkException e) {
      throw errors.translate("checking the bucket", e);
    }
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
