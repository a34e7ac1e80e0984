package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.Skip;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.MediaTypes;
import io.hlskit.core.store.ObjectStream;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Low-Latency HLS requests of a live channel (HLS 2nd edition, section 6.2.5): a media playlist
 * asked with {@code _HLS_msn} (and {@code _HLS_part}) is held until it holds that segment (or
 * part), answered 400 when that is more than two segments past its end and 503 when three target
 * durations pass first; {@code _HLS_skip=YES} or {@code v2} answers a delta update; a part
 * hinted with {@code EXT-X-PRELOAD-HINT} that is not written yet is held until it is.
 *
 * <p>Answers are read from the store after the edge moved, so every instance on the same store
 * answers the same bytes. Held requests take no thread: they wait in {@link LiveWaits}.
 */
public final class LowLatencyPlaylists {
  private static final Pattern PART = Pattern.compile("([^/]+)/seg_(\\d+)\\.(\\d+)\\.(ts|m4s)");
  /** A playlist read right after its announcement may be a store's older copy: read again. */
  private static final int STALE_READS = 3;

  /**
   * How long a read of a live playlist answers the requests that come for it: the requests a
   * new part wakes arrive within milliseconds of each other, and share one read of the store,
   * one parse and one delta update, however many players wait.
   */
  private static final long SNAPSHOT_NANOS = 200_000_000L;
  private static final int MAX_SNAPSHOTS = 4096;

  private final MediaStore store;
  private final LiveWaits waits;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Object> loading = new ConcurrentHashMap<>();

  public LowLatencyPlaylists(MediaStore store, LiveWaits waits) {
    this.store = store;
    this.waits = waits;
  }

  /** One read of a live playlist: its bytes, what they say, and its delta updates once made. */
  private static final class Snapshot {
    final byte[] bytes;
    final MediaPlaylist playlist;
    final LiveEdge.Position edge;
    final long readAt;
    volatile byte[] delta;
    volatile byte[] deltaV2;

    Snapshot(byte[] bytes, MediaPlaylist playlist, LiveEdge.Position edge, long readAt) {
      this.bytes = bytes;
      this.playlist = playlist;
      this.edge = edge;
      this.readAt = readAt;
    }

    /** The body for {@code ask}: the playlist, or its delta update, made once. */
    byte[] body(Ask ask) {
      if (ask.skip().isEmpty()) {
        return bytes;
      }
      boolean v2 = ask.skip().get().equals("v2");
      byte[] made = v2 ? deltaV2 : delta;
      if (made == null) {
        made = PlaylistWriter.write(delta(playlist, v2)).getBytes(StandardCharsets.UTF_8);
        if (v2) {
          deltaV2 = made;
        } else {
          delta = made;
        }
      }
      return made;
    }
  }

  /** What a request asks of a live playlist: {@code _HLS_msn}, {@code _HLS_part}, skip. */
  record Ask(long msn, long part, Optional<String> skip) {
    boolean blocking() {
      return msn >= 0;
    }
  }

  /** Whether the request carries Low-Latency HLS's query. */
  public static boolean asks(HttpServerExchange exchange) {
    var q = exchange.getQueryParameters();
    return q.containsKey("_HLS_msn") || q.containsKey("_HLS_part") || q.containsKey("_HLS_skip");
  }

  private static Ask ask(HttpServerExchange exchange) {
    var q = exchange.getQueryParameters();
    long msn = number(q.get("_HLS_msn"), "_HLS_msn");
    long part = number(q.get("_HLS_part"), "_HLS_part");
    if (part >= 0 && msn < 0) {
      throw new IllegalArgumentException("_HLS_part needs _HLS_msn, the segment it counts in");
    }
    Optional<String> skip = Optional.ofNullable(q.get("_HLS_skip")).map(Deque::getFirst);
    if (skip.isPresent() && !skip.get().equals("YES") && !skip.get().equals("v2")) {
      throw new IllegalArgumentException("_HLS_skip must be YES or v2, not '" + skip.get() + "'");
    }
    return new Ask(msn, part, skip);
  }

