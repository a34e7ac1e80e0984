package io.hlskit.core.ingest;

import io.hlskit.core.HlsException;
import io.hlskit.core.internal.IngestMetrics;
import io.hlskit.core.internal.JobMessages;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  /** The tasks of jobs queued or running, to cancel them; guarded by {@link #jobs}. */
  private final Map<String, Task> tasks = new HashMap<>();
  /** Jobs asked to stop while running; guarded by {@link #jobs}. */
  private final Set<String> cancelling = new HashSet<>();

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
      synchronized (jobs) {
        // under the lock: the task cannot end, nor be cancelled, before it is known
        tasks.put(id, new Task(executor.submit(() -> run(queued, request)), request));
      }
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
    synchronized (jobs) {
      if (job(id).map(j -> j.state() != JobState.QUEUED).orElse(true)) {
        return; // cancelled while it waited
      }
      update(with(queued, JobState.RUNNING, 0, null));
    }
    String failure = null;
    try {
      ingester.ingest(request, fraction -> progress(id, fraction));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "the server stopped before the job finished; upload the file again";
    } catch (Exception | LinkageError e) {
      // LinkageError: native libraries that fail to load must fail the job, not strand it
      failure = JobMessages.of(e);
    }
    String detail = failure;
    if (failure != null) {
      failure = forClients(failure, request);
    }
    // the upload goes before the job shows as ended, so an ended job never leaves a file behind
    deleteUpload(request);
    IngestJob current = job(id).orElse(queued);
    boolean cancelled;
    synchronized (jobs) {
      tasks.remove(id);
      cancelled = cancelling.remove(id);
    }
    if (cancelled && failure != null) {
      update(with(current, JobState.CANCELLED, current.progress(), null));
      LOG.info("ingest job {} for channel {} cancelled", id, request.channelId());
    } else if (failure == null) {
      update(with(current, JobState.DONE, 1, null));
      LOG.info("ingest job {} published channel {}", id, request.channelId());
    } else {
      update(with(current, JobState.FAILED, current.progress(), failure));
      LOG.warn("ingest job {} for channel {} failed: {}", id, request.channelId(), detail);
    }
  }

  /** See {@link JobMessages#forClients}. */
  static String forClients(String failure, IngestRequest request) {
    return JobMessages.forClients(failure, request);
  }

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

  /** A job's task and what it ingests. */
  private record Task(Future<?> future, IngestRequest request) {}

  @Override
  public Optional<IngestJob> job(String jobId) {
    synchronized (jobs) {
      return Optional.ofNullable(jobs.get(jobId));
    }
  }

  /**
   * {@inheritDoc} A running job's thread is interrupted, which a {@link Ingester} takes as the
   * order to stop and discard what it wrote.
   */
  @Override
  public Optional<IngestJob> cancel(String jobId) {
    synchronized (jobs) {
      IngestJob j = jobs.get(jobId);
      if (j == null || j.state().isFinal()) {
        return Optional.ofNullable(j);
      }
      Task task = tasks.get(jobId);
      if (j.state() == JobState.QUEUED) {
        if (task != null) {
          task.future().cancel(false);
          executor.remove((Runnable) task.future());
          tasks.remove(jobId);
          deleteUpload(task.request());
        }
        update(with(j, JobState.CANCELLED, 0, null));
        LOG.info("ingest job {} for channel {} cancelled before it started", jobId,
            j.channelId());
      } else if (task != null && cancelling.add(jobId)) {
        task.future().cancel(true);
      }
      return Optional.of(jobs.get(jobId));
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
