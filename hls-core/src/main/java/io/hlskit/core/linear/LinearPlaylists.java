package io.hlskit.core.linear;

import io.hlskit.core.PlaylistParseException;
import io.hlskit.core.StorageException;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.linear.LinearTimeline.Airing;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.Playlist;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The playlists of a store's linear channels, as a server answers them at
 * {@code /streams/{channel}/{path}}: the multivariant playlist is the first item's, without its
 * I-frame and image variants and start point (a live stream is joined at its edge), and each media
 * playlist is a {@link LinearTimeline} over the items' playlists at the same path, with URIs
 * that lead from the linear channel's folder to the items' own segments.
 *
 * <p>A rendition's timeline is built the first time it is asked for, reading each item's
 * playlist from the store (this blocks), and kept until a channel of the store changes: then an
 * item deleted since the schedule was made is skipped (and logged), and a changed schedule is
 * laid out again. Answers after that come from memory. A store that fails while a timeline is
 * built throws, and nothing is kept: the next request builds again.
 *
 * <pre>{@code
 * LinearPlaylists linear = LinearPlaylists.of(store);
 * ChannelMetadata news = store.channels().get("news").orElseThrow();
 * Optional<Playlist> live = linear.playlist(news, "720p/playlist.m3u8", Instant.now());
 * }</pre>
 *
 * <p>Thread-safe. It listens to the store's catalog until {@link #close}.
 */
