package io.hlskit.storage.fs;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.PollingChannelCatalog;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.Playlist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.Variant;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.StorageKeys;
import io.hlskit.core.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels in a {@link FileSystemMediaStore}'s folder, kept current by a light scan: every
 * interval (1 s by default) it lists the root's folders and looks at each one's {@code
 * channel.json}, or at its {@code playlist.m3u8} when there is none (a folder in the seed's
 * format), re-reading only files whose size or modification time changed. Channels copied in,
 * converted or deleted by hand show up without a restart; no request ever scans the tree.
 *
 * <p>Thread-safe. Listeners are called on the catalog's scanning thread, in order.
 */
public final class FileSystemChannelCatalog extends PollingChannelCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemChannelCatalog.class);

  private final FileSystemMediaStore store;
  private final Map<String, Cached> cache = new HashMap<>();
  private final Object scanLock = new Object();

  /** What a channel's metadata was read from, to re-read only what changed. */
  private record Cached(String file, long size, long modified, Optional<ChannelMetadata> metadata) {}

  private FileSystemChannelCatalog(FileSystemMediaStore store, Duration interval) {
    super(store.root().toString(), "hlskit-fs-catalog", interval);
    this.store = Objects.requireNonNull(store, "store");
    start();
  }

  /** A catalog of {@code store}'s folder, rescanned every second. */
  public static FileSystemChannelCatalog of(FileSystemMediaStore store) {
    return of(store, Duration.ofSeconds(1));
  }

  /** A catalog of {@code store}'s folder, rescanned every {@code interval}. */
  public static FileSystemChannelCatalog of(FileSystemMediaStore store, Duration interval) {
    return new FileSystemChannelCatalog(store, interval);
  }

  @Override
  public void refresh() {
    scan();
  }

  @Override
  protected void look(boolean thorough) {
    scan();
  }

  private void scan() {
    synchronized (scanLock) {
      Set<String> seen = new HashSet<>();
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(store.root())) {
        for (Path dir : dirs) {
          String id = dir.getFileName().toString();
          if (StorageKeys.isValidChannelId(id) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            seen.add(id);
            update(id, dir);
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot list {}: {}", store.root(), e.toString());
        return;
      }
      for (String gone : registry.ids()) {
        if (!seen.contains(gone)) {
          cache.remove(gone);
          registry.remove(gone);
        }
      }
      cache.keySet().retainAll(seen);
    }
  }

  private void update(String id, Path dir) {
    Optional<Cached> current = stat(dir, MediaStore.CHANNEL_JSON)
        .or(() -> stat(dir, ChannelMetadata.ENTRY_PLAYLIST));
    Cached before = cache.get(id);
    if (current.isEmpty()) {
      cache.remove(id);
      registry.remove(id);
      return;
    }
    Cached now = current.get();
    if (before != null && before.file().equals(now.file()) && before.size() == now.size()
        && before.modified() == now.modified()) {
      return; // unchanged
    }
    Optional<ChannelMetadata> metadata = read(id, now);
    cache.put(id, new Cached(now.file(), now.size(), now.modified(), metadata));
    metadata.ifPresentOrElse(registry::put, () -> registry.remove(id));
  }

  private static Optional<Cached> stat(Path dir, String name) {
    try {
      BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
      if (!a.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(new Cached(name, a.size(), a.lastModifiedTime().toMillis(),
          Optional.empty()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.debug("cannot read {}/{}: {}", dir, name, e.toString());
      return Optional.empty();
    }
  }

  /** Reads channel.json, or derives metadata from a seed folder's playlist. */
  private Optional<ChannelMetadata> read(String id, Cached file) {
    try {
      if (file.file().equals(MediaStore.CHANNEL_JSON)) {
        return store.channelMetadata(id);
      }
      return Optional.of(derive(id, file));
    } catch (HlsException | IOException e) {
      LOG.warn("channel folder {} is not listed: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  private ChannelMetadata derive(String id, Cached file) throws IOException {
    Playlist entry = parse(id + "/" + ChannelMetadata.ENTRY_PLAYLIST);
    java.time.Instant created = java.time.Instant.ofEpochMilli(file.modified());
    if (entry instanceof MediaPlaylist) {
      return ChannelMetadata.fromMediaPlaylist(id, (MediaPlaylist) entry, created);
    }
    MultivariantPlaylist master = (MultivariantPlaylist) entry;
    ChannelMetadata.Builder b = ChannelMetadata.builder(id).created(created);
    Duration duration = Duration.ZERO;
    int i = 0;
    for (Variant v : master.variants()) {
      String key = id + "/" + v.uri();
      if (!StorageKeys.isValidKey(key)) {
        throw new HlsException("variant " + v.uri() + " is not a playlist inside the channel");
      }
      if (duration.isZero()) {
        Playlist media = parse(key);
        if (media instanceof MediaPlaylist) {
          duration = ((MediaPlaylist) media).totalDuration();
        }
      }
      String name = v.resolution().map(r -> r.height() + "p").orElse("v" + i);
      b.addRendition(new RenditionInfo(name, v.uri(), v.resolution(), v.bandwidth(),
          v.averageBandwidth().orElse(v.bandwidth()), v.codecs()));
      i++;
    }
    return b.duration(duration).build();
  }

  private Playlist parse(String key) throws IOException {
    StoredObject o = store.open(key)
        .orElseThrow(() -> new HlsException(key + " is missing"));
    try (InputStream in = o.stream()) {
      return PlaylistParser.lenient().parse(in);
    }
  }
}
