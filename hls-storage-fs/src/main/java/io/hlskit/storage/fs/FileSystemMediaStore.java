package io.hlskit.storage.fs;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.ChannelRegistry;
import io.hlskit.core.internal.Folders;
import io.hlskit.core.internal.OperationTimer;
import io.hlskit.core.store.AbstractChannelDraft;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.MediaTypes;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.core.store.StoredObject;
import io.hlskit.storage.fs.internal.AtomicFiles;
import io.hlskit.storage.fs.internal.FolderScan;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MediaStore} on a local folder: the key {@code canal1/720p/seg_00000.ts} is the file
 * {@code <root>/canal1/720p/seg_00000.ts}, so the folder is also what any static web server can
 * serve and what a person can copy channels into.
 *
 * <p>Every write goes to a temporary file in the target's folder and is renamed over the target,
 * so readers see the old file or the new one whole. Drafts are written under {@code
 * <root>/.hlskit-drafts/} (same file system) and published by renaming the whole folder into
 * place, {@code channel.json} already inside. Keys are checked by {@link StorageKeys}, path
 * segments starting with {@code .} are reserved for the store, and a key never reaches a file
 * outside the root, symbolic links included.
 *
 * <p>{@link #channels()} lists the channels in the root: those published or deleted through this
 * store at once, and, from its first read on, those changed by anything else (copied in,
 * converted by another process, deleted by hand) within a scan interval, one second by default.
 * Plain HLS folders ({@link io.hlskit.core.store.PlainHlsFolder}) are channels too.
 *
 * <p>Thread-safe; several processes may share one root (a {@code serve} and a {@code convert}).
 */
public final class FileSystemMediaStore implements MediaStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemMediaStore.class);

  /** The folder under the root where drafts are staged. */
  static final String DRAFTS = ".hlskit-drafts";

  /** Drafts untouched for this long are left over from a crash and get removed. */
  private static final Duration ABANDONED_DRAFT_AGE = Duration.ofHours(6);
  /** How often abandoned drafts are looked for besides at the start. */
  private static final Duration HOUSEKEEPING = Duration.ofHours(1);

  private final Path root;
  private final OperationTimer metrics;
  private final Path realRoot;
  private final ChannelRegistry channels;
  private final AtomicFiles files = new AtomicFiles();

  private FileSystemMediaStore(Path root, Duration scanInterval, OperationTimer metrics) {
    this.metrics = metrics;
    try {
      if (!Files.exists(root)) {
        Files.createDirectories(root);
        LOG.info("created the streams folder {}", root.toAbsolutePath());
      }
      this.root = root.toAbsolutePath().normalize();
      this.realRoot = root.toRealPath();
      Files.createDirectories(this.root.resolve(DRAFTS));
    } catch (IOException e) {
      throw new StorageException("cannot use " + root + " as the streams folder: " + e
          + "; check that it is a writable directory", e);
    }
    removeAbandonedDrafts();
    this.channels = ChannelRegistry.scanning(new FolderScan(this, this.root))
        .name(this.root.toString()).interval(scanInterval)
        .housekeeping(this::removeAbandonedDrafts, HOUSEKEEPING).build();
  }

  /**
   * A store on {@code root}, which is created (and the creation logged) when missing; its channel
   * list is rescanned every second.
   *
   * @throws StorageException when {@code root} cannot be created or is not a writable folder
   */
  public static FileSystemMediaStore at(Path root) {
    return builder(root).build();
  }

  /** A builder of a store on {@code root}, for settings beyond {@link #at}. */
  public static Builder builder(Path root) {
    return new Builder(Objects.requireNonNull(root, "root"));
  }

  /** The folder this store keeps its objects in. */
  public Path root() {
    return root;
  }

  /** The file for a key, after checking that it stays inside the root. */
  Path resolve(String key) {
    StorageKeys.requireUserKey(key);
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new StorageException("key '" + key + "' leaves the store");
    }
    return path;
  }

  /** Refuses a path whose real location (links followed) is outside the root. */
  /**
   * {@link #requireInsideRoot} for the folder of an object being read, remembered for a second:
   * resolving a path's links costs a system call per path segment, and segments are read
   * thousands of times a second from a handful of folders.
   */
  private void requireFolderInsideRoot(Path dir, String key) throws IOException {
    long now = System.nanoTime();
    Long checked = checkedFolders.get(dir);
    if (checked != null && now - checked < FOLDER_CHECK_NANOS) {
      return;
    }
    requireInsideRoot(dir, key);
    if (checkedFolders.size() > 10_000) {
      checkedFolders.clear(); // bounded: a scan of many folders refills it
    }
    checkedFolders.put(dir, now);
  }

  private static final long FOLDER_CHECK_NANOS = 1_000_000_000L;
  /** Folders found inside the root, and when (nanoTime). */
  private final Map<Path, Long> checkedFolders = new ConcurrentHashMap<>();

  private void requireInsideRoot(Path existing, String key) throws IOException {
    if (!existing.toRealPath().startsWith(realRoot)) {
      throw new StorageException("refusing '" + key + "': a symbolic link leads outside the"
          + " streams folder");
    }
  }

  @Override
  public ObjectInfo write(String key, InputStream content) {
    return metrics.time("write", () -> writeStream(key, content));
  }

  private ObjectInfo writeStream(String key, InputStream content) {
    Path target = resolve(key);
    return writeAtomically(target, key, AtomicFiles.fromStream(content));
  }

  @Override
  public ObjectInfo write(String key, Path file) {
    return metrics.time("write", () -> writeFile(key, file));
  }

  private ObjectInfo writeFile(String key, Path file) {
    Path target = resolve(key);
    return writeAtomically(target, key, AtomicFiles.fromFile(file));
  }

  private ObjectInfo writeAtomically(Path target, String key, AtomicFiles.Filler filler) {
    try {
      files.write(target, filler, dir -> requireInsideRoot(dir, key));
      return info(key, target);
    } catch (IOException e) {
      throw new StorageException("could not write " + key + " under " + root + ": " + e, e);
    }
  }

  private ObjectInfo info(String key, Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    return info(key, a);
  }

  private static ObjectInfo info(String key, BasicFileAttributes a) {
    FileTime modified = a.lastModifiedTime();
    Instant instant = modified.toInstant();
    // identity (inode), size and time: every atomic replace makes a new inode
    long identity = a.fileKey() == null ? 0 : a.fileKey().hashCode();
    String etag = Long.toHexString(identity) + "-" + Long.toHexString(a.size()) + "-"
        + Long.toHexString(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
    return new ObjectInfo(key, a.size(), etag, instant, MediaTypes.forKey(key));
  }

  @Override
  public Optional<StoredObject> open(String key) {
    return metrics.time("open", () -> openFile(key));
  }

  private Optional<StoredObject> openFile(String key) {
    Path file = resolve(key);
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) { // allowed when it leads to a file inside the folder
        a = Files.readAttributes(file, BasicFileAttributes.class);
        requireInsideRoot(file, key);
      } else {
        requireFolderInsideRoot(file.getParent(), key);
      }
      if (!a.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(new FileObject(info(key, a), file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("could not open " + key + ": " + e, e);
    }
  }

  private static final class FileObject implements StoredObject {
    private final ObjectInfo info;
    private final Path file;

    FileObject(ObjectInfo info, Path file) {
      this.info = info;
      this.file = file;
    }

    @Override
    public ObjectInfo info() {
      return info;
    }

    @Override
    public InputStream stream() {
      try {
        return Files.newInputStream(file);
      } catch (IOException e) {
        throw new StorageException("could not read " + info.key() + ": " + e, e);
      }
    }

    @Override
    public InputStream stream(long offset, long length) {
      if (offset < 0 || length < 0 || offset + length > info.length()) {
        throw new StorageException("range " + offset + "+" + length + " is outside "
            + info.key() + " (" + info.length() + " bytes)");
      }
      try {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new BoundedInputStream(Channels.newInputStream(channel), length);
      } catch (IOException e) {
        throw new StorageException("could not read " + info.key() + ": " + e, e);
      }
    }

    @Override
    public Optional<Path> localFile() {
      return Optional.of(file);
    }
  }

  @Override
  public List<ObjectInfo> list(String prefix) {
    return metrics.time("list", () -> listFiles(prefix));
  }

  private List<ObjectInfo> listFiles(String prefix) {
    StorageKeys.requirePrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    List<ObjectInfo> result = new ArrayList<>();
    if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
      return result;
    }
    try {
      Files.walkFileTree(start, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(start) && dir.getFileName().toString().startsWith(".")) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          String key = root.relativize(dir).toString().replace('\\', '/');
          // descend only where keys can still start with the prefix
          if (!dir.equals(root) && !(key + "/").startsWith(prefix)
              && !prefix.startsWith(key + "/")) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".")) {
            String key = root.relativize(file).toString().replace('\\', '/');
            if (key.startsWith(prefix) && StorageKeys.isValidKey(key)) {
              result.add(info(key, attrs));
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE; // deleted while we walked
          }
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException("could not list " + prefix + " under " + root + ": " + e, e);
    }
    result.sort(Comparator.comparing(ObjectInfo::key));
    return result;
  }

  @Override
  public int deletePrefix(String prefix) {
    return metrics.time("delete", () -> deleteFiles(prefix));
  }

  private int deleteFiles(String prefix) {
    List<ObjectInfo> objects = listFiles(prefix);
    int count = 0;
    for (ObjectInfo o : objects) {
      try {
        if (Files.deleteIfExists(resolve(o.key()))) {
          count++;
        }
      } catch (IOException e) {
        throw new StorageException("could not delete " + o.key() + ": " + e, e);
      }
    }
    for (ObjectInfo o : objects) {
      files.removeEmptyFolders(root, resolve(o.key()).getParent());
    }
    return count;
  }

  @Override
  public ChannelDraft draft(String channelId) {
    StorageKeys.requireChannelId(channelId);
    Path dir = root.resolve(DRAFTS).resolve(channelId + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("could not start a draft of " + channelId + " under " + root
          + ": " + e, e);
    }
    return new Draft(channelId, dir);
  }

  private final class Draft extends AbstractChannelDraft {
    private final Path dir;

    Draft(String channelId, Path dir) {
      super(channelId);
      this.dir = dir;
    }

    private Path target(String relativeKey) {
      Path published = resolve(keyOf(relativeKey)); // same checks as for any key
      return dir.resolve(root.resolve(channelId()).relativize(published).toString());
    }

    @Override
    public ObjectInfo write(String relativeKey, InputStream content) {
      return metrics.time("write", () -> writeAtomically(target(relativeKey),
          channelId() + "/" + relativeKey, AtomicFiles.fromStream(content)));
    }

    @Override
    public ObjectInfo write(String relativeKey, Path source) {
      return metrics.time("write", () -> writeAtomically(target(relativeKey),
          channelId() + "/" + relativeKey, AtomicFiles.fromFile(source)));
    }

    /** A rename when the file is on the store's file system: no byte is copied. */
    @Override
    public ObjectInfo moveIn(String relativeKey, Path source) {
      Path target = target(relativeKey);
      String key = channelId() + "/" + relativeKey;
      try {
        Files.createDirectories(target.getParent());
        requireInsideRoot(target.getParent(), key);
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        return info(key, target);
      } catch (AtomicMoveNotSupportedException e) {
        return write(relativeKey, source); // another file system: copied instead
      } catch (IOException e) {
        throw new StorageException("could not move " + source + " into " + key + " under " + root
            + ": " + e, e);
      }
    }

    @Override
    public synchronized void publish(ChannelMetadata metadata) {
      metrics.run("publish", () -> publishDraft(metadata));
    }

    private void publishDraft(ChannelMetadata metadata) {
      requirePublishable(metadata);
      String channelId = channelId();
      Path target = root.resolve(channelId);
      Path old = root.resolve(DRAFTS).resolve(channelId + "-replaced-" + UUID.randomUUID());
      try {
        Files.write(dir.resolve(CHANNEL_JSON), metadata.toJsonBytes());
        boolean replacing = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (replacing) {
          AtomicFiles.move(target, old);
        }
        try {
          AtomicFiles.move(dir, target);
        } catch (IOException e) {
          if (replacing) {
            AtomicFiles.move(old, target); // put the earlier version back
          }
          throw e;
        }
        finish();
        channels.published(metadata);
        if (replacing) {
          Folders.deleteTree(old);
        }
      } catch (IOException e) {
        throw new StorageException("could not publish channel " + channelId + " under " + root
            + ": " + e, e);
      }
    }

    @Override
    public synchronized void close() {
      if (finish()) {
        Folders.deleteTree(dir);
      }
    }
  }

  private void removeAbandonedDrafts() {
    Folders.removeAbandoned(root.resolve(DRAFTS), "*", ABANDONED_DRAFT_AGE, "draft");
  }

  /**
   * Reads are file system calls on this machine. (On a network mount, NFS or SMB, they would
   * make a server's I/O threads wait on the network: share storage through S3 instead.)
   */
  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public void updateMetadata(ChannelMetadata metadata) {
    write(metadata.id() + "/" + CHANNEL_JSON, metadata.toJsonBytes());
    channels.published(metadata);
  }

  @Override
  public ChannelCatalog channels() {
    return channels;
  }

  @Override
  public boolean deleteChannel(String channelId) {
    StorageKeys.requireChannelId(channelId);
    return channels.removing(channelId, () -> MediaStore.super.deleteChannel(channelId));
  }

  /** Stops the channel list's scan; reads and writes need nothing closed. Idempotent. */
  @Override
  public void close() {
    channels.close();
  }

  /** Settings of a {@link FileSystemMediaStore}; not thread-safe. */
  public static final class Builder {
    private final Path root;
    private Duration scanInterval = Duration.ofSeconds(1);
    private MeterRegistry meterRegistry;

    private Builder(Path root) {
      this.root = root;
    }

    /**
     * How often {@link FileSystemMediaStore#channels()} looks for channels changed outside the
     * store, once it is first read; 1 s by default. A scan stats one or two files per channel.
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
     * Times the store's operations into {@code registry} as {@code
     * hlskit_storage_seconds{store="fs", op, result}}. Micrometer is an optional dependency:
     * needed on the classpath only by applications that call this.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Opens the store.
     *
     * @throws StorageException when the root cannot be created or is not a writable folder
     */
    public FileSystemMediaStore build() {
      return new FileSystemMediaStore(root, scanInterval,
          OperationTimer.forStore(meterRegistry, "fs"));
    }
  }
}
