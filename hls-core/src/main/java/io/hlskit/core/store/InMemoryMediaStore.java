package io.hlskit.core.store;

import io.hlskit.core.StorageException;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelListener;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.ChannelRegistry;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MediaStore} and {@link ChannelCatalog} in the heap: for tests, examples and small
 * embeddings where nothing needs to outlive the process. Objects are byte arrays; keep them small.
 *
 * <p>Thread-safe. Listeners are called on one daemon thread of the store's, in event order.
 */
public final class InMemoryMediaStore implements MediaStore, ChannelCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryMediaStore.class);

  private final NavigableMap<String, Entry> objects = new TreeMap<>();
  private final ChannelRegistry registry = new ChannelRegistry();
  private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "hlskit-memory-store-events");
    t.setDaemon(true);
    return t;
  });
  private final Clock clock;

  private record Entry(byte[] bytes, ObjectInfo info) {}

  /** An empty store. */
  public InMemoryMediaStore() {
    this(Clock.systemUTC());
  }

  InMemoryMediaStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ObjectInfo write(String key, InputStream content) {
    StorageKeys.requireKey(key);
    byte[] bytes = readAll(content, key);
    return put(key, bytes);
  }

  @Override
  public ObjectInfo write(String key, Path file) {
    StorageKeys.requireKey(key);
    try {
      return put(key, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new StorageException("could not read " + file + " to store it at " + key, e);
    }
  }

  private ObjectInfo put(String key, byte[] bytes) {
    ObjectInfo info = info(key, bytes);
    synchronized (objects) {
      objects.put(key, new Entry(bytes, info));
    }
    if (key.endsWith("/" + CHANNEL_JSON) && key.indexOf('/') == key.lastIndexOf('/')) {
      channelJsonChanged(key.substring(0, key.indexOf('/')));
    }
    return info;
  }

  private ObjectInfo info(String key, byte[] bytes) {
    return new ObjectInfo(key, bytes.length, md5(bytes), clock.instant(),
        MediaTypes.forKey(key));
  }

  @Override
  public Optional<StoredObject> open(String key) {
    StorageKeys.requireKey(key);
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
        if (key.endsWith("/" + CHANNEL_JSON) && key.indexOf('/') == key.lastIndexOf('/')) {
          channelsTouched.add(key.substring(0, key.indexOf('/')));
        }
      }
    }
    channelsTouched.forEach(this::channelJsonChanged);
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
      byte[] bytes = readAll(content, key);
      staged.put(key, bytes);
      return info(key, bytes);
    }

    @Override
    public ObjectInfo write(String relativeKey, Path file) {
      String key = keyOf(relativeKey);
      try {
        byte[] bytes = Files.readAllBytes(file);
        staged.put(key, bytes);
        return info(key, bytes);
      } catch (IOException e) {
        throw new StorageException("could not read " + file + " to store it at " + key, e);
      }
    }

    @Override
    public void publish(ChannelMetadata metadata) {
      requirePublishable(metadata);
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
      channelJsonChanged(channelId);
    }

    @Override
    public void close() {
      finish();
      staged.clear();
    }
  }

  // ChannelCatalog

  private synchronized void channelJsonChanged(String channelId) {
    Optional<ChannelMetadata> now;
    try {
      now = channelMetadata(channelId);
    } catch (StorageException e) {
      LOG.warn("channel {} has an unreadable channel.json and is not listed: {}", channelId,
          e.getMessage());
      now = Optional.empty();
    }
    Optional<ChannelMetadata> change = now;
    try {
      // listeners hear of it on the store's event thread, in the order changes happened
      events.execute(() -> change.ifPresentOrElse(registry::put,
          () -> registry.remove(channelId)));
    } catch (RejectedExecutionException e) {
      LOG.debug("store closed; change of {} not delivered", channelId);
    }
  }

  @Override
  public List<ChannelMetadata> channels() {
    return registry.channels();
  }

  @Override
  public Optional<ChannelMetadata> channel(String id) {
    return registry.channel(id);
  }

  @Override
  public Registration addListener(ChannelListener listener) {
    return registry.addListener(listener);
  }

  @Override
  public void refresh() {
    // always current: every change goes through this object
  }

  @Override
  public void close() {
    events.shutdown();
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
