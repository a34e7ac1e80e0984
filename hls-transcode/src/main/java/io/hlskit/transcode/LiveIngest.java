package io.hlskit.transcode;

import io.hlskit.core.HlsException;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.ChannelEvent;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.core.live.LiveMonitor;
import io.hlskit.core.live.LivePublishException;
import io.hlskit.core.live.LivePublishing;
import io.hlskit.core.live.LiveStats;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.internal.EncodeSettings;
import io.hlskit.transcode.internal.LiveEncode;
import io.hlskit.transcode.internal.LiveInput;
import io.hlskit.transcode.internal.live.LiveChannelWriter;
import io.hlskit.transcode.internal.live.LiveMetrics;
import io.hlskit.transcode.internal.live.MediaPipe;
import io.micrometer.core.instrument.MeterRegistry;
import io.hlskit.transcode.internal.rtmp.MediaSink;
import io.hlskit.transcode.internal.rtmp.PublishRefusedException;
import io.hlskit.transcode.internal.rtmp.PublishRequest;
import io.hlskit.transcode.internal.rtmp.RtmpServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes live streams from encoders over RTMP and SRT and publishes each into its live channel of a
 * {@link MediaStore} as live HLS, as it comes: many publishers on one port, each choosing its
 * channel by its stream key.
 *
 * <pre>{@code
 * LiveChannels.Created news = LiveChannels.createOrUpdate(store, "news", "News",
 *     Visibility.PUBLIC, LiveSettings.of("abr"));
 * LiveIngest ingest = LiveIngest.builder(Transcoder.create(), store)
 *     .rtmpPort(1935)                           // rtmp://host:1935/live, key news?key=...
 *     .reconnectGrace(Duration.ofSeconds(30))
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>OBS's server field {@code rtmp://host:1935/live} with the stream key {@code
 * <channel>?key=<secret>}, or FFmpeg's one URL {@code rtmp://host:1935/live/<channel>?key=<secret>},
 * both work; {@code ?token=<jwt>} in place of the key is asked of the {@link AccessPolicy}
 * ({@link AccessPolicy#mayPublish}). H.264 with AAC, and Enhanced RTMP's HEVC and AV1, are read
 * by libav's FLV demuxer. Each publisher is decoded once into its channel's ladder ({@link
 * LiveSettings#profile}, read as {@link Ladder#parse} reads it; {@code source} copies the codecs
 * and cuts at the stream's keyframes), encoded for live (libx264 {@code zerolatency}, {@code
 * veryfast} unless the rendition names a preset, a keyframe at every segment start), and each
 * segment is written to the store as it completes, its playlists after it.
 *
 * <p>SRT: a live channel whose settings name an {@linkplain LiveSettings#srtPort SRT port} is
 * listened to on that UDP port (libav's listener, through the natives' libsrt, takes one caller
 * per open: hence a port per channel), MPEG-TS inside, the stream key's secret as the
 * passphrase; SRT's handshake turns a wrong passphrase away before any media is sent. Channels
 * made, changed or deleted in the store start and stop their listeners.
 *
 * <p>Low-Latency HLS (unless the channel's {@linkplain LiveSettings#partTarget settings} turn it
 * off): each segment is also written in parts as they complete, the playlists list them with a
 * preload hint of the next and reports of the other renditions, and every new edge is announced
 * on the {@linkplain Builder#liveEdge live edge} a server answers blocking requests from.
 *
 * <p>From browsers: {@link #publish} (hls-core's {@link LivePublishing}, which a server's {@code
 * /ws/publish} calls) takes a {@code MediaRecorder}'s WebM or MP4 chunks into the same pipeline,
 * through libav's Matroska or MOV demuxer, with the same checks of key or token and the same
 * one publisher per channel; VP8, VP9 or H.264 with Opus or AAC come out as the channel's
 * H.264/AAC ladder.
 *
 * <p>When encoding falls behind the stream, the most expensive rendition is shed (its viewers
 * go on with the next lower one's segments); {@link #stats} says which, and the frames dropped.
 *
 * <p>A publisher that drops and comes back within the {@linkplain Builder#reconnectGrace grace}
 * continues the same playlists after an {@code EXT-X-DISCONTINUITY}; once the grace has passed
 * the broadcast ends ({@link LiveSettings#record} says what becomes of it). A publish is refused,
 * before any media is read and with a log line naming the address, when its application is not
 * {@code live}, its channel is not a live channel, its key is wrong or missing, or the channel
 * has a publisher already (unless it allows {@link LiveSettings#takeover}).
 *
 * <p>Thread-safe. One thread takes every RTMP connection; each publisher's pipeline runs on a
 * thread of its own (an SRT channel's on its listener's thread); the access policy and the store are asked on a thread of the ingest's.
 */
public final class LiveIngest implements LiveMonitor, LivePublishing, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveIngest.class);
  /** The application publishers connect to: {@code rtmp://host:port/live}. */
  public static final String APP = "live";
  /** What one publisher may have waiting for its pipeline: a few seconds at 8 Mb/s. */
  private static final long PIPE_BYTES = 4L * 1024 * 1024;
  /** The longest RTMP message taken: a 4K keyframe fits. */
  private static final int MAX_MESSAGE = 8 * 1024 * 1024;

  /** Behind the publisher by more than this, a broadcast does not keep up. */
  private static final double LAG_LIMIT_SECONDS = 10;

  private final Transcoder transcoder;
  private final MediaStore store;
  private final AccessPolicy access;
  private final Builder settings;
  private final ExecutorService pipelines;
  private final ExecutorService blocking;
  private final ScheduledExecutorService timers;
  private final Map<String, Publisher> live = new ConcurrentHashMap<>();
  private final Map<String, LiveChannelWriter> writers = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> endings = new ConcurrentHashMap<>();
  private final SrtListeners srt;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicLong endedBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private RtmpServer rtmp;
  private ChannelCatalog.Registration registration;

  /** One publisher's session: what it sent, how to stop it, and its pipeline once running. */
  static final class Publisher {
    final String channel;
    final String address;
    final LongSupplier bytes;
    final Runnable stop;
    final Instant since = Instant.now();
    final long started = System.nanoTime();
    volatile LiveEncode encode;
    /** Why the pipeline's side ended the publish, for a sender that can be told. */
    volatile String stopReason;

    Publisher(String channel, String address, LongSupplier bytes, Runnable stop) {
      this.channel = channel;
      this.address = address;
      this.bytes = bytes;
      this.stop = stop;
    }
  }

  private LiveIngest(Builder b) {
    this.transcoder = b.transcoder;
    this.store = b.store;
    this.access = b.access;
    this.settings = b;
    AtomicInteger n = new AtomicInteger();
    this.pipelines = Executors.newCachedThreadPool(r -> daemon(r, "hlskit-live-"
        + n.incrementAndGet()));
    this.blocking = Executors.newFixedThreadPool(2, r -> daemon(r, "hlskit-live-gate"));
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hlskit-live-grace"));
    this.srt = new SrtListeners(this, store, b.host, b.idle.toMillis(), timers);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** A builder for an ingest that encodes with {@code transcoder} into {@code store}. */
  public static Builder builder(Transcoder transcoder, MediaStore store) {
    return new Builder(transcoder, store);
  }

  /** Builds a {@link LiveIngest}; {@link #build} then {@link LiveIngest#start}. */
  public static final class Builder {
    private final Transcoder transcoder;
    private final MediaStore store;
    private AccessPolicy access = AccessPolicy.readOnly();
    private String host = "0.0.0.0";
    private int rtmpPort = 1935;
    private Duration grace = Duration.ofSeconds(30);
    private Duration idle = Duration.ofSeconds(10);
    private Duration handshake = Duration.ofSeconds(10);
    private boolean srt = true;
    private MeterRegistry meterRegistry;
    private LiveEdge edge = LiveEdge.inProcess();

    private Builder(Transcoder transcoder, MediaStore store) {
      this.transcoder = Objects.requireNonNull(transcoder, "transcoder");
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The RTMP port, 1935 by default; 0 picks a free one ({@link LiveIngest#rtmpPort}). */
    public Builder rtmpPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("the RTMP port must be 0 to 65535: " + port);
      }
      this.rtmpPort = port;
      return this;
    }

    /** The address to listen on, every interface by default ({@code 127.0.0.1}: this machine). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Who may publish with a token in place of the stream key ({@link AccessPolicy#mayPublish});
     * by default nobody: stream keys only.
     */
    public Builder access(AccessPolicy policy) {
      this.access = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Whether live channels with an {@linkplain LiveSettings#srtPort SRT port} are listened to
     * there (on {@link #host}), true by default; false leaves SRT to another instance.
     */
    public Builder srt(boolean enabled) {
      this.srt = enabled;
      return this;
    }

    /**
     * How long a dropped publisher has to come back and continue the same playlists, 30 s by
     * default; the broadcast ends when it passes.
     */
    public Builder reconnectGrace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("the reconnect grace must not be negative");
      }
      this.grace = grace;
      return this;
    }

    /** How long a publisher may send nothing before it counts as dropped, 10 s by default. */
    public Builder idleTimeout(Duration idle) {
      if (idle.toMillis() < 100) {
        throw new IllegalArgumentException("the idle timeout must be 100 ms at least");
      }
      this.idle = idle;
      return this;
    }

    /**
     * How long a connection may take from its first byte to a publish taken (handshake,
     * connect, publish), 10 s by default; one that trickles is closed then.
     */
    public Builder handshakeTimeout(Duration timeout) {
      if (timeout.toMillis() < 100) {
        throw new IllegalArgumentException("the handshake timeout must be 100 ms at least");
      }
      this.handshake = timeout;
      return this;
    }

    /**
     * Reports {@code hlskit_live_publishers}, {@code hlskit_live_ingest_bytes_total}, {@code
     * hlskit_live_encoding_speed} (the slowest broadcast's) and {@code
     * hlskit_live_frames_dropped_total} into {@code registry}. Micrometer is an optional
     * dependency of hls-transcode: needed on the classpath only by applications that call this.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Where each new edge of a live playlist is announced: the same {@link LiveEdge} the
     * server's is (in one JVM, {@link LiveEdge#inProcess()} shared by both; across instances, a
     * backend such as hls-chat-redis's), so that its blocking requests wake up when a part is
     * written. Without it nobody hears.
     */
    public Builder liveEdge(LiveEdge edge) {
      this.edge = Objects.requireNonNull(edge, "edge");
      return this;
    }

    public LiveIngest build() {
      LiveIngest ingest = new LiveIngest(this);
      if (meterRegistry != null) {
        LiveMetrics.register(meterRegistry, ingest, i -> i.live.size(), LiveIngest::ingestBytes,
            LiveIngest::slowestSpeed, i -> 0L);
      }
      return ingest;
    }
  }

  /**
   * Starts listening.
   *
   * @throws HlsException when the port cannot be bound, naming it
   */
  public LiveIngest start() {
    // a live channel deleted (or made something else) stops its publisher and writes no more
    registration = store.channels().addListener(e -> {
      if (e.type() == ChannelEvent.Type.REMOVED
          || e.metadata().filter(ChannelMetadata::isLive).isEmpty()) {
        stopChannel(e.channelId());
        srt.stop(e.channelId());
      } else if (settings.srt) {
        srt.sync(e.metadata().get());
      }
    });
    try {
      rtmp = RtmpServer.start(settings.host, settings.rtmpPort, this::publish, blocking,
          settings.handshake.toMillis(), settings.idle.toMillis(), MAX_MESSAGE);
    } catch (RuntimeException e) {
      close();
      throw new HlsException("cannot listen for RTMP on " + settings.host + ":"
          + settings.rtmpPort + " (" + e.getMessage() + "); is another server (nginx-rtmp, OBS's"
          + " own) on that port? Choose another with rtmpPort(...)", e);
    }
    LOG.info("RTMP ingest on rtmp://{}:{}/{}", settings.host, rtmp.port(), APP);
    if (settings.srt) {
      store.channels().list().forEach(srt::sync);
    }
    return this;
  }

  /** The UDP port live channel {@code channel}'s SRT listener listens on, if it has one. */
  @Override
  public OptionalInt listeningSrtPort(String channel) {
    return srt.port(channel);
  }

  /** The RTMP port listened on. */
  public int rtmpPort() {
    return rtmp.port();
  }

  @Override
  public OptionalInt listeningRtmpPort() {
    return rtmp == null ? OptionalInt.empty() : OptionalInt.of(rtmp.port());
  }

  @Override
  public Optional<LiveStats> stats(String channel) {
    Publisher p = live.get(channel);
    if (p == null) {
      return Optional.empty();
    }
    double wall = Math.max(1e-3, (System.nanoTime() - p.started) / 1e9);
    LiveEncode e = p.encode;
    double media = e == null ? 0 : e.mediaSeconds();
    long frames = e == null ? 0 : e.frames();
    return Optional.of(new LiveStats(p.address, p.since, Math.round(p.bytes.getAsLong() * 8 / wall),
        frames / wall, media / wall, Math.max(0, wall - media),
        e == null ? 0 : e.framesDropped(), e == null ? List.of() : e.shed()));
  }

  /** Reads {@code profile} as {@link Ladder#parse} does. */
  @Override
  public void checkProfile(String profile) {
    Ladder.parse(profile);
  }

  /** Bytes publishers sent, those gone included. */
  private long ingestBytes() {
    long now = endedBytes.get();
    for (Publisher p : live.values()) {
      now += p.bytes.getAsLong();
    }
    return now;
  }

  /** The slowest broadcast's encoding speed; 0 with none. */
  private double slowestSpeed() {
    double slowest = Double.MAX_VALUE;
    for (String channel : live.keySet()) {
      slowest = Math.min(slowest, stats(channel).map(LiveStats::speed).orElse(slowest));
    }
    return slowest == Double.MAX_VALUE ? 0 : slowest;
  }

  @Override
  public boolean keepingUp() {
    for (String channel : live.keySet()) {
      if (stats(channel).map(s -> s.lagSeconds() > LAG_LIMIT_SECONDS).orElse(false)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a publisher is sending into {@code channel} now. */
  public boolean isPublishing(String channel) {
    return live.containsKey(channel);
  }

  /** The channels publishers are sending into now. */
  public List<String> publishing() {
    return List.copyOf(live.keySet());
  }

  /**
   * Takes a stream of WebM or MP4 chunks (a browser's {@code MediaRecorder}) into its live
   * channel, as an RTMP publish is: the channel's stream key, or a caller the access policy lets
   * publish; one publisher at a time; decoded into the channel's ladder, whatever the sender's
   * codecs, so that every player plays it. On the caller's thread.
   *
   * @throws LivePublishException saying why not
   */
  @Override
  public Publication publish(LivePublishing.Request request) {
    return PipedPublishes.publish(this, request);
  }

  /** Starts {@code p}'s pipeline, reading what {@code input} opens; on a pipeline thread. */
  void start(Publisher p, Plan plan, Supplier<LiveInput> input) {
    pipelines.execute(() -> run(p, plan, input));
  }

  boolean closing() {
    return closed.get();
  }

  MediaStore store() {
    return store;
  }

  AccessPolicy access() {
    return access;
  }

  long idleMillis() {
    return settings.idle.toMillis();
  }

  static long pipeBytes() {
    return PIPE_BYTES;
  }

  /** Decides a publish; on a gate thread. */
  private MediaSink publish(PublishRequest request) {
    if (closed.get()) {
      throw new PublishRefusedException("NetStream.Publish.Failed", "the server is stopping");
    }
    ChannelMetadata channel = PublishChecks.check(request, store, access);
    Plan plan = plan(channel);
    MediaPipe pipe = new MediaPipe(PIPE_BYTES);
    Publisher p = claim(channel, new Publisher(channel.id(), request.remoteAddress(),
        pipe::total, pipe::stop));
    pipelines.execute(() -> run(p, plan,
        () -> LiveInput.flv(p.channel, pipe, settings.idle.toMillis())));
    return pipe;
  }

  /** How a channel's streams are encoded: its ladder read once per publisher. */
  record Plan(ChannelMetadata channel, Ladder ladder, List<EncodeSettings.Rendition> specs) {}

  /**
   * Reads live channel {@code channel}'s ladder.
   *
   * @throws PublishRefusedException when it cannot be encoded
   */
  Plan plan(ChannelMetadata channel) {
    LiveSettings s = channel.live().orElseThrow();
    Ladder ladder;
    try {
      ladder = Ladder.parse(s.profile());
    } catch (IllegalArgumentException e) {
      throw new PublishRefusedException("NetStream.Publish.Failed", "live channel "
          + channel.id() + " has a profile that cannot be encoded: " + e.getMessage());
    }
    List<EncodeSettings.Rendition> specs = ladder.renditions().stream()
        .map(r -> transcoder.settings(r.preset().equals("fast")
            ? r.toBuilder().preset("veryfast").build() : r))
        .toList();
    return new Plan(channel, ladder, specs);
  }

  /**
   * Makes {@code p} the publisher of its channel: the one live there is stopped when the channel
   * lets itself be taken over, and {@code p} refused otherwise; a pending end is called off.
   *
   * @throws PublishRefusedException when the channel has a publisher and no take-over
   */
  Publisher claim(ChannelMetadata channel, Publisher p) {
    String id = channel.id();
    Publisher before = live.putIfAbsent(id, p);
    if (before != null) {
      if (!channel.live().orElseThrow().takeover()) {
        throw new PublishRefusedException("NetStream.Publish.BadName", "channel " + id
            + " is live from " + before.address + " already; stop that one first, or let the"
            + " channel be taken over");
      }
      LOG.info("live channel {}: {} takes over from {}", id, p.address, before.address);
      before.stopReason = "another publisher (" + p.address + ") took the channel over";
      before.stop.run(); // its connection closes; its pipeline finishes its last segment
      live.put(id, p);
    }
    ScheduledFuture<?> ending = endings.remove(id);
    if (ending != null) {
      ending.cancel(false);
    }
    return p;
  }

  /**
   * One publisher's pipeline, on the caller's thread, until its stream ends: {@code input}
   * opens the stream (and is closed here whatever happens).
   */
  void run(Publisher p, Plan plan, Supplier<LiveInput> input) {
    LiveChannelWriter writer = writers.computeIfAbsent(p.channel,
        id -> new LiveChannelWriter(store, plan.channel(), settings.edge));
    LiveSettings s = plan.channel().live().orElseThrow();
    try {
      long start = writer.startSession(Instant.now());
      try (LiveInput in = input.get();
          LiveEncode encode = new LiveEncode(in, plan.specs(), plan.ladder().remux(),
              plan.ladder().audioBitrate(), s.segmentDuration().toMillis() / 1000.0,
              s.partTarget().toMillis() / 1000.0, s.format() == LiveSettings.Format.FMP4, start,
              writer, System::nanoTime)) {
        p.encode = encode;
        encode.run();
        LOG.info("live channel {}: the stream of {} ended after {} frames", p.channel,
            p.address, encode.frames());
      }
    } catch (RuntimeException e) {
      if (p.stopReason == null) {
        p.stopReason = e.getMessage();
      }
      LOG.warn("live channel {}: the stream of {} stopped: {}", p.channel, p.address,
          e.getMessage());
      LOG.debug("live channel {}: where the stream stopped", p.channel, e);
    } finally {
      p.stop.run(); // a publisher still sending is told so: its connection closes
      endedBytes.addAndGet(p.bytes.getAsLong());
      if (live.remove(p.channel, p)) {
        scheduleEnd(p.channel);
      }
    }
  }

  /** Stops what goes on in {@code id}: its publisher, its writer, its end. */
  private void stopChannel(String id) {
    Publisher p = live.remove(id);
    ScheduledFuture<?> ending = endings.remove(id);
    if (ending != null) {
      ending.cancel(false);
    }
    LiveChannelWriter writer = writers.remove(id);
    if (writer != null) {
      writer.close();
    }
    if (p != null) {
      LOG.info("live channel {} is gone: its publisher {} is disconnected", id, p.address);
      p.stopReason = "live channel " + id + " was deleted";
      p.stop.run();
    }
  }

  /** Ends the broadcast when no publisher came back within the grace. */
  private void scheduleEnd(String id) {
    if (closed.get()) {
      return;
    }
    endings.put(id, timers.schedule(() -> {
      endings.remove(id);
      if (live.containsKey(id)) {
        return;
      }
      LiveChannelWriter writer = writers.remove(id);
      if (writer != null) {
        try {
          writer.endBroadcast(Instant.now());
        } catch (RuntimeException e) {
          LOG.warn("live channel {}: ending the broadcast failed: {}", id, e.getMessage());
        }
      }
    }, settings.grace.toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * Stops listening and ends every stream: publishers are disconnected; their broadcasts stay
   * live in the store for another instance to continue within the grace. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (registration != null) {
      registration.close();
    }
    for (Publisher p : live.values()) {
      p.stopReason = "the server is stopping; publish again in a moment";
      p.stop.run(); // first, while the connections can still be closed politely
    }
    if (rtmp != null) {
      rtmp.close();
    }
    pipelines.shutdown();
    try {
      srt.close(10_000); // its streams stop as the RTMP ones do, each ending its last segment
      pipelines.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    blocking.shutdownNow();
  }
}
