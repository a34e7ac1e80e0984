package io.hlskit.chat.redis;

import io.hlskit.chat.redis.internal.JobQueue;
import io.hlskit.core.HlsException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.ingest.IngestJob;
import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.ingest.Ingester;
import io.hlskit.core.ingest.JobState;
import io.hlskit.core.internal.IngestMetrics;
import io.hlskit.core.store.MediaStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IngestService} whose jobs live in Redis, so that every instance of a scale-out sees
 * the same jobs and any machine can work them.
 *
 * <ul>
 *   <li>{@link #submit} copies the upload into the shared store under {@link #UPLOADS} (a prefix
 *       no channel id can take, so {@code /streams} never serves it), then adds the job to a
 *       Redis stream and its state to a hash: {@link #job} answers the same on every instance.
 *   <li>An instance built with an {@link Builder#ingester} also works jobs, {@link
 *       Builder#concurrency} at a time: it reads the stream through a consumer group, fetches
 *       the upload from the store into a local file and runs the ingester. While it runs, a
 *       heartbeat every {@value #BEAT_MILLIS} ms records the progress, keeps the claim and hears
 *       a {@link #cancel}.
 *   <li>A worker that stops beating (killed, cut off) loses the job after the {@link
 *       Builder#jobTimeout} (30 s by default): another worker claims it ({@code XAUTOCLAIM}) and
 *       starts it again. A failed attempt is queued again at once. After {@link
 *       Builder#maxAttempts} (3) attempts the job is {@code failed} with the last reason. Channels
 *       are written through drafts, so an attempt cut short publishes nothing.
 *   <li>The spooled upload is deleted when the job ends, however it ends. Ended jobs are kept in
 *       Redis for {@link Builder#keepEnded} (7 days).
 *   <li>Each worker is a consumer of the group, named anew at every start ({@link
 *       Builder#workerId}); it leaves the group when it closes, and workers remove those gone
 *       without closing once they have read nothing for twice the job timeout, unless they still
 *       hold a job. So a fleet restarted every day does not grow the group.
 * </ul>
 *
 * <p>For jobs to survive a Redis restart, Redis must persist ({@code appendonly yes}).
 * Thread-safe. {@link #close} stops taking jobs; a job running then goes back to the queue for
 * another worker, without counting as an attempt.
 */
public final class RedisIngestService implements IngestService, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisIngestService.class);

  /** Where uploads wait in the store for a worker: {@code _} starts no channel id. */
  public static final String UPLOADS = "_uploads/";
  /** How often a running job's worker writes its progress and renews its claim. */
  public static final long BEAT_MILLIS = 500;

  private final MediaStore store;
  private final JobQueue queue;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String where;
  private final Set<String> profiles;
  private final int queueCapacity;
  private final Clock clock = Clock.systemUTC();
  private final JobWorkers workers;
  private final AtomicLong waiting = new AtomicLong();
  private volatile long waitingReadAt;

  private RedisIngestService(Builder b) {
    this.store = b.store;
    this.profiles = b.profiles;
    this.queueCapacity = b.queueCapacity;
    this.queue = new JobQueue(b.namespace, b.keepEnded);
    RedisURI uri = RedisURI.create(b.uri);
    this.where = uri.getHost() + ":" + uri.getPort();
    this.client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(10)))
        .build());
    try {
      this.connection = client.connect();
      this.redis = connection.sync();
      queue.ensureGroup(redis);
    } catch (RedisException e) {
      client.shutdown();
      throw new HlsException("cannot reach Redis at " + where + " for the job queue ("
          + RedisCalls.rootMessage(e) + "); check the Redis URL given to the builder and that"
          + " Redis is running", e);
    }
    this.workers = b.ingester == null ? null : new JobWorkers(b, queue, client, redis, store,
        clock);
    if (b.meterRegistry != null) {
      IngestMetrics.bind(b.meterRegistry, this::count);
    }
    if (workers != null) {
      workers.start();
    }
  }

  /** A builder for a service on the Redis at {@code uri} and the shared {@code store}. */
  public static Builder builder(String uri, MediaStore store) {
    return new Builder(uri, store);
  }

  /** The store key a job's upload waits under. */
  static String uploadKey(String jobId) {
    return UPLOADS + jobId;
  }

  @Override
  public IngestJob submit(IngestRequest request) {
    Objects.requireNonNull(request, "request");
    String id = UUID.randomUUID().toString();
    String key = uploadKey(id);
    try {
      store.write(key, request.file());
    } catch (RuntimeException e) {
      throw new HlsException("could not keep the upload in the store for a worker ("
          + e.getMessage() + "); check the store and try again", e);
    } finally {
      deleteQuietly(request.file());
    }
    Map<String, String> fields = new HashMap<>();
    fields.put("channel", request.channelId());
    fields.put("title", request.title());
    fields.put("profile", request.profile());
    fields.put("filename", request.originalFilename().orElse(""));
    fields.put("visibility", request.visibility().jsonName());
    fields.put("quality", request.quality());
    long now = clock.millis();
    boolean queued;
    try {
      queued = queue.submit(redis, id, fields, now, queueCapacity);
    } catch (RedisException e) {
      store.deletePrefix(key);
      throw new HlsException("the job queue (Redis at " + where + ") cannot be reached ("
          + RedisCalls.rootMessage(e) + "); try again in a moment", e);
    }
    if (!queued) {
      store.deletePrefix(key);
      throw new HlsException("too many ingest jobs are waiting; try again when some have"
          + " finished");
    }
    Instant at = Instant.ofEpochMilli(now);
    return new IngestJob(id, request.channelId(), JobState.QUEUED, 0, Optional.empty(), at, at);
  }

  @Override
  public Optional<IngestJob> job(String jobId) {
    if (!isJobId(jobId)) {
      return Optional.empty();
    }
    try {
      return queue.fields(redis, jobId).map(f -> toJob(jobId, f));
    } catch (RedisException e) {
      throw new HlsException("the job queue (Redis at " + where + ") cannot be reached ("
          + RedisCalls.rootMessage(e) + ")", e);
    }
  }

  /**
   * {@inheritDoc} A running job's worker hears of it at its next heartbeat ({@value
   * #BEAT_MILLIS} ms) and interrupts the ingester.
   */
  @Override
  public Optional<IngestJob> cancel(String jobId) {
    if (!isJobId(jobId)) {
      return Optional.empty();
    }
    String verdict;
    try {
      verdict = queue.cancel(redis, jobId, clock.millis());
    } catch (RedisException e) {
      throw new HlsException("the job queue (Redis at " + where + ") cannot be reached ("
          + RedisCalls.rootMessage(e) + ")", e);
    }
    if (verdict.equals("dropped")) {
      store.deletePrefix(uploadKey(jobId));
      LOG.info("ingest job {} cancelled before it started", jobId);
    }
    return job(jobId);
  }

  @Override
  public Set<String> profiles() {
    return profiles;
  }

  @Override
  public boolean isAvailable() {
    return connection.isOpen();
  }

  /** This instance's worker id ({@code host:pid:random}), or empty when it works no jobs. */
  public Optional<String> workerId() {
    return workers == null ? Optional.empty() : Optional.of(workers.id());
  }

  /** Jobs this instance's workers are running now. */
  public int runningJobs() {
    return workers == null ? 0 : workers.running();
  }

  private static boolean isJobId(String id) {
    try {
      UUID.fromString(id);
      return id.length() == 36;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  /** A job from its hash's fields. */
  static IngestJob toJob(String id, Map<String, String> f) {
    JobState state = JobState.valueOf(f.getOrDefault("state", "queued").toUpperCase(Locale.ROOT));
    double progress = Math.max(0, Math.min(1, parse(f.get("progress"))));
    Optional<String> error = state == JobState.FAILED
        ? Optional.of(f.getOrDefault("error", "it failed")) : Optional.empty();
    Instant created = Instant.ofEpochMilli((long) parse(f.get("created")));
    Instant updated = Instant.ofEpochMilli((long) parse(f.get("updated")));
    String worker = f.get("worker");
    return new IngestJob(id, f.getOrDefault("channel", "unknown"), state, progress, error,
        created, updated, Optional.ofNullable(worker).filter(w -> !w.isEmpty()),
        (int) parse(f.get("attempts")));
  }

  private static double parse(String s) {
    try {
      return s == null ? 0 : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The request a job's fields describe, its upload fetched into {@code file}. */
  static IngestRequest toRequest(Map<String, String> f, Path file) {
    String filename = f.getOrDefault("filename", "");
    return new IngestRequest(file, f.get("channel"), f.getOrDefault("title", f.get("channel")),
        f.getOrDefault("profile", "medium"),
        filename.isEmpty() ? Optional.empty() : Optional.of(filename),
        Visibility.parse(f.getOrDefault("visibility", "public")),
        f.getOrDefault("quality", "bitrate"));
  }

  private int count(JobState state) {
    if (state == JobState.RUNNING) {
      return runningJobs();
    }
    if (state != JobState.QUEUED) {
      return workers == null ? 0 : workers.ended(state);
    }
    long now = System.nanoTime();
    if (now - waitingReadAt > 5_000_000_000L) { // a scrape costs Redis two commands at most
      waitingReadAt = now;
      try {
        waiting.set(queue.waiting(redis));
      } catch (RedisException e) {
        // keep the last figure
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, waiting.get());
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete {}", file, e);
    }
  }

  /** Stops taking jobs, puts running ones back in the queue, and closes the connections. */
  @Override
  public void close() {
    if (workers != null) {
      workers.close();
    }
    connection.close();
    client.shutdown();
  }

  /** Builds a {@link RedisIngestService}; not thread-safe. */
  public static final class Builder {
    final String uri;
    final MediaStore store;
    String namespace = "hlskit";
    Ingester ingester;
    int concurrency = 1;
    Duration jobTimeout = Duration.ofSeconds(30);
    int maxAttempts = 3;
    Duration keepEnded = Duration.ofDays(7);
    int queueCapacity = 1000;
    Path spoolDirectory;
    String workerId;
    Set<String> profiles = Set.of();
    MeterRegistry meterRegistry;

    private Builder(String uri, MediaStore store) {
      this.uri = Objects.requireNonNull(uri, "uri");
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The prefix of the keys in Redis; instances that belong together share it. */
    public Builder namespace(String namespace) {
      if (namespace == null || namespace.isBlank()) {
        throw new IllegalArgumentException("the namespace must not be empty");
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * Works jobs too, with {@code ingester}; without one this instance only queues jobs and
     * reports them (a web-only instance).
     */
    public Builder ingester(Ingester ingester) {
      this.ingester = ingester;
      return this;
    }

    /** How many jobs this instance works at once; 1 by default (an encoder uses every core). */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * How long a running job may go without its worker's heartbeat before another worker takes
     * it; 30 s by default, at least 2 s.
     */
    public Builder jobTimeout(Duration timeout) {
      if (timeout.toMillis() < 2000) {
        throw new IllegalArgumentException("the job timeout must be at least 2 s: " + timeout);
      }
      this.jobTimeout = timeout;
      return this;
    }

    /** How many times a job is started before it is failed for good; 3 by default. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("at least one attempt: " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** How long an ended job is kept for {@link #job}; 7 days by default. */
    public Builder keepEnded(Duration keep) {
      this.keepEnded = Objects.requireNonNull(keep, "keep");
      return this;
    }

    /** How many jobs may wait; more are refused. 1,000 by default. */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queue capacity must be positive: " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /** Where a worker keeps the upload it fetched while it works; the system's temp by default. */
    public Builder spoolDirectory(Path directory) {
      this.spoolDirectory = directory;
      return this;
    }

    /** This worker's name in Redis and the jobs it runs; {@code host:pid:random} by default. */
    public Builder workerId(String id) {
      this.workerId = id;
      return this;
    }

    /** The profile names the ingester understands; see {@link IngestService#profiles()}. */
    public Builder profiles(Set<String> profiles) {
      this.profiles = Set.copyOf(profiles);
      return this;
    }

    /** Reports {@code hlskit_ingest_jobs{state}} into {@code registry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Connects, makes the queue's consumer group if there is none, and starts the workers when
     * there is an ingester.
     *
     * @throws HlsException when Redis cannot be reached
     */
    public RedisIngestService build() {
      if (workerId == null) {
        String host = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        workerId = host.replace('@', ':') + ":"
            + UUID.randomUUID().toString().substring(0, 8);
      }
      if (spoolDirectory == null) {
        spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"));
      }
      StorageKeys.requireUserKey(UPLOADS + "x");
      return new RedisIngestService(this);
    }
  }
}