  private static long number(Deque<String> values, String name) {
    if (values == null) {
      return -1;
    }
    String v = values.getFirst();
    if (values.size() > 1 || v.isEmpty() || v.length() > 18 || !v.chars().allMatch(
        Character::isDigit)) {
      throw new IllegalArgumentException(name + " must be one non-negative integer, not '"
          + String.join("', '", values) + "'");
    }
    return Long.parseLong(v);
  }

  /**
   * Answers {@code key} of live channel {@code channel} when it is one of its media playlists
   * asked with Low-Latency HLS's query; false to take the normal path. Runs on a worker, in the
   * exchange's call.
   */
  public boolean handle(HttpServerExchange exchange, ChannelMetadata channel, String key,
      boolean head) throws IOException {
    Optional<LiveSettings> live = channel.live();
    if (live.isEmpty() || !live.get().lowLatency()) {
      return false;
    }
    String relative = key.substring(channel.id().length() + 1);
    if (relative.endsWith("/index.m3u8") && asks(exchange)) {
      Ask ask;
      try {
        ask = ask(exchange);
      } catch (IllegalArgumentException e) {
        Responses.error(exchange, 400, "bad_query", e.getMessage());
        return true;
      }
      playlist(exchange, live.get(), key, ask, head);
      return true;
    }
    return false;
  }

  /**
   * Holds a request for {@code key}, which the store does not have, when it is a part of a live
   * channel's low-latency playlist: the part a preload hint names is asked before it is
   * written. False when it is no such part (the caller answers 404). Runs on a worker, in the
   * exchange's call; asked only once the store said it has no such object, so that parts that
   * exist cost no second look.
   */
  public boolean holdMissingPart(HttpServerExchange exchange, ChannelMetadata channel,
      String key, boolean head) {
    Optional<LiveSettings> live = channel.live().filter(LiveSettings::lowLatency);
    Matcher m = PART.matcher(key.substring(channel.id().length() + 1));
    if (live.isEmpty() || !m.matches()) {
      return false;
    }
    hintedPart(exchange, channel, live.get(), key, m.group(1), head);
    return true;
  }

