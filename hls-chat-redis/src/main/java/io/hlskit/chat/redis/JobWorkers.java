package io.hlskit.chat.redis;

import io.hlskit.chat.redis.internal.JobQueue;
import io.hlskit.core.HlsException;
import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.Ingester;
import io.hlskit.core.ingest.JobState;
import io.hlskit.core.internal.Folders;
import io.hlskit.core.internal.JobMessages;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectStream;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The working side of a {@link RedisIngestService}: {@code concurrency} threads that each take
 * one job at a time from the stream (first any job whose worker stopped beating, then new ones),
 * and one thread that beats for the running jobs. Each slot reads through a Redis connection of
 * its own, since a blocked read holds its connection; everything else shares the service's.
 */
final class JobWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);
  private static final Duration READ_BLOCK = Duration.ofSeconds(1);
  private static final String SPOOL_PREFIX = "hlskit-job-";
  /** Older than any transcode: another worker sharing the folder may still be reading it. */
  private static final Duration ABANDONED_SPOOL_AGE = Duration.ofHours(24);

  private final String id;
  private final JobQueue queue;
  private final RedisClient client;
  private final RedisCommands<String, String> redis;
  private final MediaStore store;
  private final Ingester ingester;
  private final Duration timeout;
  /** How long a consumer holding no job may go without reading before it counts as gone. */
  private final Duration goneAfter;
  private final int maxAttempts;
  private final Path spool;
  private final Clock clock;
  private final List<Thread> slots = new ArrayList<>();
  private final ScheduledExecutorService beats;
  private final Map<String, Attempt> running = new ConcurrentHashMap<>();
  private final Map<JobState, AtomicInteger> ended = new EnumMap<>(JobState.class);
  private volatile boolean closed;

  JobWorkers(RedisIngestService.Builder b, JobQueue queue, RedisClient client,
      RedisCommands<String, String> redis, MediaStore store, Clock clock) {
    this.id = b.workerId;
    this.queue = queue;
    this.client = client;
    this.redis = redis;
    this.store = store;
    this.ingester = b.ingester;
    this.timeout = b.jobTimeout;
    this.goneAfter = b.jobTimeout.multipliedBy(2);
    this.maxAttempts = b.maxAttempts;
    this.spool = b.spoolDirectory;
    this.clock = clock;
    for (JobState s : JobState.values()) {
      ended.put(s, new AtomicInteger());
    }
    this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hlskit-job-beat");
      t.setDaemon(true);
      return t;
    });
    for (int i = 1; i <= b.concurrency; i++) {
      Thread t = new Thread(this::loop, "hlskit-job-worker-" + i);
      t.setDaemon(true);
      slots.add(t);
    }
  }

  void start() {
    // what a worker killed mid-job left in the spool: its copy of the upload
    Folders.removeAbandoned(spool, SPOOL_PREFIX + "*", ABANDONED_SPOOL_AGE, "fetched upload");
    slots.forEach(Thread::start);
    beats.scheduleWithFixedDelay(this::removeGoneConsumers, timeout.toMillis(),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("worker {} takes ingest jobs from Redis, {} at a time", id, slots.size());
  }

  /**
   * Removes from Redis the consumers of workers gone without closing and holding no job: each
   * start names its worker anew, so without this the group would keep one per start for good.
   * Gone after twice the job timeout without a read: live workers read every second, or hold
   * their job.
   */
  private void removeGoneConsumers() {
    try {
      long n = queue.removeGoneConsumers(redis, goneAfter, null);
      if (n > 0) {
        LOG.info("worker {}: removed {} gone workers from the job queue's consumer group", id, n);
      }
    } catch (RuntimeException e) { // (a scheduled task that throws is not run again)
      LOG.debug("worker {}: could not look for gone workers: {}", id, e.toString());
    }
  }

  String id() {
    return id;
  }

  int running() {
    return running.size();
  }

  int ended(JobState state) {
    return ended.get(state).get();
  }

  /** One job's attempt on this worker. */
  private static final class Attempt {
    final String job;
    final String entry;
    final int number;
    final Thread thread;
    volatile double progress;
    volatile boolean cancelled;
    volatile boolean lost;
    /** Set once the ingester returned: no interrupt may reach the thread after. */
    boolean finished;
    ScheduledFuture<?> beat;

    Attempt(String job, String entry, int number, Thread thread) {
      this.job = job;
      this.entry = entry;
      this.number = number;
      this.thread = thread;
    }

    void progress(double fraction) {
      if (fraction > progress) {
        progress = Math.min(1, fraction);
      }
    }

    synchronized void stop() {
      if (!finished) {
        thread.interrupt();
      }
    }

    synchronized void finish() {
      finished = true;
      Thread.interrupted(); // an interrupt that came as the ingester returned
    }
  }

  private void loop() {
    StatefulRedisConnection<String, String> own = null;
    boolean outage = false;
    while (!closed) {
      try {
        if (own == null) {
          own = client.connect();
        }
        StreamMessage<String, String> m = queue.claimStale(redis, id, timeout);
        if (m == null) {
          m = queue.readNew(own.sync(), id, READ_BLOCK);
        }
        if (outage) {
          LOG.info("worker {}: the job queue answers again", id);
          outage = false;
        }
        if (m != null && !closed) {
          handle(m);
        }
      } catch (RedisCommandExecutionException e) {
        if (String.valueOf(e.getMessage()).startsWith("NOGROUP")) {
          // Redis came back without its data: make the group again
          safely(() -> queue.ensureGroup(redis));
        } else {
          outage = pause(outage, e);
        }
      } catch (RedisException e) {
        outage = pause(outage, e);
      } catch (RuntimeException e) {
        LOG.error("worker {}: unexpected failure taking a job", id, e);
        outage = pause(true, e);
      }
    }
    if (own != null) {
      own.close();
    }
  }

  /** Waits a second after a failure to reach Redis; logs the first of an outage. */
  private boolean pause(boolean outage, RuntimeException e) {
    if (closed) {
      return outage;
    }
    if (!outage) {
      LOG.warn("worker {}: the job queue cannot be reached ({}); trying again every second",
          id, RedisCalls.rootMessage(e));
    }
    try {
      Thread.sleep(1000);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      closed = true;
    }
    return true;
  }

  private void handle(StreamMessage<String, String> m) {
    String job = m.getBody().get("job");
    JobQueue.Start start = queue.start(redis, job, m.getId(), id, clock.millis(), maxAttempts);
    if (!start.run()) {
      if (start.verdict().equals("failed") || start.verdict().equals("cancelled")) {
        deleteUpload(job);
        ended.get(start.verdict().equals("failed") ? JobState.FAILED : JobState.CANCELLED)
            .incrementAndGet();
        LOG.warn("ingest job {} {} before worker {} could start it again", job,
            start.verdict(), id);
      }
      return;
    }
    Attempt a = new Attempt(job, m.getId(), start.attempt(), Thread.currentThread());
    running.put(job, a);
    a.beat = beats.scheduleWithFixedDelay(() -> beat(a), RedisIngestService.BEAT_MILLIS,
        RedisIngestService.BEAT_MILLIS, TimeUnit.MILLISECONDS);
    String outcome;
    String message = null;
    Path local = null;
    try {
      Map<String, String> fields = queue.fields(redis, job)
          .orElseThrow(() -> new HlsException("the job is no longer in Redis"));
      local = fetch(job, fields);
      IngestRequest request = RedisIngestService.toRequest(fields, local);
      LOG.info("worker {} starts ingest job {} for channel {} (attempt {} of {})", id, job,
          request.channelId(), a.number, maxAttempts);
      try {
        ingester.ingest(request, a::progress);
        outcome = "done";
      } catch (Exception | LinkageError | StackOverflowError e) {
        message = JobMessages.forClients(JobMessages.of(e), request);
        outcome = failure(a, e);
      }
    } catch (UploadGone e) {
      outcome = "failed";
      message = e.getMessage();
    } catch (Exception e) { // the job's fields or its upload could not be read: try again
      message = JobMessages.of(e);
      outcome = failure(a, e);
    } finally {
      a.beat.cancel(false);
      a.finish();
      running.remove(job);
      if (local != null) {
        RedisIngestService.deleteQuietly(local);
      }
    }
    if (outcome == null) {
      LOG.warn("worker {} lost ingest job {} to another worker (no heartbeat for {} s)", id, job,
          timeout.toSeconds());
      return;
    }
    if (outcome.equals("failed") && a.number >= maxAttempts && !message.contains("attempt")) {
      message = message + " (after " + a.number + " attempt" + (a.number == 1 ? "" : "s") + ")";
    }
    String result = end(a, outcome, message);
    if (result == null || result.equals("lost")) {
      return;
    }
    switch (result) {
      case "done", "failed", "cancelled" -> {
        deleteUpload(job);
        ended.get(JobState.valueOf(result.toUpperCase(java.util.Locale.ROOT))).incrementAndGet();
        if (result.equals("failed")) {
          LOG.warn("ingest job {} failed: {}", job, message);
        } else {
          LOG.info("ingest job {} {}", job, result.equals("done") ? "published its channel"
              : "cancelled");
        }
      }
      case "retry" -> LOG.warn("ingest job {} failed on attempt {} ({}); queued again", job,
          a.number, message);
      default -> LOG.info("ingest job {} goes back to the queue as worker {} stops", job, id);
    }
  }

  /** What an attempt that threw comes to: cancelled, lost (null), released, retried or failed. */
  private String failure(Attempt a, Throwable e) {
    if (a.cancelled) {
      return "cancelled";
    }
    if (a.lost) {
      return null;
    }
    if (closed) {
      return "release";
    }
    LOG.debug("ingest job {} attempt {} failed", a.job, a.number, e);
    return a.number < maxAttempts ? "retry" : "failed";
  }

  /** The upload of {@code job}, fetched from the store into a local file. */
  private Path fetch(String job, Map<String, String> fields) throws IOException {
    String key = RedisIngestService.uploadKey(job);
    Optional<ObjectStream> object = store.read(key);
    if (object.isEmpty()) {
      throw new UploadGone("the uploaded file is no longer in the store (" + key + " was"
          + " deleted); upload the video again");
    }
    String name = fields.getOrDefault("filename", "");
    int dot = name.lastIndexOf('.');
    String suffix = dot > 0 && name.length() - dot <= 8
        && name.substring(dot + 1).chars().allMatch(Character::isLetterOrDigit)
        ? name.substring(dot) : ".upload";
    Files.createDirectories(spool);
    Path local = Files.createTempFile(spool, SPOOL_PREFIX, suffix);
    try (ObjectStream o = object.get(); InputStream in = o.content()) {
      Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      RedisIngestService.deleteQuietly(local);
      throw e;
    }
    return local;
  }

  /** The job's upload is not in the store: no attempt can succeed. */
  private static final class UploadGone extends HlsException {
    UploadGone(String message) {
      super(message);
    }
  }

  private void beat(Attempt a) {
    try {
      String r = queue.beat(redis, a.job, a.entry, id, a.number, a.progress, clock.millis());
      if ("cancel".equals(r) && !a.cancelled) {
        a.cancelled = true;
        LOG.info("ingest job {} is cancelled: stopping it", a.job);
        a.stop();
      } else if ("lost".equals(r) && !a.lost) {
        a.lost = true;
        a.stop();
      }
    } catch (RedisException e) {
      LOG.debug("heartbeat of job {} failed: {}", a.job, RedisCalls.rootMessage(e));
    } catch (RuntimeException e) {
      LOG.warn("heartbeat of job {} failed", a.job, e);
    }
  }

  /**
   * Ends the attempt, trying again every second while Redis is away; null when the worker
   * closes first (the job then goes to another worker after the timeout).
   */
  private String end(Attempt a, String outcome, String message) {
    while (true) {
      try {
        return queue.end(redis, a.job, a.entry, id, a.number, outcome, message, clock.millis());
      } catch (RedisException e) {
        if (closed) {
          return null; // another worker takes the job after the timeout
        }
        LOG.warn("could not record that job {} is {} ({}); trying again", a.job, outcome,
            RedisCalls.rootMessage(e));
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
  }

  private void deleteUpload(String job) {
    try {
      store.deletePrefix(RedisIngestService.uploadKey(job));
    } catch (RuntimeException e) {
      LOG.warn("could not delete the upload of job {} from the store", job, e);
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.debug("ignored", e);
    }
  }

  /**
   * Stops taking jobs; running ones are interrupted and go back to the queue (up to 30 s for
   * them to stop).
   */
  @Override
  public void close() {
    closed = true;
    running.values().forEach(Attempt::stop);
    for (Thread t : slots) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    beats.shutdownNow();
    // this worker leaves the consumer group, unless a job it could not put back is still its
    safely(() -> queue.removeGoneConsumers(redis, goneAfter, id));
  }
}
