package io.hlskit.storage.s3.internal;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.ChannelRegistry;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.PlainHlsFolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Finds the channels in a bucket, for changes made outside the store (other instances sharing
 * the bucket): one delimited listing per 1,000 channels finds the folders; the {@code
 * channel.json} of folders not seen before is read (in parallel), and on a thorough scan every
 * known one is revalidated with a conditional GET ({@code If-None-Match}: an unchanged channel
 * costs a 304 and nothing is parsed again). A folder without {@code channel.json} whose entry
 * playlist exists is a plain HLS folder ({@link PlainHlsFolder}), derived again on thorough scans.
 * Scans run one at a time.
 */
public final class BucketScan implements ChannelRegistry.Scan {
  private static final Logger LOG = LoggerFactory.getLogger(BucketScan.class);

  private final Bucket bucket;
  private final MediaStore store;
  /** What each listed channel was read from: the channel.json's ETag, null for a plain folder. */
  private final Map<String, Known> known = new HashMap<>();

  private record Known(String etag, ChannelMetadata metadata) {}

  /** A scan of {@code bucket}, reading plain HLS folders through {@code store}. */
  public BucketScan(Bucket bucket, MediaStore store) {
    this.bucket = bucket;
    this.store = store;
  }

  @Override
  public synchronized Map<String, ChannelMetadata> scan(boolean thorough) {
    List<String> ids = bucket.channelFolders();
    List<Future<Optional<Known>>> reads = new ArrayList<>();
    for (String id : ids) {
      Known before = known.get(id);
      reads.add(thorough || before == null
          ? bucket.workers().submit(() -> read(id, before)) : null);
    }
    Map<String, Known> now = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (reads.get(i) == null) {
        now.put(id, known.get(id)); // known, and not due for revalidation
        continue;
      }
      try {
        reads.get(i).get().ifPresent(k -> now.put(id, k));
      } catch (ExecutionException e) {
        LOG.warn("channel {} is not listed: {}", id, e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HlsException("the scan of bucket '" + bucket.name() + "' was interrupted", e);
      }
    }
    known.clear();
    known.putAll(now);
    Map<String, ChannelMetadata> found = new HashMap<>();
    now.forEach((id, k) -> found.put(id, k.metadata()));
    return found;
  }

  /**
   * Reads a channel's {@code channel.json} unless its ETag is the one seen last time, or derives
   * a plain HLS folder; empty when the folder is no channel (being deleted, or something else's).
   */
  private Optional<Known> read(String id, Known before) {
    String key = id + "/" + MediaStore.CHANNEL_JSON;
    String etag = before == null ? null : before.etag();
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = bucket.client().getObjectAsBytes(r -> r.bucket(bucket.name())
          .key(bucket.objectKey(key)).ifNoneMatch(etag == null ? null : '"' + etag + '"'));
    } catch (S3Exception e) {
      if (e.statusCode() == 304) {
        return Optional.of(before);
      }
      if (e.statusCode() == 404) {
        return PlainHlsFolder.derive(store, id).map(m -> new Known(null, m));
      }
      throw bucket.errors().translate("reading " + key, e);
    } catch (SdkException e) {
      throw bucket.errors().translate("reading " + key, e);
    }
    ChannelMetadata metadata = ChannelMetadata.fromJson(bytes.asUtf8String());
    if (!metadata.id().equals(id)) {
      throw new HlsException("its channel.json names channel '" + metadata.id() + "'");
    }
    return Optional.of(new Known(Bucket.unquote(bytes.response().eTag()), metadata));
  }
}
