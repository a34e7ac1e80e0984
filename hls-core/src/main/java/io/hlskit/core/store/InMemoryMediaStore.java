package io.hlskit.core.store;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.ChannelRegistry;
import io.hlskit.core.internal.OperationTimer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MediaStore} in the heap: for tests, examples and small embeddings where nothing needs
 * to outlive the process. Objects are byte arrays; keep them small. Every change goes through
 * this object, so its channel list is always current and never scans.
 *
 * <p>Thread-safe.
 */
public final class InMemoryMediaStore implements MediaStore {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryMediaStore.class);

  private final NavigableMap<String, Entry> objects = new TreeMap<>();
  private final ChannelRegistry registry = ChannelRegistry.withoutScan();
  private final Clock clock;
  private final OperationTimer metrics;

  private record Entry(byte[] bytes, ObjectInfo info) {}

  /** An empty store. */
  public InMemoryMediaStore() {
    this(Clock.systemUTC(), OperationTimer.NONE);
  }

  InMemoryMediaStore(Clock clock, OperationTimer metrics) {
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * An empty store that times its operations into {@code registry}, as {@code
   * hlskit_storage_seconds{store="memory", op, result}}.
   */
  public static InMemoryMediaStore withMetrics(MeterRegistry registry) {
    return new InMemoryMediaStore(Clock.systemUTC(), OperationTimer.forStore(registry, "memory"));
  }

  @Override
  public ObjectInfo write(String key, InputStream content) {
    StorageKeys.requireKey(key);
    return metrics.time("write", () -> put(key, readAll(content, key)));
  }

  @Override
  public ObjectInfo write(String key, Path file) {
    StorageKeys.requireKey(key);
    return metrics.time("write", () -> put(key, readAll(file, key)));
  }

  private static byte[] readAll(Path file, String key) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StorageException("could not read " + file + " to store it at " + key, e);
    }
  }

  private ObjectInfo put(String key, byte[] bytes) {
    ObjectInfo info = info(key, bytes);
    synchronized (objects) {
      objects.put(key, new Entry(bytes, info));
    }
    listingMayChange(key).ifPresent(this::relist);
    return info;
  }

  private ObjectInfo info(String key, byte[] bytes) {
    return new ObjectInfo(key, bytes.length, md5(bytes), clock.instant(),
        MediaTypes.forKey(key));
  }

  @Override
  public Optional<StoredObject> open(String key) {
    StorageKeys.requireKey(key);
    return metrics.time("open", () -> openEntry(key));
  }

  private Optional<StoredObject> openEntry(String key) {
    Entry e;
    synchronized (objects) {
      e = objects.get(key);
    }
    if (e == null) {
      return Optional.empty();
    }
    return Optional.of(new StoredObject() {
      @Override
      public ObjectInfo info() {
        return e.info();
      }

      @Override
      public InputStream stream() {
        return new ByteArrayInputStream(e.bytes());
      }

      @Override
      public InputStream stream(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > e.bytes().length) {
          throw new StorageException("range " + offset + "+" + length + " is outside "
              + e.info().key() + " (" + e.bytes().length + " bytes)");
        }
        return new ByteArrayInputStream(e.bytes(), (int) offset, (int) length);
      }
    });
  }

  @Override
  public List<ObjectInfo> list(String prefix) {
    StorageKeys.requirePrefix(prefix);
    return metrics.time("list", () -> listEntries(prefix));
  }

  private List<ObjectInfo> listEntries(String prefix) {
    List<ObjectInfo> result = new ArrayList<>();
    synchronized (objects) {
      for (Entry e : objects.tailMap(prefix, true).values()) {
        if (!e.info().key().startsWith(prefix)) {
          break;
        }
        result.add(e.info());
      }
    }
    return result;
  }

  @Override
  public int deletePrefix(String prefix) {
    StorageKeys.requirePrefix(prefix);
    return metrics.time("delete", () -> deleteEntries(prefix));
  }

  private int deleteEntries(String prefix) {
    List<String> channelsTouched = new ArrayList<>();
    int count = 0;
    synchronized (objects) {
      var it = objects.tailMap(prefix, true).keySet().iterator();
      while (it.hasNext()) {
        String key = it.next();
        if (!key.startsWith(prefix)) {
          break;
        }
        it.remove();
        count++;
        listingMayChange(key).ifPresent(channelsTouched::add);
      }
    }
    channelsTouched.stream().distinct().forEach(this::relist);
    return count;
  }

  @Override
  public ChannelDraft draft(String channelId) {
    StorageKeys.requireChannelId(channelId);
    return new Draft(channelId);
  }

  private final class Draft extends AbstractChannelDraft {
    private final Map<String, byte[]> staged = new ConcurrentHashMap<>();

    Draft(String channelId) {
      super(channelId);
    }

    @Override
    public ObjectInfo write(String relativeKey, InputStream content) {
      String key = keyOf(relativeKey);
      return metrics.time("write", () -> stage(key, readAll(content, key)));
    }

    @Override
    public ObjectInfo write(String relativeKey, Path file) {
      String key = keyOf(relativeKey);
      return metrics.time("write", () -> stage(key, readAll(file, key)));
    }

    private ObjectInfo stage(String key, byte[] bytes) {
      staged.put(key, bytes);
      return info(key, bytes);
    }

    @Override
    public void publish(ChannelMetadata metadata) {
      requirePublishable(metadata);
      metrics.run("publish", () -> publishStaged(metadata));
    }

    private void publishStaged(ChannelMetadata metadata) {
      String channelId = channelId();
      String jsonKey = channelId + "/" + CHANNEL_JSON;
      byte[] json = metadata.toJsonBytes();
      synchronized (objects) {
        objects.subMap(channelId + "/", true, channelId + "0", false).clear();
        staged.forEach((k, v) -> objects.put(k, new Entry(v, info(k, v))));
        objects.put(jsonKey, new Entry(json, info(jsonKey, json)));
      }
      finish();
      staged.clear();
      registry.published(metadata);
    }

    @Override
    public void close() {
      finish();
      staged.clear();
    }
  }

  // the channel list

  /** The channel whose listing a write or delete of {@code key} may change. */
  private static Optional<String> listingMayChange(String key) {
    int slash = key.indexOf('/');
    boolean relevant = key.endsWith("/" + CHANNEL_JSON) && slash == key.lastIndexOf('/')
        || key.endsWith(".m3u8");
    return relevant ? Optional.of(key.substring(0, slash)) : Optional.empty();
  }

  /** Lists a channel as its channel.json (or its plain HLS playlists) now say. */
  private synchronized void relist(String channelId) {
    if (!StorageKeys.isValidChannelId(channelId)) {
      return;
    }
    Optional<ChannelMetadata> now;
    try {
      now = channelMetadata(channelId).or(() -> PlainHlsFolder.derive(this, channelId));
    } catch (HlsException e) {
      LOG.warn("channel {} is not listed: {}", channelId, e.getMessage());
      now = Optional.empty();
    }
    now.ifPresentOrElse(registry::published, () -> registry.removed(channelId));
  }

  @Override
  public void updateMetadata(ChannelMetadata metadata) {
    write(metadata.id() + "/" + CHANNEL_JSON, metadata.toJsonBytes()); // relisted as written
  }

  @Override
  public ChannelCatalog channels() {
    return registry;
  }

  /** Removes the channel's objects in one step: no reader sees a part of it. */
  @Override
  public boolean deleteChannel(String channelId) {
    StorageKeys.requireChannelId(channelId);
    return metrics.time("delete", () -> removeChannel(channelId));
  }

  private boolean removeChannel(String channelId) {
    boolean existed;
    synchronized (objects) {
      Map<String, Entry> channel = objects.subMap(channelId + "/", true, channelId + "0", false);
      existed = !channel.isEmpty();
      channel.clear();
    }
    registry.removed(channelId);
    return existed;
  }

  @Override
  public void close() {
    registry.close();
  }

  private static byte[] readAll(InputStream content, String key) {
    try {
      return content.readAllBytes();
    } catch (IOException e) {
      throw new StorageException("could not read the content for " + key, e);
    }
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
