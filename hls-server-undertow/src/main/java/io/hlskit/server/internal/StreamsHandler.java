package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageException;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.crypto.ContentKey;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.linear.LinearPlaylists;
import io.hlskit.core.live.LiveEdge;
import java.util.concurrent.ScheduledExecutorService;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.MediaTypes;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.core.store.ObjectStream;
import io.hlskit.core.store.StoredObject;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.DateUtils;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Date;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;

/**
 * {@code GET}/{@code HEAD /streams/{channel}/{key}}: objects of published channels, with media
 * types, entity tags, conditional requests, single byte ranges and cache headers; files of a
 * local store go out with {@code sendfile}.
 *
 * <p>Slow readers: a whole local file is sent by the connection's I/O thread as the socket
 * drains, so a client that reads a byte at a time holds a connection and an open file, never a
 * worker thread. Every answer that carries an object also has a deadline (a grace period plus
 * its length at a minimum rate, {@link SendDeadline}); a client still reading then is cut off,
 * which also frees a worker held by a slow read from a remote store.
 *
 * <p>A linear channel's playlists are computed from the clock ({@link LinearStreams}); its
 * poster is stored, and its segments are its items'.
 */
public final class StreamsHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(StreamsHandler.class);

  /**
   * Playlists are read by every player every few seconds and are small: they are kept in memory
   * for a second and answered on the I/O thread, with no storage access and no hand-off to a
   * worker thread. A republished playlist is seen at most a second late.
   */
  private static final long SMALL_FOR_NANOS = 1_000_000_000L;
  private static final int SMALL_MAX_BYTES = 256 * 1024;
  private static final int SMALL_MAX_ENTRIES = 4096;

  private record Small(ObjectInfo info, byte[] bytes, long loadedAt) {}

  /** Playlists and posters of private channels: for the one viewer, revalidated. */
  private static final String PRIVATE_CACHE = "private, no-cache";
  private static final int MAX_REWRITTEN_BYTES = 16 * 1024 * 1024;

  private final MediaStore store;
  private final ChannelCatalog catalog;
  private final AccessPolicy access;
  private final SendDeadline deadline;
  private final LinearStreams linear;
  private final Map<String, Small> small = new ConcurrentHashMap<>();
  private final boolean cork;
  private final LiveWaits waits;
  private final LowLatencyPlaylists lowLatency;
  /** Live parts read once for all their players; null on a store on this machine. */
  private final LiveParts liveParts;
  /**
   * The smallest range answer sent corked. A range goes out through Undertow's conduit, which
   * writes the head with the file's first 16 KB read through the heap; corked, that costs 200 KB
   * answers 1.4x the CPU (benchmarks/README.md), so only large ones are. Whole files are always
   * corked, head first ({@link FileSend}).
   */
  static final long CORK_MIN_BYTES = 1024 * 1024;

  public StreamsHandler(MediaStore store, AccessPolicy access) {
    this(store, access, SendDeadline.DEFAULT, LinearPlaylists.of(store), true, null, null);
  }

  /**
   * A handler of {@code store}'s channels.
   *
   * @param linear the playlists of linear channels, built over {@code store}
   * @param cork whether local files are sent corked ({@link TcpCork})
   * @param edge where live playlists announce their new parts, for Low-Latency HLS's blocking
   *     requests; null to answer them at once from the store
   * @param timer where held requests time out; null with {@code edge}
   */
  public StreamsHandler(MediaStore store, AccessPolicy access, SendDeadline deadline,
      LinearPlaylists linear, boolean cork, LiveEdge edge, ScheduledExecutorService timer) {
    this.cork = cork;
    this.waits = edge == null ? null : new LiveWaits(edge, timer, small::remove);
    this.lowLatency = waits == null ? null : new LowLatencyPlaylists(store, waits);
    this.store = store;
    this.liveParts = store.isLocal() ? null : new LiveParts(store);
    this.catalog = store.channels();
    this.access = access;
    this.deadline = deadline;
    this.linear = new LinearStreams(linear, Clock.systemUTC());
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
    if ((head || exchange.getRequestMethod().equals(Methods.GET))
        && !exchange.getRequestHeaders().contains(Headers.RANGE)
        && !LowLatencyPlaylists.asks(exchange)) {
      // the fast paths, on the I/O thread; the path is parsed once for both
      Optional<String> key = StreamPaths.key(exchange.getRequestURI(), exchange.getRelativePath());
      if (key.isPresent() && (fromMemory(exchange, key.get(), head)
          || !head && safely(exchange, ex -> fromLocalFile(ex, key.get())))) {
        return;
      }
    }
    // storage and file I/O block: leave the I/O thread
    exchange.dispatch(() -> safely(exchange, ex -> {
      handleBlocking(ex);
      return true;
    }));
  }

  /** Work on an exchange that may fail as storage and sockets do; true when it answered. */
  @FunctionalInterface
  private interface Work {
    boolean handle(HttpServerExchange exchange) throws IOException;
  }

  /** Runs {@code work}, answering or cutting the connection when it fails. */
  private static boolean safely(HttpServerExchange exchange, Work work) {
    try {
      return work.handle(exchange);
    } catch (StorageException e) {
      LOG.warn("storage failed on {}: {}", exchange.getRequestPath(), e.getMessage());
      if (exchange.isResponseStarted()) {
        IoUtils.safeClose(exchange.getConnection()); // the client sees a short body, not a lie
      } else {
        Responses.error(exchange, 503, "storage_unavailable",
            "the media store could not be read; try again shortly");
      }
    } catch (IOException e) {
      LOG.debug("sending {} failed: {}", exchange.getRequestPath(), e.toString());
      IoUtils.safeClose(exchange.getConnection());
    } catch (RuntimeException e) {
      LOG.error("serving {} failed", exchange.getRequestPath(), e);
      Responses.error(exchange, 500, "internal_error", "the server failed; see its log");
    }
    return true;
  }

  /**
   * Sends a whole segment (or other non-playlist object) of a public channel in a local store
   * from the I/O thread, as nginx does: the file is opened and {@code sendfile} (or, under TLS,
   * the first chunk's read and encryption) started here, with no hand-off to a worker and back.
   * The hand-off costs two context switches a request, and more on a busy core: a worker that
   * ends an exchange holds a state the connection's I/O thread spins on when the next request
   * arrives meanwhile. False to take the normal path: ranges, HEAD, private or linear channels,
   * playlists, remote stores, and HTTP/2: Undertow runs its streams' handlers on workers
   * already, so there is no hand-off to save, and a client opening and resetting streams in a
   * loop (rapid reset) had each read its first chunk at once, faster than Undertow's reset limit
   * closes the connection (the heap grew by 400 MB under load).
   */
  private boolean fromLocalFile(HttpServerExchange exchange, String key) throws IOException {
    if (!store.isLocal() || MediaTypes.forKey(key).equals(MediaTypes.PLAYLIST)
        || exchange.getProtocol().equals(Protocols.HTTP_2_0)) {
      return false;
    }
    String channel = key.substring(0, key.indexOf('/'));
    Optional<ChannelMetadata> published = catalog.get(channel);
    if (published.isEmpty() || published.get().isPrivate()
        || ContentKey.isKeyObject(key.substring(channel.length() + 1))) {
      return false; // the normal path says why, or checks what these need
    }
    if (Responses.refused(exchange, access.mayWatch(ExchangeAccess.of(exchange),
        published.get()))) {
      return true;
    }
    Optional<StoredObject> found = store.open(key);
    if (found.isEmpty() || found.get().localFile().isEmpty()) {
      return false;
    }
    StoredObject o = found.get();
    serve(exchange, o.info(), o.localFile(), (start, length) -> o.stream(), false);
    return true;
  }

  /**
   * Answers a GET or HEAD (no range) of {@code key} from the playlist cache when it can; false
   * to take the normal path.
   */
  private boolean fromMemory(HttpServerExchange exchange, String key, boolean head) {
    Small cached = small.get(key);
    if (cached == null && liveParts != null) {
      LiveParts.Part part = liveParts.recent(key);
      cached = part == null ? null : new Small(part.info(), part.bytes(), part.readAt());
    }
    if (cached == null || System.nanoTime() - cached.loadedAt() > SMALL_FOR_NANOS) {
      return false;
    }
    String channel = key.substring(0, key.indexOf('/'));
    Optional<ChannelMetadata> published = catalog.get(channel);
    if (published.isEmpty()) {
      small.remove(key);
      return false; // the normal path says why
    }
    if (published.get().isPrivate()) {
      return false; // checking a token may block (a JWK set to fetch); and see servePrivate
    }
    if (Responses.refused(exchange, access.mayWatch(ExchangeAccess.of(exchange),
        published.get()))) {
      return true;
    }
    serveSmall(exchange, cached, head);
    return true;
  }

  private void serveSmall(HttpServerExchange exchange, Small s, boolean head) {
    String etag = putHeaders(exchange.getResponseHeaders(), s.info());
    if (notModified(exchange, etag, s.info())) {
      exchange.setStatusCode(304);
      exchange.endExchange();
      return;
    }
    Responses.bytes(exchange, s.bytes(), head);
  }

  /** Reads a playlist whole into the cache, or null when it is not one or too large. */
  private Small remember(String key, ObjectStream whole) throws IOException {
    ObjectInfo info = whole.info();
    if (!info.contentType().equals(MediaTypes.PLAYLIST) || info.length() > SMALL_MAX_BYTES) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = whole.localFile().isPresent()
        ? java.nio.file.Files.newInputStream(whole.localFile().get()) : whole.content()) {
      bytes = in.readNBytes(SMALL_MAX_BYTES + 1);
    }
    if (bytes.length != info.length()) {
      return null; // replaced while being read: not worth keeping
    }
    if (small.size() >= SMALL_MAX_ENTRIES) {
      small.clear(); // crude, and bounded: a burst of new playlists refills it
    }
    Small s = new Small(info, bytes, System.nanoTime());
    small.put(key, s);
    return s;
  }

  private void handleBlocking(HttpServerExchange exchange) throws IOException {
    boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
    if (!head && !exchange.getRequestMethod().equals(Methods.GET)) {
      exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
      Responses.error(exchange, 405, "method_not_allowed", "streams are read with GET or HEAD");
      return;
    }
    Optional<String> key = StreamPaths.key(exchange.getRequestURI(), exchange.getRelativePath());
    if (key.isEmpty()) {
      Responses.error(exchange, 400, "bad_path", "the path is not a channel object: use"
          + " /streams/{channel}/{file} with plain names");
      return;
    }
    String channel = key.get().substring(0, key.get().indexOf('/'));
    Optional<ChannelMetadata> published = catalog.get(channel);
    if (published.isEmpty()) {
      Responses.error(exchange, 404, "not_found", "no published channel " + channel);
      return;
    }
    String relative = key.get().substring(channel.length() + 1);
    if (ContentKey.isKeyObject(relative)) {
      notFound(exchange, channel, key.get()); // keys go out through /api/keys only
      return;
    }
    if (Responses.refused(exchange, access.mayWatch(ExchangeAccess.of(exchange),
        published.get()))) {
      return;
    }
    if (published.get().isLinear() && MediaTypes.forKey(relative).equals(MediaTypes.PLAYLIST)) {
      linear.serve(exchange, published.get(), relative, head);
      return;
    }
    if (lowLatency != null && !published.get().isPrivate()
        && lowLatency.handle(exchange, published.get(), key.get(), head)) {
      return;
    }
    if (published.get().isPrivate() && servePrivate(exchange, key.get(), head)) {
      return;
    }
    if (MediaTypes.cacheControl(key.get()).equals(MediaTypes.CACHE_IMMUTABLE)) {
      // media the store can hand out itself (a CDN, the bucket) goes there: no bytes through us
      Optional<URI> direct = store.publicUrl(key.get());
      if (direct.isPresent()) {
        exchange.setStatusCode(302);
        exchange.getResponseHeaders().put(Headers.LOCATION, direct.get().toString());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, MediaTypes.CACHE_IMMUTABLE);
        exchange.endExchange();
        return;
      }
    }
    HeaderMap in = exchange.getRequestHeaders();
    if (!head && !in.contains(Headers.RANGE) && !in.contains(Headers.IF_NONE_MATCH)
        && !in.contains(Headers.IF_MODIFIED_SINCE)) {
      if (liveParts != null && !published.get().isPrivate() && LiveParts.isPart(key.get())) {
        Optional<LiveParts.Part> part = liveParts.read(key.get());
        if (part.isPresent()) {
          LiveParts.Part p = part.get();
          serveSmall(exchange, new Small(p.info(), p.bytes(), p.readAt()), false);
          return;
        }
      }
      // what players send for segments: one round trip to a remote store, not two
      Optional<ObjectStream> read = store.read(key.get());
      if (read.isEmpty()) {
        if (lowLatency == null || published.get().isPrivate()
            || !lowLatency.holdMissingPart(exchange, published.get(), key.get(), head)) {
          notFound(exchange, channel, key.get());
        }
        return;
      }
      try (ObjectStream whole = read.get()) {
        Small s = remember(key.get(), whole);
        if (s != null) {
          serveSmall(exchange, s, false);
        } else {
          serve(exchange, whole.info(), whole.localFile(), (start, length) -> whole.content(),
              false);
        }
      }
      return;
    }
    Optional<StoredObject> found = store.open(key.get());
    if (found.isEmpty()) {
      notFound(exchange, channel, key.get());
      return;
    }
    StoredObject o = found.get();
    serve(exchange, o.info(), o.localFile(), (start, length) ->
        start == 0 && length == o.info().length() ? o.stream() : o.stream(start, length), head);
  }

  /**
   * A private channel's playlists and poster: never stored by shared caches, and a playlist
   * fetched with {@code ?token=} lists every URI with the token, so that a player given only
   * that URL can play. Segments are encrypted and take the normal path (false).
   */
  private boolean servePrivate(HttpServerExchange exchange, String key, boolean head)
      throws IOException {
    if (MediaTypes.cacheControl(key).equals(MediaTypes.CACHE_IMMUTABLE)) {
      return false;
    }
    Deque<String> tokens = exchange.getQueryParameters().get(AccessRequest.TOKEN_PARAMETER);
    String token = tokens == null ? null : tokens.peekFirst();
    if (token == null || token.isEmpty() || !MediaTypes.forKey(key).equals(MediaTypes.PLAYLIST)) {
      exchange.addResponseCommitListener(ex ->
          ex.getResponseHeaders().put(Headers.CACHE_CONTROL, PRIVATE_CACHE));
      return false;
    }
    Optional<ObjectStream> read = store.read(key);
    if (read.isEmpty()) {
      notFound(exchange, key.substring(0, key.indexOf('/')), key);
      return true;
    }
    String playlist;
    ObjectInfo info;
    try (ObjectStream whole = read.get(); InputStream in = whole.content()) {
      info = whole.info();
      playlist = new String(in.readNBytes(MAX_REWRITTEN_BYTES), StandardCharsets.UTF_8);
    }
    byte[] body = PlaylistTokens.withToken(playlist, AccessRequest.TOKEN_PARAMETER, token)
        .getBytes(StandardCharsets.UTF_8);
    HeaderMap out = exchange.getResponseHeaders();
    out.put(Headers.CACHE_CONTROL, "private, no-store");
    out.put(Headers.CONTENT_TYPE, info.contentType());
    out.put(Headers.LAST_MODIFIED, HttpDates.format(info.lastModified()));
    Responses.bytes(exchange, body, head);
    return true;
  }

  private static void notFound(HttpServerExchange exchange, String channel, String key) {
    Responses.error(exchange, 404, "not_found", "channel " + channel + " has no "
        + key.substring(channel.length() + 1));
  }

  /** Opens {@code length} bytes of an object from {@code start}. */
  @FunctionalInterface
  private interface Content {
    InputStream open(long start, long length);
  }

  private void serve(HttpServerExchange exchange, ObjectInfo info, Optional<Path> file,
      Content content, boolean head) throws IOException {
    HeaderMap out = exchange.getResponseHeaders();
    String etag = putHeaders(out, info);

    if (notModified(exchange, etag, info)) {
      exchange.setStatusCode(304);
      exchange.endExchange();
      return;
    }
    String ifRange = exchange.getRequestHeaders().getFirst(Headers.IF_RANGE);
    String rangeHeader = ifRange == null || ifRange.equals(etag)
        ? exchange.getRequestHeaders().getFirst(Headers.RANGE) : null;
    HttpRange.Parsed range = HttpRange.parse(rangeHeader, info.length());
    long start = 0;
    long length = info.length();
    switch (range.kind()) {
      case UNSATISFIABLE:
        out.put(Headers.CONTENT_RANGE, "bytes */" + info.length());
        Responses.error(exchange, 416, "range_not_satisfiable", "the range lies outside the "
            + info.length() + " bytes of " + info.key());
        return;
      case PARTIAL:
        HttpRange r = range.range().orElseThrow();
        start = r.start();
        length = r.length();
        exchange.setStatusCode(206);
        out.put(Headers.CONTENT_RANGE, "bytes " + r.start() + "-" + r.end() + "/" + info.length());
        break;
      default:
        exchange.setStatusCode(200);
    }
    exchange.setResponseContentLength(length);
    if (head) {
      exchange.endExchange();
      return;
    }
    deadline.start(exchange, length);
    if (file.isPresent() && exchange.getConnection().getSslSessionInfo() != null) {
      // encrypted (TLS, HTTP/2): no sendfile; large chunks from the I/O thread. (XNIO's
      // blocking file transfer through TLS also sent bytes past a range.)
      FileChunks.send(exchange, file.get(), start, length);
      return;
    }
    if (file.isPresent() && start == 0 && length == info.length()) {
      sendAsync(exchange, file.get(), length);
      return;
    }
    StreamSinkChannel sink = exchange.getResponseChannel();
    if (file.isPresent()) {
      int corked = cork && length >= CORK_MIN_BYTES ? TcpCork.cork(exchange) : -1;
      try (FileChannel source = FileChannel.open(file.get(), StandardOpenOption.READ)) {
        // positioned too: Undertow's conduits fall back to plain reads from the channel's own
        // position while the response head is still buffered
        source.position(start);
        Channels.transferBlocking(sink, source, start, length); // sendfile
        Channels.flushBlocking(sink);
      } finally {
        TcpCork.uncork(corked);
      }
    } else {
      try (InputStream in = content.open(start, length)) {
        byte[] buffer = new byte[64 * 1024];
        long remaining = length;
        int n;
        while (remaining > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining)))
            > 0) {
          Channels.writeBlocking(sink, ByteBuffer.wrap(buffer, 0, n));
          remaining -= n;
        }
        if (remaining > 0) {
          throw new HlsException(info.key() + " ended " + remaining + " bytes early");
        }
      }
    }
    Channels.shutdownWritesBlocking(sink);
    exchange.endExchange();
  }

  /**
   * Sends a whole file of {@code length} bytes (as the headers say) with {@code sendfile},
   * continuing on the I/O thread as the socket drains ({@link FileSend}); a worker thread
   * calling this returns at once.
   */
  private void sendAsync(HttpServerExchange exchange, Path file, long length)
      throws IOException {
    FileChannel source = FileChannel.open(file, StandardOpenOption.READ);
    try {
      int corked = cork ? TcpCork.cork(exchange) : -1;
      // every byte is with the kernel once the exchange completes: let the last packet go
      FileSend.send(exchange, source, length, corked >= 0, () -> TcpCork.uncork(corked));
    } catch (IOException | RuntimeException e) {
      IoUtils.safeClose(source);
      throw e;
    }
  }

  /** The headers every answer about an object carries; returns its quoted ETag. */
  private String putHeaders(HeaderMap out, ObjectInfo info) {
    String etag = "\"" + info.etag() + "\"";
    out.put(Headers.ETAG, etag);
    out.put(Headers.LAST_MODIFIED, HttpDates.format(info.lastModified()));
    out.put(Headers.CACHE_CONTROL, cacheControl(info));
    out.put(Headers.ACCEPT_RANGES, "bytes");
    out.put(Headers.CONTENT_TYPE, info.contentType());
    return etag;
  }

  /**
   * A live channel's playlists may be held half a segment (a CDN in front then asks once per
   * half segment whatever the audience); everything else as {@link MediaTypes#cacheControl}.
   */
  private String cacheControl(ObjectInfo info) {
    String key = info.key();
    if (info.contentType().equals(MediaTypes.PLAYLIST)) {
      int slash = key.indexOf('/');
      Optional<ChannelMetadata> m = slash > 0 ? catalog.get(key.substring(0, slash))
          : Optional.empty();
      if (m.isPresent() && m.get().live().filter(LiveSettings::lowLatency).isPresent()) {
        return "no-cache"; // it moves with every part; players then block for the next
      }
      if (m.isPresent() && m.get().live().isPresent()) {
        long half = m.get().live().get().segmentDuration().toMillis() / 2000;
        return "public, max-age=" + Math.max(1, half);
      }
    }
    return MediaTypes.cacheControl(key);
  }

  /** Stops holding requests: those held are answered 503. */
  public void close() {
    if (waits != null) {
      waits.close();
    }
  }

  /** How many Low-Latency HLS requests are held now. */
  public int held() {
    return waits == null ? 0 : waits.waiting();
  }

  private static boolean notModified(HttpServerExchange exchange, String etag, ObjectInfo info) {
    if (exchange.getRequestHeaders().contains(Headers.IF_NONE_MATCH)) {
      return Responses.matchesIfNoneMatch(exchange, etag);
    }
    String ims = exchange.getRequestHeaders().getFirst(Headers.IF_MODIFIED_SINCE);
    if (ims != null) {
      Date since = DateUtils.parseDate(ims);
      return since != null && info.lastModified().getEpochSecond() <= since.getTime() / 1000;
    }
    return false;
  }

}
