package io.hlskit.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.HlsException;
import io.hlskit.core.contract.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueuedIngestServiceTest {
  @TempDir
  Path dir;

  private IngestRequest request(String channel) throws Exception {
    Path upload = Files.createTempFile(dir, "upload", ".mp4");
    Files.writeString(upload, "not really a video");
    return new IngestRequest(upload, channel, "Title", "medium", Optional.of("video.mp4"));
  }

  private static IngestJob awaitFinal(QueuedIngestService s, String id) {
    Eventually.await(Duration.ofSeconds(10), "job " + id + " to end",
        () -> s.job(id).orElseThrow().state().isFinal());
    return s.job(id).orElseThrow();
  }

  @Test
  void runsAJobReportingMonotonicProgressAndDeletesTheUpload() throws Exception {
    List<Double> seen = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    try (QueuedIngestService s = QueuedIngestService.builder((req, progress) -> {
      progress.accept(0.25);
      progress.accept(0.1); // ignored: progress never goes back
      release.await(10, TimeUnit.SECONDS);
      progress.accept(0.75);
    }).build()) {
      IngestRequest r = request("canal1");

      IngestJob queued = s.submit(r);

      assertThat(queued.state()).isEqualTo(JobState.QUEUED);
      assertThat(queued.channelId()).isEqualTo("canal1");
      Eventually.await(Duration.ofSeconds(10), "progress 0.25",
          () -> s.job(queued.id()).orElseThrow().progress() == 0.25);
      IngestJob running = s.job(queued.id()).orElseThrow();
      assertThat(running.state()).isEqualTo(JobState.RUNNING);
      assertThat(s.activeJobs()).isEqualTo(1);
      release.countDown();

      IngestJob done = awaitFinal(s, queued.id());
      assertThat(done.state()).isEqualTo(JobState.DONE);
      assertThat(done.progress()).isEqualTo(1.0);
      assertThat(done.error()).isEmpty();
      assertThat(r.file()).doesNotExist();
      assertThat(s.activeJobs()).isZero();
    }
  }

  @Test
  void aFailedJobKeepsTheReason() throws Exception {
    try (QueuedIngestService s = QueuedIngestService.builder((req, progress) -> {
      progress.accept(0.5);
      throw new HlsException("the upload is not a video: no stream libav can decode");
    }).build()) {
      IngestRequest r = request("canal2");

      IngestJob failed = awaitFinal(s, s.submit(r).id());

      assertThat(failed.state()).isEqualTo(JobState.FAILED);
      assertThat(failed.error()).contains("the upload is not a video: no stream libav can decode");
      assertThat(failed.progress()).isEqualTo(0.5);
      assertThat(r.file()).doesNotExist();
    }
  }

  @Test
  void aFailureNamesTheUploadAsItsSenderNamedItAndNoServerPath() throws Exception {
    IngestRequest r = request("canal3");
    try (QueuedIngestService s = QueuedIngestService.builder((req, progress) -> {
      throw new HlsException(req.file() + " is not a media file; cannot create"
          + " /var/lib/hlskit/work/hlskit-transcode-1 (disk full?)");
    }).build()) {
      IngestJob failed = awaitFinal(s, s.submit(r).id());

      assertThat(failed.error().orElseThrow()).contains("video.mp4 is not a media file")
          .contains("cannot create (a folder of the server) (disk full?)")
          .doesNotContain(dir.toString()).doesNotContain("/var/lib");
    }
  }

  @Test
  void refusesJobsBeyondTheQueueAndAfterClose() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    QueuedIngestService s = QueuedIngestService.builder(
        (req, progress) -> release.await(10, TimeUnit.SECONDS)).queueCapacity(1).build();
    try {
      s.submit(request("a"));
      Eventually.await(Duration.ofSeconds(10), "first job running",
          () -> s.activeJobs() == 1 && s.job(s.submit(requestUnchecked("b")).id()).isPresent());
      IngestRequest third = request("c");
      assertThatThrownBy(() -> s.submit(third)).isInstanceOf(HlsException.class)
          .hasMessageContaining("too many ingest jobs");
      assertThat(third.file()).doesNotExist();
    } finally {
      release.countDown();
      s.close();
    }
    IngestRequest late = request("d");
    assertThatThrownBy(() -> s.submit(late)).hasMessageContaining("shut down");
    assertThat(late.file()).doesNotExist();
  }

  @Test
  void cancelStopsARunningJobAndDropsAQueuedOneBeforeItStarts() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    try (QueuedIngestService s = QueuedIngestService.builder((req, progress) -> {
      ran.add(req.channelId());
      started.countDown();
      progress.accept(0.25);
      Thread.sleep(30_000); // the transcode; an interrupt ends it
    }).build()) {
      IngestRequest first = request("first");
      IngestRequest second = request("second");
      String running = s.submit(first).id();
      String queued = s.submit(second).id();
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

      IngestJob dropped = s.cancel(queued).orElseThrow();
      assertThat(dropped.state()).isEqualTo(JobState.CANCELLED);
      assertThat(second.file()).doesNotExist();

      assertThat(s.cancel(running).orElseThrow().state()).isEqualTo(JobState.RUNNING);
      IngestJob stopped = awaitFinal(s, running);
      assertThat(stopped.state()).isEqualTo(JobState.CANCELLED);
      assertThat(stopped.error()).isEmpty();
      assertThat(stopped.progress()).isEqualTo(0.25);
      assertThat(first.file()).doesNotExist();
      assertThat(ran).containsExactly("first");
      assertThat(s.activeJobs()).isZero();
      assertThat(s.cancel("no-such-job")).isEmpty();
    }
  }

  @Test
  void cancellingAnEndedJobLeavesItAsItEnded() throws Exception {
    try (QueuedIngestService s = QueuedIngestService.builder((req, progress) -> { }).build()) {
      String id = s.submit(request("done")).id();
      awaitFinal(s, id);

      assertThat(s.cancel(id).orElseThrow().state()).isEqualTo(JobState.DONE);
      assertThat(s.job(id).orElseThrow().state()).isEqualTo(JobState.DONE);
    }
  }

  private IngestRequest requestUnchecked(String channel) {
    try {
      return request(channel);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
