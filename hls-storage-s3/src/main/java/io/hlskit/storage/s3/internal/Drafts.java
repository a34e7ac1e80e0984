package io.hlskit.storage.s3.internal;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.internal.OperationTimer;
import io.hlskit.core.store.AbstractChannelDraft;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectInfo;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Channels being written into a bucket: staged under {@code <prefix>.hlskit-drafts/}, then
 * published by copying them into place inside the store (no download), the entry playlist after
 * the rest and {@code channel.json} last, and removing what the earlier version had and this one
 * has not. Thread-safe; each draft is used by one producer.
 */
public final class Drafts {
  private static final Logger LOG = LoggerFactory.getLogger(Drafts.class);

  /** Where drafts are staged, under the store's prefix. */
  public static final String FOLDER = ".hlskit-drafts/";

  private final Bucket bucket;
  private final Uploads uploads;
  private final OperationTimer metrics;
  private final String stagingPrefix;
  private final Consumer<ChannelMetadata> published;

  /**
   * Drafts in {@code bucket}, written through {@code uploads}, their writes and publishing timed
   * into {@code metrics}.
   *
   * @param published told of each channel once it is published, on the publishing thread
   */
  public Drafts(Bucket bucket, Uploads uploads, OperationTimer metrics,
      Consumer<ChannelMetadata> published) {
    this.bucket = bucket;
    this.uploads = uploads;
    this.metrics = metrics;
    this.stagingPrefix = bucket.objectKey(FOLDER);
    this.published = published;
  }

  /** A new draft of {@code channelId}. */
  public ChannelDraft draft(String channelId) {
    StorageKeys.requireChannelId(channelId);
    return new Draft(channelId, stagingPrefix + channelId + "-" + UUID.randomUUID() + "/");
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
      ObjectInfo info = metrics.time("write",
          () -> uploads.write(key, staging + relativeKey, content));
      written.put(relativeKey, info);
      return info;
    }

    @Override
    public ObjectInfo write(String relativeKey, Path file) {
      String key = check(relativeKey);
      ObjectInfo info = metrics.time("write",
          () -> uploads.writeFile(key, staging + relativeKey, file));
      written.put(relativeKey, info);
      return info;
    }

    @Override
    public ObjectInfo write(String relativeKey, byte[] content) {
      String key = check(relativeKey);
      ObjectInfo info = metrics.time("write",
          () -> uploads.writeBytes(key, staging + relativeKey, content));
      written.put(relativeKey, info);
      return info;
    }

    @Override
    public synchronized void publish(ChannelMetadata metadata) {
      requirePublishable(metadata);
      metrics.run("publish", () -> publishDraft(metadata));
    }

    private void publishDraft(ChannelMetadata metadata) {
      String channelId = channelId();
      String target = bucket.objectKey(channelId + "/");
      Set<String> before = new HashSet<>();
      for (S3Object o : bucket.listObjects(target, "publishing " + channelId)) {
        before.add(o.key());
      }
      Set<String> copied = ConcurrentHashMap.newKeySet();
      try {
        copyAll(target, copied);
        byte[] json = metadata.toJsonBytes();
        uploads.put(channelId + "/" + MediaStore.CHANNEL_JSON, target + MediaStore.CHANNEL_JSON,
            RequestBody.fromBytes(json), json.length);
      } catch (RuntimeException e) {
        // a new channel leaves nothing behind; a replaced one keeps its channel.json
        copied.removeAll(before);
        bucket.deleteQuietly(new ArrayList<>(copied));
        throw e;
      }
      finish();
      published.accept(metadata);
      Set<String> stale = new HashSet<>(before);
      stale.removeAll(copied);
      stale.remove(target + MediaStore.CHANNEL_JSON);
      bucket.deleteQuietly(new ArrayList<>(stale));
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
          copies.add(bucket.workers().submit(() -> copy(relativeKey, target, copied)));
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
        bucket.client().copyObject(c -> c.sourceBucket(bucket.name())
            .sourceKey(staging + relativeKey).destinationBucket(bucket.name()).destinationKey(to));
      } catch (SdkException e) {
        throw bucket.errors().translate("publishing " + channelId() + "/" + relativeKey, e);
      }
      copied.add(to);
    }

    private void discard() {
      try {
        List<String> keys = new ArrayList<>();
        for (S3Object o : bucket.listObjects(staging, "discarding the draft of " + channelId())) {
          keys.add(o.key());
        }
        bucket.deleteObjects(keys, "discarding the draft of " + channelId());
      } catch (StorageException e) {
        LOG.warn("could not remove the draft {} (the next store that opens removes it once it is"
            + " old enough): {}", staging, e.getMessage());
      }
    }

    @Override
    public synchronized void close() {
      if (finish()) {
        discard();
      }
    }
  }

  /**
   * Removes the drafts a crash left: those nothing was written into for {@code age}. Only those:
   * other instances may be publishing.
   */
  public void removeAbandoned(Duration age) {
    Instant cutoff = Instant.now().minus(age);
    Map<String, Instant> newest = new HashMap<>();
    Map<String, List<String>> keys = new HashMap<>();
    for (S3Object o : bucket.listObjects(stagingPrefix, "looking for abandoned drafts")) {
      String rest = o.key().substring(stagingPrefix.length());
      String draft = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
      newest.merge(draft, o.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
      keys.computeIfAbsent(draft, d -> new ArrayList<>()).add(o.key());
    }
    for (Map.Entry<String, Instant> e : newest.entrySet()) {
      if (e.getValue().isBefore(cutoff)) {
        LOG.info("removing the abandoned draft {}{}", stagingPrefix, e.getKey());
        bucket.deleteQuietly(keys.get(e.getKey()));
      }
    }
  }
}