public final class LinearPlaylists implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LinearPlaylists.class);

  /** The most playlists kept; hostile paths that miss are never kept. */
  private static final int MAX_CACHED = 1024;
  /** Items' playlists larger than this are not laid out (a VOD playlist of days is ~10 MB). */
  private static final int MAX_PLAYLIST_BYTES = 16 * 1024 * 1024;

  /**
   * A playlist path of one linear channel, laid out for one schedule: a multivariant playlist,
   * or a timeline, or neither when none of the items can be played.
   */
  private record Built(Schedule schedule, Playlist multivariant, LinearTimeline timeline) {}

  private final MediaStore store;
  private final ChannelCatalog catalog;
  private final int window;
  private final ChannelCatalog.Registration registration;
  private volatile Map<String, Built> built = new ConcurrentHashMap<>();

  private LinearPlaylists(MediaStore store, int window) {
    if (window < 1 || window > 1000) {
      throw new IllegalArgumentException("the window must be 1 to 1000 segments: " + window);
    }
    this.store = Objects.requireNonNull(store, "store");
    this.catalog = store.channels();
    this.window = window;
    // any change may touch an item of some schedule: lay out again when next asked
    this.registration = catalog.addListener(event -> built = new ConcurrentHashMap<>());
  }

  /** Playlists of {@code store}'s linear channels, each media playlist the last six segments. */
  public static LinearPlaylists of(MediaStore store) {
    return of(store, LinearTimeline.DEFAULT_WINDOW);
  }

  /**
   * Playlists of {@code store}'s linear channels, each media playlist the last {@code window}
   * segments (1 to 1000).
   */
  public static LinearPlaylists of(MediaStore store, int window) {
    return new LinearPlaylists(store, window);
  }

  /** How many segments each media playlist lists. */
  public int window() {
    return window;
  }

  /**
   * The playlist of linear channel {@code channel} at {@code path} (relative to the channel, such
   * as {@code playlist.m3u8} or {@code 720p/playlist.m3u8}) at instant {@code now}.
   *
   * @return empty when the channel has no playlist at that path (its first playable item has
   *     none, or an I-frame one), when none of its items can be played, or before its start
   * @throws IllegalArgumentException when {@code channel} is not linear
   * @throws io.hlskit.core.StorageException when the store cannot be read
   */
  public Optional<Playlist> playlist(ChannelMetadata channel, String path, Instant now) {
    Schedule schedule = requireLinear(channel);
    if (now.isBefore(schedule.start())) {
      return Optional.empty();
    }
    Optional<Built> b = built(channel, path);
    if (b.isEmpty()) {
      return Optional.empty();
    }
    if (b.get().multivariant() != null) {
      return Optional.of(b.get().multivariant());
    }
    LinearTimeline t = b.get().timeline();
    return t == null ? Optional.empty() : t.playlistAt(now, window).map(p -> p);
  }

  /**
   * The item on air at {@code now}, as its first rendition (or its entry playlist) lays it out:
   * empty before the start, after the end of a schedule without loop, or when no item plays.
   */
  public Optional<Airing> onAir(ChannelMetadata channel, Instant now) {
    return mainTimeline(channel).flatMap(t -> t.onAir(now));
  }

  /** The item after the one on air at {@code now} (the first one before the start). */
  public Optional<Airing> next(ChannelMetadata channel, Instant now) {
    return mainTimeline(channel).flatMap(t -> t.next(now));
  }

  /** Stops listening to the store's catalog; idempotent. */
  @Override
  public void close() {
    registration.close();
    built = new ConcurrentHashMap<>();
  }

  private Optional<LinearTimeline> mainTimeline(ChannelMetadata channel) {
    requireLinear(channel);
    String path = channel.renditions().isEmpty() ? channel.playlist()
        : channel.renditions().get(0).playlist();
    return built(channel, path).map(Built::timeline); // empty when null
  }

  private static Schedule requireLinear(ChannelMetadata channel) {
    return channel.schedule().orElseThrow(() -> new IllegalArgumentException(
        "channel " + channel.id() + " is not linear: it has no schedule"));
  }

  private Optional<Built> built(ChannelMetadata channel, String path) {
    Schedule schedule = channel.schedule().orElseThrow();
    Map<String, Built> cache = built;
    String key = channel.id() + '/' + path;
    Built b = cache.get(key);
    if (b != null && (b.schedule() == schedule || b.schedule().equals(schedule))) {
      return Optional.of(b);
    }
    Optional<Built> fresh = build(channel.id(), schedule, path);
    if (fresh.isPresent()) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(key, fresh.get());
    }
    return fresh;
  }

  /** Lays out {@code path}; empty when the first playable item has no such playlist. */
  private Optional<Built> build(String id, Schedule schedule, String path) {
    Map<String, Optional<MediaPlaylist>> byChannel = new HashMap<>();
    List<LinearTimeline.Source> sources = new ArrayList<>();
    String prefix = "../".repeat(depth(path) + 1);
    String folder = path.substring(0, path.lastIndexOf('/') + 1);
    for (int i = 0; i < schedule.items().size(); i++) {
      String item = schedule.items().get(i).channel();
      Optional<MediaPlaylist> media;
      if (sources.isEmpty() && !byChannel.containsKey(item)) {
        // the first playable item says what the path is
        if (!playable(id, item)) {
          byChannel.put(item, Optional.empty());
          continue;
        }
        Optional<Playlist> p;
        try {
          p = readPlaylist(item + '/' + path);
        } catch (PlaylistParseException e) {
          LOG.warn("linear channel {}: item {} skipped: {}", id, item, e.getMessage());
          byChannel.put(item, Optional.empty());
          continue;
        }
        if (p.isEmpty() || p.get() instanceof MediaPlaylist m && m.iFramesOnly()) {
          return Optional.empty(); // not a playlist of the channel: no other item is read
        }
        if (p.get() instanceof MultivariantPlaylist m) {
          return Optional.of(new Built(schedule, forLive(m), null));
        }
        media = Optional.of((MediaPlaylist) p.get());
        byChannel.put(item, media);
      } else {
        media = byChannel.computeIfAbsent(item, c -> mediaOf(id, c, path));
      }
      if (media.isPresent()) {
        sources.add(new LinearTimeline.Source(i, media.get(), prefix + item + '/' + folder));
      }
    }
    LinearTimeline timeline = null;
    if (sources.isEmpty()) {
      LOG.warn("linear channel {}: none of its items can be played", id);
    } else {
      try {
        timeline = LinearTimeline.of(schedule, sources);
      } catch (IllegalArgumentException e) {
        LOG.warn("linear channel {}: {}", id, e.getMessage());
      }
    }
    // kept even when nothing plays, so that players polling it do not read every item again
    return Optional.of(new Built(schedule, null, timeline));
  }

  private boolean playable(String id, String item) {
    Optional<ChannelMetadata> m = catalog.get(item);
    String why = m.isEmpty() ? "it was deleted" : m.get().isLinear() ? "it is linear"
        : m.get().isPrivate() ? "it is private" : null;
    if (why != null) {
      LOG.warn("linear channel {}: item {} skipped: {}", id, item, why);
    }
    return why == null;
  }

  /** Item {@code item}'s media playlist at {@code path}; empty (logged) when it has none. */
  private Optional<MediaPlaylist> mediaOf(String id, String item, String path) {
    if (!playable(id, item)) {
      return Optional.empty();
    }
    try {
      Optional<Playlist> p = readPlaylist(item + '/' + path);
      if (p.isPresent() && p.get() instanceof MediaPlaylist m && !m.iFramesOnly()) {
        return Optional.of(m);
      }
      LOG.warn("linear channel {}: item {} skipped: it has no media playlist {}", id, item,
          path);
    } catch (PlaylistParseException e) {
      LOG.warn("linear channel {}: item {} skipped: {}", id, item, e.getMessage());
    }
    return Optional.empty();
  }

  private Optional<Playlist> readPlaylist(String key) {
    Optional<ObjectStream> read = store.read(key);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    try (ObjectStream o = read.get(); InputStream in = o.content()) {
      byte[] bytes = in.readNBytes(MAX_PLAYLIST_BYTES + 1);
      if (bytes.length > MAX_PLAYLIST_BYTES) {
        throw new PlaylistParseException(0, key + " is over " + MAX_PLAYLIST_BYTES + " bytes");
      }
      return Optional.of(PlaylistParser.lenient().parse(
          new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new StorageException("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  /** The multivariant playlist of an item as the linear channel offers it. */
  private static MultivariantPlaylist forLive(MultivariantPlaylist m) {
    // I-frame and image playlists of the items are on demand, and a start point would move the
    // join away from the live edge
    return new MultivariantPlaylist(m.variants(), List.of(), List.of(), m.renditions(),
        m.sessionData(), m.independentSegments(), Optional.empty(), m.declaredVersion(),
        m.unknownTags());
  }

  private static int depth(String path) {
    int d = 0;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        d++;
      }
    }
    return d;
  }
}
