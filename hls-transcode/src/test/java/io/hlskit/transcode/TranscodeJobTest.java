package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.TranscodeException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.transcode.internal.SampleVideo;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcodes submitted as jobs: results, events, and cancels that publish nothing. */
class TranscodeJobTest {
  @TempDir
  static Path dir;
  static Path small;
  static Path fullHd;

  private final Path work = dir.resolve("work");
  private final Transcoder transcoder = Transcoder.builder().workDirectory(work).build();
  private final InMemoryMediaStore store = new InMemoryMediaStore();

  @BeforeAll
  static void makeInputs() {
    small = dir.resolve("small.mp4");
    SampleVideo.write(small, SampleVideo.Spec.mp4(320, 180, 2));
    fullHd = dir.resolve("1080p.mp4");
    SampleVideo.write(fullHd, SampleVideo.Spec.mp4(1920, 1080, 4));
  }

  @AfterEach
  void nothingLeftBehind() {
    store.close();
    assertThat(WorkFolders.list(work)).as("working folders left").isEmpty();
  }

  /** Records every event a job's listener hears, by name. */
  static final class Events implements TranscodeListener {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final CountDownLatch progressed = new CountDownLatch(3);

    private void saw(String event) {
      seen.add(event);
      threads.add(Thread.currentThread().getName());
    }

    @Override
    public void onStarted(TranscodeJob job) {
      saw("started");
    }

    @Override
    public void onProgress(TranscodeJob job, Progress progress) {
      if (!seen.contains("progress")) {
        saw("progress");
      }
      progressed.countDown();
    }

    @Override
    public void onFinished(TranscodeJob job, ChannelMetadata channel) {
      saw("finished");
    }

    @Override
    public void onFailed(TranscodeJob job, TranscodeException error) {
      saw("failed");
    }

    @Override
    public void onCancelled(TranscodeJob job) {
      saw("cancelled");
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private TranscodeRequest request(Path input, String id, Ladder ladder) {
    return TranscodeRequest.builder(input, id).ladder(ladder)
        .segmentDuration(Duration.ofSeconds(1)).build();
  }

  @Test
  void aSubmittedJobPublishesAndSaysSoOnItsOwnThread() throws Exception {
    Events events = new Events();
    TranscodeJob job = transcoder.submit(request(small, "job", Ladder.ABR), store, events);

    ChannelMetadata channel = job.result().get(60, TimeUnit.SECONDS);

    assertThat(channel.id()).isEqualTo("job");
    assertThat(store.channelMetadata("job")).isPresent();
    assertThat(job.state()).isEqualTo(TranscodeJob.State.DONE);
    assertThat(job.progress().orElseThrow().fraction()).isEqualTo(1.0);
    assertThat(events.seen).containsExactly("started", "progress", "finished");
    assertThat(events.threads).allMatch(t -> t.startsWith("hlskit-transcode-"));
    assertThat(job.cancel()).as("too late to cancel").isFalse();
  }

  @Test
  void cancellingA1080pLadderStopsWithinASecondAndPublishesNothing() throws Exception {
    Events events = new Events();
    TranscodeJob job = transcoder.submit(request(fullHd, "big", Ladder.ABR), store, events);
    assertThat(events.progressed.await(60, TimeUnit.SECONDS)).as("progress reported").isTrue();
    assertThat(job.state()).isEqualTo(TranscodeJob.State.RUNNING);

    long asked = System.nanoTime();
    assertThat(job.cancel()).isTrue();
    assertThatThrownBy(() -> job.result().get(10, TimeUnit.SECONDS))
        .isInstanceOf(CancellationException.class);
    long tookMillis = (System.nanoTime() - asked) / 1_000_000;

    // and the work has really stopped: the encoders' own threads, which finish the frames they
    // hold in the background (up to 0.8 s at 1080p), are done; the process goes quiet
    Thread.sleep(Math.max(0, 1500 - (System.nanoTime() - asked) / 1_000_000));
    long cpuBefore = processCpuNanos();
    long wallBefore = System.nanoTime();
    Thread.sleep(500);
    double cores = (double) (processCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);

    System.out.printf("cancel of a 1080p ladder: job ended in %d ms; %.2f cores busy 1.5 s"
        + " after%n", tookMillis, cores);
    assertThat(tookMillis).as("ms from cancel() to the job's end").isLessThan(1000);
    // a running 1080p ladder keeps about two cores busy; the JVM's own work after it (GC, JIT)
    // has been seen at 0.32 on a loaded machine
    assertThat(cores).as("cores busy from 1.5 s to 2 s after the cancel").isLessThan(0.6);
    assertThat(job.state()).isEqualTo(TranscodeJob.State.CANCELLED);
    assertThat(job.result().isCancelled()).isTrue();
    assertThat(events.seen).containsExactly("started", "progress", "cancelled");
    assertThat(store.list("big/")).isEmpty();
    assertThat(store.channelMetadata("big")).isEmpty();
  }

  @Test
  void aQueuedJobCancelledNeverStarts() throws Exception {
    Events first = new Events();
    Events second = new Events();
    TranscodeJob running = transcoder.submit(request(small, "first", Ladder.ABR), store, first);
    TranscodeJob queued = transcoder.submit(request(small, "second", Ladder.ABR), store, second);

    assertThat(queued.result().cancel(true)).as("cancelled through its future").isTrue();

    assertThat(queued.state()).isEqualTo(TranscodeJob.State.CANCELLED);
    assertThat(queued.result().isCancelled()).isTrue();
    assertThat(running.result().get(60, TimeUnit.SECONDS).id()).isEqualTo("first");
    assertThat(second.seen).containsExactly("cancelled");
    assertThat(store.list("second/")).isEmpty();
  }

  @Test
  void aFailingJobSaysWhyAndAListenerThatThrowsHarmsNothing() throws Exception {
    Path notMedia = dir.resolve("notes.mp4");
    Files.writeString(notMedia, "not a video");
    Events events = new Events();
    TranscodeJob failing = transcoder.submit(request(notMedia, "bad", Ladder.ABR), store,
        events);

    assertThatThrownBy(() -> failing.result().get(60, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause()
        .isInstanceOf(TranscodeException.class).hasMessageContaining("notes.mp4");
    assertThat(failing.state()).isEqualTo(TranscodeJob.State.FAILED);
    assertThat(events.seen).containsExactly("started", "failed");
    assertThat(store.list("bad/")).isEmpty();

    TranscodeJob job = transcoder.submit(request(small, "loud", Ladder.of(Profile.LOW)), store,
        new TranscodeListener() {
          @Override
          public void onProgress(TranscodeJob j, Progress p) {
            throw new IllegalStateException("a listener's own bug");
          }
        });
    assertThat(job.result().get(60, TimeUnit.SECONDS).id()).isEqualTo("loud");
  }
}
