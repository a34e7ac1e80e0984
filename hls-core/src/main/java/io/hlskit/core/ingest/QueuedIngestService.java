package io.hlskit.core.ingest;

import io.hlskit.core.HlsException;
import io.hlskit.core.internal.IngestMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IngestService} that runs an {@link Ingester} on a small pool of worker threads,
 * tracks each job's state and progress, and deletes each upload when its job ends.
 *
 * <p>Transcoding is CPU-bound: one worker (the default) uses every core through the encoder's own
 * threads; more workers only share them. Jobs beyond the queue capacity are refused. The last
 * {@link Builder#retainedJobs} jobs are remembered for {@link #job}.
 *
 * <p>Thread-safe. {@link #close} stops taking jobs, interrupts running ones and waits for them.
 */
public final class QueuedIngestService implements IngestService, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueuedIngestService.class);

  private final Ingester ingester;
  private final ThreadPoolExecutor executor;
  private final Clock clock;
  private final int retainedJobs;
  private final Set<String> profiles;
  private final Map<String, IngestJob> jobs = new LinkedHashMap<>();

  private QueuedIngestService(Builder b) {
    this.ingester = b.ingester;
    this.clock = b.clock;
    this.retainedJobs = b.retainedJobs;
    this.profiles = b.profiles;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(b.workers, b.workers, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(b.queueCapacity), r -> {
          Thread t = new Thread(r, "hlskit-ingest-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    if (b.meterRegistry != null) {
      IngestMetrics.bind(b.meterRegistry, this::count);
    }
  }

  /** How many of the jobs remembered are in {@code state}. */
  private int count(JobState state) {
    synchronized (jobs) {
      return (int) jobs.values().stream().filter(j -> j.state() == state).count();
    }
  }

  /** A builder around the work that each job does. */
  public static Builder builder(Ingester ingester) {
    return new Builder(ingester);
  }

  @Override
  public IngestJob submit(IngestRequest request) {
    Objects.requireNonNull(request, "request");
    String id = UUID.randomUUID().toString();
    var now = clock.instant();
    IngestJob queued = new IngestJob(id, request.channelId(), JobState.QUEUED, 0,
        Optional.empty(), now, now);
    update(queued);
    try {
      executor.execute(() -> run(queued, request));
    } catch (RejectedExecutionException e) {
      forget(id);
      deleteUpload(request);
      throw new HlsException(executor.isShutdown()
          ? "the ingest service is shut down; no job can be taken"
          : "too many ingest jobs are waiting; try again when some have finished");
    }
    return queued;
  }

  private void run(IngestJob queued, IngestRequest request) {
    String id = queued.id();
    update(with(queued, JobState.RUNNING, 0, null));
    String failure = null;
    try {
      ingester.ingest(request, fraction -> progress(id, fraction));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "the server stopped before the job finished; upload the file again";
    } catch (Exception | LinkageError e) {
      // LinkageError: native libraries that fail to load must fail the job, not strand it
      failure = e.getMessage() == null || e.getMessage().isBlank()
          ? e.getClass().getSimpleName() : e.getMessage();
    }
    String detail = failure;
    if (failure != null) {
      failure = forClients(failure, request);
    }
    // the upload goes before the job shows as ended, so an ended job never leaves a file behind
    deleteUpload(request);
    IngestJob current = job(id).orElse(queued);
    if (failure == null) {
      update(with(current, JobState.DONE, 1, null));
      LOG.info("ingest job {} published channel {}", id, request.channelId());
    } else {
      update(with(current, JobState.FAILED, current.progress(), failure));
      LOG.warn("ingest job {} for channel {} failed: {}", id, request.channelId(), detail);
    }
  }

  /**
   * A failure as whoever polls the job may read it: the spooled upload named by its original
   * name, and no other path of the server's (the full message goes to the log).
   */
  static String forClients(String failure, IngestRequest request) {
    String named = failure.replace(request.file().toAbsolutePath().toString(),
        request.originalFilename().orElse("the upload"));
    named = named.replace(request.file().toString(),
        request.originalFilename().orElse("the upload"));
    return SERVER_PATH.matcher(named).replaceAll("(a folder of the server)");
  }

  /** An absolute path, as a message may quote one: a slash after a space, quote or bracket. */
  private static final Pattern SERVER_PATH = Pattern.compile("(?<=^|[\\s'\"(\\[=])/[^\\s'\"(),;\\]]+");

  private void progress(String id, double fraction) {
    if (!(fraction >= 0)) {
      return;
    }
    double clamped = Math.min(1, fraction);
    synchronized (jobs) {
      IngestJob j = jobs.get(id);
      if (j != null && j.state() == JobState.RUNNING && clamped > j.progress()) {
        jobs.put(id, with(j, JobState.RUNNING, clamped, null));
      }
    }
  }

  private IngestJob with(IngestJob j, JobState state, double progress, String error) {
    return new IngestJob(j.id(), j.channelId(), state, progress, Optional.ofNullable(error),
        j.created(), clock.instant());
  }

  private void update(IngestJob job) {
    synchronized (jobs) {
      jobs.put(job.id(), job);
      Iterator<IngestJob> it = jobs.values().iterator();
      while (jobs.size() > retainedJobs && it.hasNext()) {
        IngestJob oldest = it.next();
        if (oldest.state().isFinal()) {
          it.remove();
        }
      }
    }
  }

  private void forget(String id) {
    synchronized (jobs) {
      jobs.remove(id);
    }
  }

  private static void deleteUpload(IngestRequest request) {
    try {
      Files.deleteIfExists(request.file());
    } catch (IOException e) {
      LOG.warn("could not delete the upload {}", request.file(), e);
    }
  }

  @Override
  public Optional<IngestJob> job(String jobId) {
    synchronized (jobs) {
      return Optional.ofNullable(jobs.get(jobId));
    }
  }

  @Override
  public Set<String> profiles() {
    return profiles;
  }

  /** Jobs queued or running now. */
  public int activeJobs() {
    synchronized (jobs) {
      return (int) jobs.values().stream().filter(j -> !j.state().isFinal()).count();
    }
  }

  @Override
  public void close() {
    for (Runnable r : executor.shutdownNow()) {
      LOG.debug("dropping a queued ingest job at shutdown: {}", r);
    }
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("ingest jobs still running 30 s after shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builds a {@link QueuedIngestService}; not thread-safe. */
  public static final class Builder {
    private final Ingester ingester;
    private int workers = 1;
    private int queueCapacity = 16;
    private int retainedJobs = 1000;
    private Clock clock = Clock.systemUTC();
    private Set<String> profiles = Set.of();
    private MeterRegistry meterRegistry;

    private Builder(Ingester ingester) {
      this.ingester = Objects.requireNonNull(ingester, "ingester");
    }

    /** How many jobs run at once; 1 by default. */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("at least one worker: " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** How many jobs may wait; more are refused. 16 by default. */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queue capacity must be positive: " + queueCapacity);
      }
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** How many jobs {@link QueuedIngestService#job} remembers; 1,000 by default. */
    public Builder retainedJobs(int retainedJobs) {
      this.retainedJobs = Math.max(1, retainedJobs);
      return this;
    }

    /** The profile names the ingester understands; see {@link IngestService#profiles()}. */
    public Builder profiles(Set<String> profiles) {
      this.profiles = Set.copyOf(profiles);
      return this;
    }

    /**
     * Reports {@code hlskit_ingest_jobs{state}} into {@code registry}. Micrometer is an optional
     * dependency of hls-core: needed on the classpath only by applications that call this.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public QueuedIngestService build() {
      return new QueuedIngestService(this);
    }
  }
}
