package io.hlskit.storage.fs.internal;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.ChannelRegistry;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.PlainHlsFolder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the channels in a folder store's root, for changes made outside the store (channels
 * copied in, converted by another process, deleted by hand): lists the root's folders and looks
 * at each one's {@code channel.json}, or its {@code playlist.m3u8} when there is none (a plain
 * HLS folder), re-reading only files whose size or modification time changed since the last scan.
 * Scans run one at a time.
 */
public final class FolderScan implements ChannelRegistry.Scan {
  private static final Logger LOG = LoggerFactory.getLogger(FolderScan.class);

  private final MediaStore store;
  private final Path root;
  private final Map<String, Cached> cache = new HashMap<>();

  /** What a channel's metadata was read from, to re-read only what changed. */
  private record Cached(String file, long size, long modified, Optional<ChannelMetadata> metadata) {
    boolean sameFile(Cached other) {
      return file.equals(other.file) && size == other.size && modified == other.modified;
    }
  }

  /** A scan of {@code root}, the folder of {@code store}. */
  public FolderScan(MediaStore store, Path root) {
    this.store = store;
    this.root = root;
  }

  @Override
  public synchronized Map<String, ChannelMetadata> scan(boolean thorough) {
    Map<String, ChannelMetadata> found = new HashMap<>();
    Map<String, Cached> seen = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        String id = dir.getFileName().toString();
        if (StorageKeys.isValidChannelId(id) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          look(id, dir).ifPresent(c -> {
            seen.put(id, c);
            c.metadata().ifPresent(m -> found.put(id, m));
          });
        }
      }
    } catch (IOException e) {
      throw new HlsException("cannot list " + root + ": " + e, e);
    }
    cache.clear();
    cache.putAll(seen);
    return found;
  }

  private Optional<Cached> look(String id, Path dir) {
    Optional<Cached> current = stat(dir, MediaStore.CHANNEL_JSON)
        .or(() -> stat(dir, ChannelMetadata.ENTRY_PLAYLIST));
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Cached now = current.get();
    Cached before = cache.get(id);
    if (before != null && before.sameFile(now)) {
      return Optional.of(before);
    }
    return Optional.of(new Cached(now.file(), now.size(), now.modified(), read(id, now)));
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

  /** Reads channel.json, or derives the metadata of a plain HLS folder. */
  private Optional<ChannelMetadata> read(String id, Cached file) {
    try {
      return file.file().equals(MediaStore.CHANNEL_JSON) ? store.channelMetadata(id)
          : PlainHlsFolder.derive(store, id);
    } catch (HlsException e) {
      LOG.warn("channel folder {} is not listed: {}", id, e.getMessage());
      return Optional.empty();
    }
  }
}
