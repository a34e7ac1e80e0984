package io.hlskit.storage.s3;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.PollingChannelCatalog;
import io.hlskit.core.store.MediaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The channels in an {@link S3MediaStore}'s bucket. Every interval (10 s by default) it lists
 * the bucket's top-level folders (one request per 1,000 channels) and reads the {@code
 * channel.json} of folders it has not seen, so new and removed channels cost one listing. Every
 * sixth time, and on {@link #refresh()}, it also revalidates every known channel with a
 * conditional GET ({@code If-None-Match}: an unchanged channel costs a 304, nothing is parsed
 * again), which catches a channel republished with new metadata. Several instances sharing a
 * bucket see what the others publish within the interval; a notice over Redis can call {@link
 * #refresh()} sooner.
 *
 * <p>A folder without {@code channel.json} is not a channel (it is being deleted, or was left by
 * something else). Thread-safe. Listeners are called on the thread that refreshes, in order.
 */
public final class S3ChannelCatalog extends PollingChannelCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(S3ChannelCatalog.class);

  private final S3MediaStore store;
  private final Map<String, String> etags = new ConcurrentHashMap<>();
  private final Object refreshLock = new Object();

  /** Scheduled refreshes between two that revalidate every known channel. */
  private static final int REVALIDATE_EVERY = 6;

  private S3ChannelCatalog(S3MediaStore store, Duration interval) {
    super(store.toString(), "hlskit-s3-catalog", interval);
    this.store = Objects.requireNonNull(store, "store");
    start();
  }

  /** A catalog of {@code store}'s bucket, refreshed every 10 seconds. */
  public static S3ChannelCatalog of(S3MediaStore store) {
    return of(store, Duration.ofSeconds(10));
  }

  /**
   * A catalog of {@code store}'s bucket, refreshed every {@code interval}: each refresh costs one
   * listing per 1,000 channels and one conditional GET per channel.
   */
  public static S3ChannelCatalog of(S3MediaStore store, Duration interval) {
    return new S3ChannelCatalog(store, interval);
  }

  /**
   * Lists the bucket now.
   *
   * @throws io.hlskit.core.StorageException when the bucket cannot be listed; the channels known
   *     before stay listed
   */
  @Override
  public void refresh() {
    refresh(true);
  }

  /**
   * Lists the bucket's folders now and reads only the channels not seen before: new and removed
   * channels at the cost of one listing per 1,000 channels, what the catalog does between two
   * revalidations. A channel republished with new metadata is seen at the next {@link
   * #refresh()}.
   *
   * @throws io.hlskit.core.StorageException when the bucket cannot be listed
   */
  public void refreshNewAndRemoved() {
    refresh(false);
  }

  private void refresh(boolean revalidate) {
    synchronized (refreshLock) {
      List<String> ids = store.channelFolders();
      List<Future<Optional<ChannelMetadata>>> reads = new ArrayList<>();
      for (String id : ids) {
        reads.add(revalidate || !etags.containsKey(id) ? store.workers().submit(() -> read(id))
            : null);
      }
      Set<String> present = new HashSet<>();
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        if (reads.get(i) == null) {
          present.add(id); // known, and not due for revalidation
          continue;
        }
        Optional<ChannelMetadata> changed;
        try {
          changed = reads.get(i).get();
        } catch (ExecutionException e) {
          LOG.warn("channel {} is not listed: {}", id, e.getCause().getMessage());
          etags.remove(id);
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (etags.containsKey(id)) {
          present.add(id);
          changed.ifPresent(registry::put);
        }
      }
      for (String id : registry.ids()) {
        if (!present.contains(id)) {
          registry.remove(id);
        }
      }
      etags.keySet().retainAll(present);
    }
  }

  /**
   * Fetches a channel's {@code channel.json} unless its ETag is the one seen last time: the
   * metadata when new or changed, empty when unchanged or missing (then the ETag is forgotten).
   */
  private Optional<ChannelMetadata> read(String id) {
    String key = store.prefix() + id + "/" + MediaStore.CHANNEL_JSON;
    String known = etags.get(id);
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = store.client().getObjectAsBytes(r -> r.bucket(store.bucket()).key(key)
          .ifNoneMatch(known == null ? null : '"' + known + '"'));
    } catch (S3Exception e) {
      if (e.statusCode() == 304) {
        return Optional.empty();
      }
      etags.remove(id);
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw store.errors().translate("reading " + id + "/" + MediaStore.CHANNEL_JSON, e);
    } catch (SdkException e) {
      throw store.errors().translate("reading " + id + "/" + MediaStore.CHANNEL_JSON, e);
    }
    ChannelMetadata metadata;
    try {
      metadata = ChannelMetadata.fromJson(bytes.asUtf8String());
    } catch (HlsException e) {
      etags.remove(id);
      throw e;
    }
    if (!metadata.id().equals(id)) {
      etags.remove(id);
      throw new HlsException("its channel.json names channel '" + metadata.id() + "'");
    }
    etags.put(id, S3MediaStore.unquote(bytes.response().eTag()));
    return Optional.of(metadata);
  }

  @Override
  protected void look(boolean thorough) {
    refresh(thorough);
  }

  @Override
  protected int thoroughEvery() {
    return REVALIDATE_EVERY;
  }
}