  private void playlist(HttpServerExchange exchange, LiveSettings live, String key, Ask ask,
      boolean head) throws IOException {
    LiveEdge.Position now = known(key).orElse(null);
    if (now == null) {
      Responses.error(exchange, 404, "not_found", "no live playlist " + key + " yet");
      return;
    }
    if (!ask.blocking() || now.holds(ask.msn(), ask.part())) {
      answer(exchange, key, ask, head, 0);
      return;
    }
    if (ask.msn() > now.msn() + 2) {
      Responses.error(exchange, 400, "too_far_ahead", "_HLS_msn=" + ask.msn() + " is more than"
          + " two segments past the playlist's last (" + now.msn() + "); ask for one nearer");
      return;
    }
    long timeout = live.segmentDuration().multipliedBy(3).toNanos();
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> waits.await(key,
        p -> p.holds(ask.msn(), ask.part()), timeout,
        satisfied -> resume(exchange, ex -> {
          if (satisfied) {
            answer(ex, key, ask, head, 0);
          } else {
            Responses.error(ex, 503, "not_yet", "segment " + ask.msn()
                + (ask.part() >= 0 ? " part " + ask.part() : "") + " did not come within three"
                + " target durations; the broadcast may have stalled: reload the playlist");
          }
        })));
  }

  /** The edge of {@code key}: the last announced, or read from the store. */
  private Optional<LiveEdge.Position> known(String key) throws IOException {
    Optional<LiveEdge.Position> p = waits.position(key);
    if (p.isPresent()) {
      return p;
    }
    Optional<MediaPlaylist> stored = read(key).map(this::parse);
    stored.ifPresent(pl -> waits.remember(edgeOf(key, pl)));
    return stored.map(pl -> edgeOf(key, pl));
  }

  private MediaPlaylist parse(byte[] bytes) {
    return PlaylistParser.lenient().parseMedia(new String(bytes, StandardCharsets.UTF_8));
  }

  static LiveEdge.Position edgeOf(String key, MediaPlaylist p) {
    String[] parts = key.split("/");
    long open = p.mediaSequence() + p.skip().map(Skip::skippedSegments).orElse(0L)
        + p.segments().size();
    if (p.openSegment().isPresent()) {
      return new LiveEdge.Position(parts[0], parts[1], open,
          p.openSegment().get().parts().size() - 1, false, p.endList());
    }
    MediaSegment last = p.segments().isEmpty() ? null : p.segments().get(p.segments().size() - 1);
    return new LiveEdge.Position(parts[0], parts[1], Math.max(0, open - 1),
        last == null ? -1 : last.parts().size() - 1, last != null, p.endList());
  }

  private Optional<byte[]> read(String key) throws IOException {
    Optional<ObjectStream> o = store.read(key);
    if (o.isEmpty()) {
      return Optional.empty();
    }
    try (ObjectStream s = o.get(); InputStream in = s.content()) {
      return Optional.of(in.readAllBytes());
    }
  }

  /** Sends the stored playlist, as a delta update when asked, once it holds what was asked. */
  private void answer(HttpServerExchange exchange, String key, Ask ask, boolean head,
      int attempt) throws IOException {
    Snapshot snapshot;
    try {
      snapshot = snapshot(key, ask);
    } catch (HlsException e) {
      Responses.error(exchange, 502, "bad_playlist", "the stored playlist " + key
          + " cannot be read: " + e.getMessage());
      return;
    }
    if (snapshot == null) {
      Responses.error(exchange, 404, "not_found", "no live playlist " + key);
      return;
    }
    if (ask.blocking() && !snapshot.edge.holds(ask.msn(), ask.part())
        && attempt < STALE_READS) {
      // announced, but this read of the store came first: a moment later it has it
      snapshots.remove(key, snapshot);
      try {
        Thread.sleep(5L << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(exchange, key, ask, head, attempt + 1);
      return;
    }
    MediaPlaylist p = snapshot.playlist;
    byte[] body = snapshot.body(ask);
    var out = exchange.getResponseHeaders();
    out.put(Headers.CONTENT_TYPE, MediaTypes.PLAYLIST);
    // an answer to a blocking request names its part in the query: a CDN may keep it as long
    // as the segments it lists stay; the plain playlist moves with every part
    out.put(Headers.CACHE_CONTROL, ask.blocking()
        ? "public, max-age=" + Math.max(1, p.targetDuration() * 6L) : "no-cache");
    Responses.bytes(exchange, body, head);
  }

  /**
   * A read of {@code key} that answers {@code ask}: the last one when it is recent, at or past
   * the edge last announced and holds what is asked; else a new one, made by one request while
   * the others woken with it wait for it. Null when the store has no such playlist.
   */
  private Snapshot snapshot(String key, Ask ask) throws IOException {
    Snapshot s = snapshots.get(key);
    if (usable(s, key, ask)) {
      return s;
    }
    synchronized (loading.computeIfAbsent(key, k -> new Object())) {
      s = snapshots.get(key);
      if (usable(s, key, ask)) {
        return s;
      }
      Optional<byte[]> bytes = read(key);
      if (bytes.isEmpty()) {
        snapshots.remove(key);
        return null;
      }
      MediaPlaylist p = parse(bytes.get());
      s = new Snapshot(bytes.get(), p, edgeOf(key, p), System.nanoTime());
      if (snapshots.size() >= MAX_SNAPSHOTS) {
        snapshots.clear(); // bounded: the live playlists asked now come back at once
        loading.clear();
      }
      snapshots.put(key, s);
      return s;
    }
  }

  private boolean usable(Snapshot s, String key, Ask ask) {
    if (s == null || System.nanoTime() - s.readAt > SNAPSHOT_NANOS) {
      return false;
    }
    if (ask.blocking() && !s.edge.holds(ask.msn(), ask.part())) {
      return false;
    }
    Optional<LiveEdge.Position> latest = waits.position(key);
    return latest.isEmpty() || !before(s.edge, latest.get());
  }

  /** Whether edge {@code a} comes before {@code b} in the same playlist. */
  static boolean before(LiveEdge.Position a, LiveEdge.Position b) {
    if (a.msn() != b.msn()) {
      return a.msn() < b.msn();
    }
    if (a.part() != b.part()) {
      return a.part() < b.part();
    }
    if (a.complete() != b.complete()) {
      return !a.complete();
    }
    return !a.ended() && b.ended();
  }

  /**
   * The delta update of {@code p}: the segments older than its {@code CAN-SKIP-UNTIL} from the
   * end replaced with {@code EXT-X-SKIP}, as every instance computes it alike.
   */
  static MediaPlaylist delta(MediaPlaylist p, boolean dateRanges) {
    Optional<Duration> until = p.serverControl().flatMap(c -> c.canSkipUntil());
    if (until.isEmpty() || p.skip().isPresent()) {
      return p;
    }
    long fromEnd = 0;
    int keep = 0;
    List<MediaSegment> segments = p.segments();
    for (int i = segments.size() - 1; i >= 0 && fromEnd < until.get().toNanos(); i--) {
      fromEnd += segments.get(i).duration().toNanos();
      keep++;
    }
    int skipped = segments.size() - keep;
    if (skipped <= 0) {
      return p;
    }
    List<MediaSegment> kept = new ArrayList<>(segments.subList(skipped, segments.size()));
    return p.toBuilder().segments(kept)
        .skip(new Skip(skipped, dateRanges ? Optional.of(List.of()) : Optional.empty()))
        .version(Math.max(9, p.version()))
        .build();
  }

  private void hintedPart(HttpServerExchange exchange, ChannelMetadata channel,
      LiveSettings live, String key, String rendition, boolean head) {
    String playlist = channel.id() + "/" + rendition + "/index.m3u8";
    LiveEdge.Position now = waits.position(playlist).orElse(null);
    if (now == null || now.ended()) {
      Responses.error(exchange, 404, "not_found", "no part " + key);
      return;
    }
    long timeout = live.segmentDuration().multipliedBy(3).toNanos();
    // the hinted part is the next one: it is in the store once the edge passes the one now
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> waits.await(playlist,
        p -> !p.equals(now), timeout, satisfied -> resume(exchange, ex -> {
          Optional<ObjectStream> part = store.read(key);
          if (part.isEmpty()) {
            Responses.error(ex, satisfied ? 404 : 503, satisfied ? "not_found" : "not_yet",
                "no part " + key + (satisfied ? "" : " within three target durations"));
            return;
          }
          try (ObjectStream s = part.get(); InputStream in = s.content()) {
            var out = ex.getResponseHeaders();
            out.put(Headers.CONTENT_TYPE, s.info().contentType());
            out.put(Headers.CACHE_CONTROL, MediaTypes.cacheControl(key));
            out.put(Headers.ETAG, "\"" + s.info().etag() + "\"");
            Responses.bytes(ex, in.readAllBytes(), head);
          }
        })));
  }

  @FunctionalInterface
  private interface Work {
    void run(HttpServerExchange exchange) throws IOException;
  }

  /** Goes on with a held exchange on a worker, as its handler again. */
  private static void resume(HttpServerExchange exchange, Work work) {
    exchange.getConnection().getWorker().execute(() -> Connectors.executeRootHandler(ex -> {
      try {
        work.run(ex);
      } catch (IOException | RuntimeException e) {
        Responses.error(ex, 503, "storage_unavailable", "the live playlist could not be read ("
            + e.getMessage() + "); try again shortly");
      }
    }, exchange));
  }
}
