package io.hlskit.server.internal;

import io.hlskit.core.channel.ChannelCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * Times every request and counts the bytes sent, by what was asked for ({@code kind}: segment,
 * playlist, key, api, chat, page) and the status answered, as {@code hlskit_http_requests_seconds}
 * and {@code hlskit_http_sent_bytes_total}; and tells {@link Viewers} who fetched a published
 * channel's media. The server's root handler calls {@link #returned} once the routes return;
 * what it measures reaches the registry at the next {@link #drain} (every 50 ms to 1 s, sooner
 * under load), in batches:
 * the serving threads only write into rings of their own ({@link SampleRings}).
 */
public final class HttpMetrics {
  /** The cookie a player may carry to be counted once however many requests it makes. */
  public static final String SESSION_COOKIE = "hlskit_session";
  /** The query parameter the page adds for the same. */
  public static final String SESSION_PARAMETER = "session";
  /** How often, at most, the serving threads' samples are passed to the registry. */
  public static final long DRAIN_MILLIS = 50;
  /** How long, at most, samples wait before they are passed to the registry. */
  public static final long MAX_DRAIN_MILLIS = 1000;
  private static final int MAX_SESSION_ID = 64;
  private static final String STREAMS = "/streams/";
  /**
   * The request timer's buckets: from a playlist answered from memory (under 100 us) to a large
   * segment sent to a slow player (seconds). Public for the benchmarks; do not change the array.
   */
  public static final Duration[] BUCKETS = Stream.of(100_000L, 250_000L, 500_000L, 1_000_000L,
      2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L, 100_000_000L, 250_000_000L,
      500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L,
      30_000_000_000L).map(Duration::ofNanos).toArray(Duration[]::new);

  private enum Kind {
    SEGMENT, PLAYLIST, KEY, API, CHAT, PAGE;

    static final Kind[] ALL = values();
    final String tag = name().toLowerCase(Locale.ROOT);
  }

  private final MeterRegistry registry;
  private final ChannelCatalog catalog;
  private final Viewers viewers;
  private final RecentlyCounted recent;
  /**
   * Whether requests may come through a trusted proxy, which gives each its own client address
   * on a shared connection; without one, a connection is one client and its address is fixed.
   */
  private final boolean proxied;
  /** By kind and status (100-599): found with two array reads, no boxing, no map. */
  private final AtomicReferenceArray<Timer> timers =
      new AtomicReferenceArray<>(Kind.ALL.length * STATUSES);
  private static final int STATUSES = 500;
  private final Counter[] sent = new Counter[Kind.ALL.length];
  private final SampleRings samples = new SampleRings();
  /** Bytes per kind of one drain, summed so that each counter is added to once; drainer's. */
  private final long[] drainedBytes = new long[Kind.ALL.length];

  /**
   * Records requests into {@code registry}.
   *
   * @param proxied whether trusted proxies are configured (each request may then carry its own
   *     client address)
   */
  public HttpMetrics(MeterRegistry registry, ChannelCatalog catalog, Viewers viewers,
      boolean proxied) {
    this.proxied = proxied;
    this.registry = registry;
    this.catalog = catalog;
    this.viewers = viewers;
    this.recent = new RecentlyCounted(viewers.refreshNanos());
    for (Kind k : Kind.ALL) {
      sent[k.ordinal()] = Counter.builder("hlskit.http.sent").baseUnit("bytes")
          .tag("kind", k.tag).description("response bytes sent").register(registry);
    }
  }

  /**
   * The routes returned from handling {@code exchange}, which began at {@code start} (nanoTime).
   * A response sent from memory is usually complete by now: measured at once, with no listener
   * to allocate and call. Otherwise the exchange was dispatched or waits for I/O, which only goes
   * on once the root handler has returned, so the listener cannot be late.
   */
  public void returned(HttpServerExchange exchange, long start) {
    Kind kind = kind(exchange.getRequestPath());
    if (exchange.isComplete()) {
      completed(exchange, kind, start, System.nanoTime());
    } else {
      exchange.addExchangeCompleteListener((ex, nextListener) -> {
        try {
          completed(ex, kind, start, System.nanoTime());
        } finally {
          nextListener.proceed();
        }
      });
    }
  }

  private static Kind kind(String path) {
    if (path.startsWith(STREAMS)) {
      return path.endsWith(".m3u8") ? Kind.PLAYLIST : Kind.SEGMENT;
    }
    if (path.startsWith("/api/keys/")) {
      return Kind.KEY;
    }
    if (path.startsWith("/api/")) {
      return Kind.API;
    }
    if (path.startsWith("/ws/")) {
      return Kind.CHAT;
    }
    return Kind.PAGE;
  }

  private void completed(HttpServerExchange exchange, Kind kind, long start, long end) {
    long nanos = end - start;
    int status = exchange.getStatusCode();
    int s = status >= 100 && status < 100 + STATUSES ? status : 599;
    int key = kind.ordinal() * STATUSES + (s - 100);
    long bytes = Math.max(0, exchange.getResponseBytesSent());
    if (!samples.offer(key, nanos, bytes)) {
      record(key, nanos, bytes); // this thread's ring is full: the drain is late
    }
    if ((kind == Kind.SEGMENT || kind == Kind.PLAYLIST) && status < 400) {
      countViewer(exchange, end);
    }
  }

  private void record(int key, long nanos, long bytes) {
    timer(key).record(nanos, TimeUnit.NANOSECONDS);
    if (bytes > 0) {
      sent[key / STATUSES].increment(bytes);
    }
  }

  /**
   * Passes the samples measured since the last drain to the registry. Called every
   * {@value #DRAIN_MILLIS} to {@value #MAX_DRAIN_MILLIS} ms (see {@link #nextDrainMillis}), and
   * when the server closes.
   *
   * @return the most samples one serving thread had written
   */
  public synchronized int drain() {
    int most = samples.drain((key, nanos, bytes) -> {
      timer(key).record(nanos, TimeUnit.NANOSECONDS);
      drainedBytes[key / STATUSES] += bytes;
    });
    for (int k = 0; k < drainedBytes.length; k++) {
      if (drainedBytes[k] > 0) {
        sent[k].increment(drainedBytes[k]);
        drainedBytes[k] = 0;
      }
    }
    return most;
  }

  /**
   * When to drain next, after a drain {@code lastMillis} after the one before found at most
   * {@code most} samples in a thread's ring: past half a ring, soon enough for a quarter;
   * below a quarter, twice as late. A busy thread's ring so stays from a quarter to half full
   * (room for a burst twice as fast; a fuller ring has its samples recorded by their thread),
   * while an idle server wakes once a second, not twenty times.
   */
  public static long nextDrainMillis(long lastMillis, int most) {
    if (most > SampleRings.CAPACITY / 2) {
      return Math.max(DRAIN_MILLIS, lastMillis * (SampleRings.CAPACITY / 4) / most);
    }
    if (most < SampleRings.CAPACITY / 4) {
      return Math.min(MAX_DRAIN_MILLIS, lastMillis * 2);
    }
    return lastMillis;
  }

  private Timer timer(int key) {
    Timer t = timers.get(key);
    if (t == null) {
      // Micrometer hands back the same timer for the same name and tags: a race is harmless
      t = Timer.builder("hlskit.http.requests").tag("kind", Kind.ALL[key / STATUSES].tag)
          .tag("status", Integer.toString(100 + key % STATUSES))
          .description("HTTP requests, by what was asked for and the status answered")
          .serviceLevelObjectives(BUCKETS).register(registry);
      timers.set(key, t);
    }
    return t;
  }

  private void countViewer(HttpServerExchange exchange, long now) {
    String path = exchange.getRequestPath();
    int slash = path.indexOf('/', STREAMS.length());
    if (slash < 0) {
      return;
    }
    // a player fetches the same channel over the same connection again and again: while this
    // thread counted it lately, the request is the same player and nothing more is done
    String parameter = sessionParameter(exchange);
    String cookies = parameter == null
        ? exchange.getRequestHeaders().getFirst(Headers.COOKIE) : null;
    // behind a trusted proxy, one connection carries many clients, each with its own address;
    // else the connection's address is the client's and need not be asked for (it costs)
    SocketAddress from = proxied ? exchange.getSourceAddress() : null;
    long key = RecentlyCounted.key(exchange.getConnection(), path, STREAMS.length(), slash,
        parameter, cookies, from);
    if (recent.isFresh(key, now)) {
      return;
    }
    String channel = path.substring(STREAMS.length(), slash);
    if (catalog.get(channel).isEmpty()) { // published channels only: ids can't be made up
      return;
    }
    viewers.seen(channel, session(exchange, parameter, cookies, from), now);
    recent.counted(key, now);
  }

  /** A fallback player id and the address it was made for. */
  private record Fallback(SocketAddress from, String player) {}

  /** A connection's fallback player id, made again only when the client's address changes. */
  private static final AttachmentKey<Fallback> CONNECTION_PLAYER =
      AttachmentKey.create(Fallback.class);

  private static String sessionParameter(HttpServerExchange exchange) {
    if (exchange.getQueryString().isEmpty()) {
      return null; // asking for the parameters would make an empty map
    }
    Deque<String> param = exchange.getQueryParameters().get(SESSION_PARAMETER);
    return param != null && !param.isEmpty() && !param.peekFirst().isEmpty()
        ? param.peekFirst() : null;
  }

  /** The player: its session parameter or cookie, else its address and user agent. */
  private static String session(HttpServerExchange exchange, String parameter, String cookies,
      SocketAddress from) {
    if (parameter != null) {
      return "p:" + abbreviate(parameter);
    }
    if (cookies != null) { // parsing cookies costs
      Cookie cookie = exchange.getRequestCookie(SESSION_COOKIE);
      if (cookie != null && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
        return "c:" + abbreviate(cookie.getValue());
      }
    }
    Fallback known = exchange.getConnection().getAttachment(CONNECTION_PLAYER);
    if (known == null || !Objects.equals(known.from(), from)) {
      String agent = exchange.getRequestHeaders().getFirst(Headers.USER_AGENT);
      known = new Fallback(from, "a:" + ExchangeAccess.address(exchange.getSourceAddress())
          + "|" + (agent == null ? "" : Integer.toHexString(agent.hashCode())));
      exchange.getConnection().putAttachment(CONNECTION_PLAYER, known);
    }
    return known.player();
  }

  private static String abbreviate(String s) {
    return s.length() <= MAX_SESSION_ID ? s : s.substring(0, MAX_SESSION_ID);
  }
}
