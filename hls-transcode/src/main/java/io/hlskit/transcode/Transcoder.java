package io.hlskit.transcode;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import io.hlskit.core.HlsException;
import io.hlskit.core.TranscodeCancelledException;
import io.hlskit.core.TranscodeException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.internal.Folders;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.internal.Encode;
import io.hlskit.transcode.internal.EncodeResult;
import io.hlskit.transcode.internal.EncodeSettings;
import io.hlskit.transcode.internal.InputRules;
import io.hlskit.transcode.internal.LibavLog;
import io.hlskit.transcode.internal.Remux;
import io.hlskit.transcode.internal.TranscodeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a video file into a published HLS channel, in-process through libav (Bytedeco FFmpeg):
 * no ffmpeg process is started.
 *
 * <pre>{@code
 * Transcoder transcoder = Transcoder.create();
 * TranscodeRequest request = TranscodeRequest.builder(Path.of("talk.mp4"), "talk")
 *     .ladder(Ladder.ABR)                  // or Ladder.parse("720p:2000k")
 *     .build();
 * ChannelMetadata channel = transcoder.transcode(request, store,
 *     p -> System.out.printf("%3.0f%% %.1fx%n", p.fraction() * 100, p.speed()));
 * }</pre>
 *
 * <p>Each rendition goes to {@code <channel>/<short side>p/seg_NNNNN.ts} with its {@code
 * index.m3u8}; {@code playlist.m3u8} is the channel's entry playlist: the media playlist of a
 * single rendition, or for a {@link Ladder} of several the multivariant playlist with measured
 * peak and average bandwidth, codecs, resolution and frame rate; everything is written into a {@link
 * ChannelDraft} and published at the end, so a failed or cancelled transcode leaves nothing that
 * readers can see. Interrupting the calling thread cancels; {@link #submit} runs a transcode as
 * a {@link TranscodeJob} on the transcoder's own threads instead, with a handle to cancel it.
 *
 * <p>A sound file (audio and no video, cover art aside) becomes an audio-only channel: one
 * AAC rendition in {@code <channel>/audio/} whatever the ladder, its cover art as the poster.
 *
 * <p>H.264 comes from libx264 when the GPL natives are on the classpath and from OpenH264
 * otherwise (said once in the log). Thread-safe: blocking transcodes may run concurrently, each
 * on its caller's thread; submitted jobs run {@link Builder#concurrency} at a time.
 */
public final class Transcoder {
  private static final Logger LOG = LoggerFactory.getLogger(Transcoder.class);

  /** The encoder is said once per process, however many transcoders are made. */
  private static final AtomicBoolean ENCODER_LOGGED = new AtomicBoolean();

  /** The poster's key in the channel. */
  static final String POSTER = "poster.jpg";

  /** The rendition name of a channel made from a sound file: {@code <channel>/audio/}. */
  static final String AUDIO_ONLY = "audio";

  /** The prefix of a transcode's working folder. */
  static final String WORK_PREFIX = "hlskit-transcode-";

  /**
   * A working folder nothing has written into for this long was left by a process killed
   * mid-transcode (a live one writes a segment every few seconds); as for drafts and uploads.
   */
  static final Duration ABANDONED_WORK_AGE = Duration.ofHours(6);

  private final String videoEncoder;
  private final Path workDirectory;
  private final TranscodeLimits limits;
  /** Null without a meter registry. */
  private final TranscodeMetrics metrics;

  /** Runs submitted jobs; its threads end after a minute without work. */
  private final ThreadPoolExecutor jobs;

  private Transcoder(String videoEncoder, Path workDirectory, TranscodeLimits limits,
      TranscodeMetrics metrics, int concurrency) {
    this.videoEncoder = videoEncoder;
    this.workDirectory = workDirectory;
    this.limits = limits;
    this.metrics = metrics;
    AtomicInteger count = new AtomicInteger();
    this.jobs = new ThreadPoolExecutor(concurrency, concurrency, 1, TimeUnit.MINUTES,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "hlskit-transcode-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    jobs.allowCoreThreadTimeOut(true);
  }

  /**
   * A transcoder on the libav natives found on the classpath, working in the system's temporary
   * directory.
   *
   * @throws TranscodeException when the natives cannot be loaded or have no H.264 encoder
   */
  public static Transcoder create() {
    return builder().build();
  }

  /** A builder, for a transcoder that works in a folder of your choice. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Transcoder}. */
  public static final class Builder {
    private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private TranscodeLimits limits = TranscodeLimits.DEFAULTS;
    private MeterRegistry meterRegistry;
    private int concurrency = 1;

    private Builder() {}

    /**
     * How many {@linkplain Transcoder#submit submitted} jobs run at once, 1 by default: a
     * transcode keeps every core busy already, and two at once each take twice as long. The
     * others wait in order. Blocking {@link Transcoder#transcode} calls are not counted.
     */
    public Builder concurrency(int jobs) {
      if (jobs < 1 || jobs > 64) {
        throw new IllegalArgumentException("concurrency must be 1 to 64 jobs: " + jobs);
      }
      this.concurrency = jobs;
      return this;
    }

    /**
     * Reports {@code hlskit_transcode_seconds{result}} (done, failed, cancelled) and {@code
     * hlskit_transcode_speed} into {@code registry}. Micrometer is an optional dependency of
     * hls-transcode: needed on the classpath only by applications that call this.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * What inputs are taken and how much work one may cost (default: {@link
     * TranscodeLimits#DEFAULTS}).
     */
    public Builder limits(TranscodeLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Where each transcode writes its segments before they go into the store (default: {@code
     * java.io.tmpdir}). Give a folder on the file system of a {@code FileSystemMediaStore} and
     * the segments are renamed into the channel instead of copied; a few gigabytes may pass
     * through for a long video. Working folders there that nothing has written into for six
     * hours, left by a process killed mid-transcode, are removed when the transcoder is built.
     */
    public Builder workDirectory(Path directory) {
      this.workDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * The transcoder.
     *
     * @throws TranscodeException when the natives cannot be loaded or have no H.264 encoder, or
     *     the working folder cannot be created
     */
    public Transcoder build() {
      String encoder = loadEncoder();
      try {
        Files.createDirectories(workDirectory);
      } catch (IOException e) {
        throw new TranscodeException("cannot create the transcoder's working folder "
            + workDirectory + " (" + e + "); give a writable folder", e);
      }
      removeAbandonedWork(workDirectory);
      return new Transcoder(encoder, workDirectory, limits,
          meterRegistry == null ? null : new TranscodeMetrics(meterRegistry), concurrency);
    }
  }

  /** What to say when the natives of {@code platform} cannot be loaded. */
  static String nativesMissing(String platform, String why) {
    return "cannot load the libav natives for " + platform + " (" + why + "); put"
        + " org.bytedeco:ffmpeg with the classifier " + platform + "-gpl (libx264) or "
        + platform + " (OpenH264), and org.bytedeco:javacpp with the classifier " + platform
        + ", on the classpath, at the versions hlskit-bom manages; building hlskit's demo"
        + " for another machine: -Djavacpp.platform=" + platform;
  }

  private static String loadEncoder() {
    String encoder;
    try {
      // libav's log goes to SLF4J, kept to errors (they reach us as return codes as well)
      av_log_set_level(AV_LOG_ERROR);
      LibavLog.install();
      if (avcodec_find_encoder_by_name("libx264") != null) {
        encoder = "libx264";
      } else if (avcodec_find_encoder_by_name("libopenh264") != null) {
        encoder = "libopenh264";
      } else {
        throw new TranscodeException("the libav natives have no H.264 encoder; put the"
            + " org.bytedeco:ffmpeg natives for this platform on the classpath");
      }
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new TranscodeException(nativesMissing(Loader.getPlatform(), e.getMessage()), e);
    }
    if (ENCODER_LOGGED.compareAndSet(false, true)) {
      LOG.info("H.264 encoder: {}{}", encoder, encoder.equals("libx264") ? ""
          : " (the GPL natives with libx264 are not on the classpath)");
    }
    return encoder;
  }

  /**
   * Removes the working folders in {@code dir} that nothing has written into for {@link
   * #ABANDONED_WORK_AGE}. Only those: other processes may be transcoding in the same folder.
   */
  private static void removeAbandonedWork(Path dir) {
    Folders.removeAbandoned(dir, WORK_PREFIX + "*", ABANDONED_WORK_AGE,
        "working folder");
  }

  /** The H.264 encoder in use: {@code libx264} or {@code libopenh264}. */
  public String videoEncoder() {
    return videoEncoder;
  }

  /**
   * Transcodes and publishes the channel; returns when it is published.
   *
   * @throws TranscodeException naming the input, the stage and libav's message; nothing is
   *     published then, and no temporary file is left
   */
  public ChannelMetadata transcode(TranscodeRequest request, MediaStore store,
      ProgressListener listener) {
    Objects.requireNonNull(listener, "listener");
    return measured(request, store, listener, null);
  }

  /**
   * Queues a transcode and returns at once; it runs on one of the transcoder's threads (see
   * {@link Builder#concurrency}), and publishes the channel when done.
   */
  public TranscodeJob submit(TranscodeRequest request, MediaStore store) {
    return submit(request, store, TranscodeListener.none());
  }

  /**
   * Queues a transcode and returns at once; {@code listener} hears how it goes, on the
   * transcoding thread.
   */
  public TranscodeJob submit(TranscodeRequest request, MediaStore store,
      TranscodeListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(store, "store");
    TranscodeJob job = new TranscodeJob(request, listener);
    jobs.execute(() -> runJob(job, store));
    return job;
  }

  private void runJob(TranscodeJob job, MediaStore store) {
    if (!job.start()) {
      return; // cancelled while it waited
    }
    try {
      job.finished(measured(job.request(), store, job::progressed, job));
    } catch (TranscodeCancelledException e) {
      job.cancelled();
    } catch (TranscodeException e) {
      if (job.cancelRequested()) {
        job.cancelled(); // what failed was cut short by the cancel
      } else {
        job.failed(e);
      }
    } catch (RuntimeException | Error e) {
      job.failed(new TranscodeException("the transcode of " + job.request().input()
          + " failed: " + e, e));
      if (e instanceof Error error) {
        throw error;
      }
    }
  }

  /** Runs a transcode, with its metrics when there is a registry. */
  private ChannelMetadata measured(TranscodeRequest request, MediaStore store,
      ProgressListener listener, TranscodeJob job) {
    if (metrics == null) {
      return run(request, store, listener, job);
    }
    long started = System.nanoTime();
    try {
      ChannelMetadata published = run(request, store, listener, job);
      metrics.done(System.nanoTime() - started, published.duration().toNanos() / 1e9);
      return published;
    } catch (TranscodeCancelledException e) {
      metrics.cancelled(System.nanoTime() - started);
      throw e;
    } catch (RuntimeException e) {
      metrics.failed(System.nanoTime() - started);
      throw e;
    }
  }

  /**
   * The transcode itself, on the caller's thread: cancelled by an interrupt, or for a job by
   * {@link TranscodeJob#cancel}.
   */
  private ChannelMetadata run(TranscodeRequest request, MediaStore store,
      ProgressListener listener, TranscodeJob job) {
    TranscodeGuard.Cancel cancel = job != null ? new TranscodeGuard.Cancel(job::cancelRequested, job::cancelledException)
        : new TranscodeGuard.Cancel(() -> Thread.currentThread().isInterrupted(),
            () -> new TranscodeCancelledException("the transcode of " + request.input()
                + " was cancelled"));
    if (!Files.isRegularFile(request.input())) {
      throw new TranscodeException(request.input() + " is not a file");
    }
    Ladder ladder = request.ladder();
    List<EncodeSettings.Rendition> specs = ladder.renditions().stream().map(this::settings)
        .toList();
    Path work;
    try {
      work = Files.createTempDirectory(workDirectory, WORK_PREFIX);
    } catch (IOException e) {
      throw new TranscodeException("cannot create a working folder for the transcode in "
          + workDirectory + " (" + e + "); is it writable, is the disk full?", e);
    }
    double segmentSeconds = request.segmentDuration().toMillis() / 1000.0;
    // both are free until run: only the one the ladder asks for allocates anything
    InputRules rules = new InputRules(limits.formatWhitelist(),
        limits.maxDuration().toNanos() / 1000);
    try (Encode encode = new Encode(request.input(), rules);
        Remux remux = new Remux(request.input(), rules);
        ChannelDraft draft = store.draft(request.channelId())) {
      long started = System.nanoTime();
      ProgressReporter reporter = new ProgressReporter(listener, ladder.remux()
          ? remux::inputDurationMicros : encode::inputDurationMicros, started);
      TranscodeGuard guard = new TranscodeGuard(limits, work, started, request.input(), cancel);
      encode.cancelWhen(cancel.requested());
      LongConsumer onTime = guard.andThen(reporter::videoAt);
      EncodeResult result;
      if (ladder.remux()) {
        result = remux.run(work, segmentSeconds, request.format() == SegmentFormat.FMP4,
            onTime);
      } else {
        EncodeSettings.Thumbnails thumbnails = request.thumbnails()
            .map(t -> new EncodeSettings.Thumbnails(t.longSide(), t.interval().toNanos() / 1000,
                t.columns(), t.rows())).orElse(null);
        result = encode.run(work, new EncodeSettings(specs, ladder.isAdaptive(),
            ladder.audioBitrate(), segmentSeconds, request.format() == SegmentFormat.FMP4,
            thumbnails), onTime);
      }

      guard.checkOutput(); // what was written since the last look
      ChannelMetadata published = ChannelAssembly.assemble(result, draft, request,
          cancel::check);
      cancel.check();
      if (job != null) {
        job.publishing();
      }
      draft.publish(published);
      double wall = (System.nanoTime() - started) / 1e9;
      listener.onProgress(new Progress(1.0, result.frames(),
          wall > 0 ? published.duration().toNanos() / 1e9 / wall : 0));
      LOG.info("published {}: {} of {} segments, {} frames in {} s", request.channelId(),
          published.renditions().stream().map(RenditionInfo::name).toList(),
          result.renditions().get(0).segments().size(), result.frames(),
          String.format("%.1f", wall));
      return published;
    } catch (IOException e) {
      throw new TranscodeException("the transcode of " + request.input() + " failed: " + e, e);
    } catch (TranscodeException e) {
      throw e;
    } catch (HlsException e) {
      throw new TranscodeException("the transcode of " + request.input() + " failed: "
          + e.getMessage(), e);
    } finally {
      Folders.deleteTree(work);
    }
  }

  /**
   * What the encoder is told for {@code r}.
   *
   * @throws TranscodeException when the natives have no such encoder
   */
  EncodeSettings.Rendition settings(Rendition r) {
    String encoder = r.encoder() == VideoEncoder.H264 ? videoEncoder : r.encoder().libavName();
    if (!encoder.equals(videoEncoder) && avcodec_find_encoder_by_name(encoder) == null) {
      throw new TranscodeException("rendition " + r.folderName() + " asks for " + encoder
          + ", which the libav natives on the classpath do not have"
          + (r.encoder() == VideoEncoder.OPENH264 ? "" : "; put the GPL natives"
          + " (org.bytedeco:ffmpeg with the -gpl classifier) on the classpath"));
    }
    if (r.quality().isPresent() && encoder.equals("libopenh264")) {
      LOG.warn("rendition {}: OpenH264 has no constant-quality mode; encoding at {} kb/s",
          r.folderName(), r.videoBitrate() / 1000);
    }
    return new EncodeSettings.Rendition(r.name().orElse(null), r.shortSide(), r.videoBitrate(),
        r.maxRate(), r.bufferSize(), r.quality().orElse(-1), encoder, r.preset());
  }
}
