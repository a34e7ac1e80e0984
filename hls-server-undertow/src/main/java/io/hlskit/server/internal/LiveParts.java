package io.hlskit.server.internal;

import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.core.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The parts of live Low-Latency HLS playlists on a remote store (S3): every player of a channel
 * asks for each new part within a moment of the others, so a part is read from the store once,
 * by the first request, while the requests that come meanwhile wait for that read, and is then
 * answered from memory for a second. Parts are immutable; what is kept is bounded in count and
 * in size, past which it starts afresh. A store on this machine's disk needs none of this (the
 * kernel's page cache and {@code sendfile} do it better).
 *
 * <p>Thread-safe. {@link #read} blocks (a worker's job); {@link #recent} does not.
 */
final class LiveParts {
  /** How the live pipeline names parts: {@code <channel>/<rendition>/seg_<n>.<k>.ts} or .m4s. */
  private static final Pattern PART = Pattern.compile("[^/]+/[^/]+/seg_\\d+\\.\\d+\\.(ts|m4s)");
  private static final long KEEP_NANOS = 1_000_000_000L;
  private static final int MAX_PART_BYTES = 1024 * 1024;
  private static final int MAX_PARTS = 128;

  /** A part read whole. */
  record Part(ObjectInfo info, byte[] bytes, long readAt) {}

  private final MediaStore store;
  private final Map<String, Part> recent = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<Part>>> reading =
      new ConcurrentHashMap<>();

  LiveParts(MediaStore store) {
    this.store = store;
  }

  /** Whether {@code key} names a part of a live playlist. */
  static boolean isPart(String key) {
    return PART.matcher(key).matches();
  }

  /** The part read in the last second, or null. */
  Part recent(String key) {
    Part p = recent.get(key);
    return p != null && System.nanoTime() - p.readAt() <= KEEP_NANOS ? p : null;
  }

  /**
   * Part {@code key}, from memory or read once for every request asking now; empty when the
   * store has no such object or it is too large to keep (the caller then reads it itself).
   */
  Optional<Part> read(String key) throws IOException {
    Part known = recent(key);
    if (known != null) {
      return Optional.of(known);
    }
    CompletableFuture<Optional<Part>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Part>> running = reading.putIfAbsent(key, mine);
    if (running != null) {
      try {
        return running.join(); // another request is reading it: its answer is ours
      } catch (CompletionException e) {
        throw e.getCause() instanceof IOException io ? io
            : new IOException("reading " + key + " failed: " + e.getCause(), e.getCause());
      }
    }
    try {
      Optional<Part> part = load(key);
      mine.complete(part);
      return part;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      reading.remove(key, mine);
    }
  }

  private Optional<Part> load(String key) throws IOException {
    Optional<ObjectStream> read = store.read(key);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    try (ObjectStream s = read.get(); InputStream in = s.content()) {
      if (s.info().length() > MAX_PART_BYTES) {
        return Optional.empty();
      }
      byte[] bytes = in.readNBytes(MAX_PART_BYTES + 1);
      if (bytes.length != s.info().length()) {
        return Optional.empty(); // not what the store said it holds: read it the usual way
      }
      if (recent.size() >= MAX_PARTS) {
        recent.clear(); // bounded; the parts asked now come back at once
      }
      Part p = new Part(s.info(), bytes, System.nanoTime());
      recent.put(key, p);
      return Optional.of(p);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
