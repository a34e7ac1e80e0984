package io.hlskit.chat.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.chat.redis.internal.JobQueue;
import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.ingest.IngestJob;
import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.Ingester;
import io.hlskit.core.ingest.JobState;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.core.store.MediaStore;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis job queue against a real redis-server (append-only file on): several services on
 * one Redis and one store, as instances and workers of a scale-out are.
 */
class RedisIngestServiceTest {
  static RedisTestServer redis;

  @TempDir
  Path dir;
  MediaStore store;
  String namespace;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisTestServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void fresh() {
    store = new InMemoryMediaStore();
    namespace = "t" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    store.close();
  }

  private RedisIngestService.Builder service() {
    return RedisIngestService.builder(redis.uri(), store).namespace(namespace)
        .spoolDirectory(dir.resolve("spool"));
  }

  private RedisIngestService start(RedisIngestService.Builder b) {
    RedisIngestService s = b.build();
    open.add(s);
    return s;
  }

  private IngestRequest upload(String channel) throws Exception {
    Path file = Files.createTempFile(dir, "upload", ".mp4");
    Files.writeString(file, "the video of " + channel);
    return new IngestRequest(file, channel, "Title " + channel, "medium",
        Optional.of("holiday.mp4"));
  }

  /** Publishes the channel after {@code millis}, from the upload it was given. */
  private Ingester publishing(long millis, List<String> seen) {
    return (request, progress) -> {
      String content = Files.readString(request.file());
      seen.add(content);
      progress.accept(0.5);
      Thread.sleep(millis);
      try (ChannelDraft draft = store.draft(request.channelId())) {
        draft.write("playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
        draft.publish(ChannelMetadata.builder(request.channelId()).title(request.title())
            .duration(Duration.ofSeconds(2)).playlist("playlist.m3u8").build());
      }
    };
  }

  private static IngestJob awaitState(RedisIngestService s, String id, JobState state,
      Duration within) {
    Eventually.await(within, "job " + id + " to be " + state, () -> {
      try {
        return s.job(id).map(j -> j.state() == state).orElse(false);
      } catch (HlsException e) {
        return false; // Redis is coming back: a poller asks again
      }
    });
    return s.job(id).orElseThrow();
  }

  /**
   * Every ended job's upload deleted: a worker deletes it just after the job's end is recorded,
   * so a client that saw the job end may still list it for a moment.
   */
  private void awaitNoUploadsLeft() {
    Eventually.await(Duration.ofSeconds(5), "the ended jobs' uploads deleted",
        () -> uploadsLeft().isEmpty());
  }

  private List<String> uploadsLeft() {
    return store.list(RedisIngestService.UPLOADS).stream().map(o -> o.key()).toList();
  }

  @Test
  void jobsQueuedOnOneInstanceAreWorkedByTheOthersAndReadTheSameEverywhere() throws Exception {
    RedisIngestService web = start(service());
    List<String> seen = new CopyOnWriteArrayList<>();
    RedisIngestService w1 = start(service().ingester(publishing(150, seen)).workerId("w1"));
    RedisIngestService w2 = start(service().ingester(publishing(150, seen)).workerId("w2"));

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(web.submit(upload("canal" + i)).id());
    }
    Set<String> workers = new HashSet<>();
    for (String id : ids) {
      IngestJob done = awaitState(web, id, JobState.DONE, Duration.ofSeconds(30));
      assertThat(done.progress()).isEqualTo(1.0);
      assertThat(done.attempts()).isEqualTo(1);
      assertThat(w1.job(id)).contains(done);
      assertThat(w2.job(id)).contains(done);
      workers.add(done.worker().orElseThrow());
    }
    assertThat(workers).containsExactlyInAnyOrder("w1", "w2");
    for (int i = 0; i < 10; i++) {
      assertThat(store.channelMetadata("canal" + i)).isPresent();
      assertThat(seen).contains("the video of canal" + i);
    }
    awaitNoUploadsLeft();
    assertThat(web.job(UUID.randomUUID().toString())).isEmpty();
    assertThat(web.job("../../etc/passwd")).isEmpty();
  }

  @Test
  void progressIsVisibleFromAnotherInstanceWhileTheJobRuns() throws Exception {
    RedisIngestService web = start(service());
    start(service().ingester(publishing(3000, new CopyOnWriteArrayList<>())));

    String id = web.submit(upload("slow")).id();

    IngestJob running = awaitState(web, id, JobState.RUNNING, Duration.ofSeconds(10));
    Eventually.await(Duration.ofSeconds(3), "progress 0.5 in Redis",
        () -> web.job(id).orElseThrow().progress() == 0.5);
    assertThat(running.worker()).isPresent();
    awaitState(web, id, JobState.DONE, Duration.ofSeconds(10));
  }

  @Test
  void aJobWhoseWorkerStoppedBeatingIsTakenByAnotherAfterTheTimeout() throws Exception {
    RedisIngestService web = start(service());
    String id = web.submit(upload("orphan")).id();
    // a worker takes the entry, starts the job, then dies: no heartbeat ever comes
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      JobQueue queue = new JobQueue(namespace, Duration.ofDays(1));
      List<StreamMessage<String, String>> got = c.sync().xreadgroup(
          Consumer.from(JobQueue.GROUP, "ghost"), XReadArgs.StreamOffset.lastConsumed(
              queue.stream()));
      assertThat(got).hasSize(1);
      assertThat(queue.start(c.sync(), id, got.get(0).getId(), "ghost", System.currentTimeMillis(),
          3).run()).isTrue();
    } finally {
      client.shutdown();
    }
    assertThat(web.job(id).orElseThrow().worker()).contains("ghost");

    long started = System.nanoTime();
    start(service().ingester(publishing(10, new CopyOnWriteArrayList<>())).workerId("heir")
        .jobTimeout(Duration.ofSeconds(2)));
    IngestJob done = awaitState(web, id, JobState.DONE, Duration.ofSeconds(20));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(
        Duration.ofMillis(1500));
    assertThat(done.worker()).contains("heir");
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(store.channelMetadata("orphan")).isPresent();
    awaitNoUploadsLeft();
  }

  @Test
  void aBeatingWorkerKeepsAJobLongerThanTheTimeout() throws Exception {
    RedisIngestService web = start(service());
    List<String> seen = new CopyOnWriteArrayList<>();
    start(service().ingester(publishing(5000, seen)).workerId("busy")
        .jobTimeout(Duration.ofSeconds(2)));
    String id = web.submit(upload("long")).id();
    awaitState(web, id, JobState.RUNNING, Duration.ofSeconds(10));
    start(service().ingester(publishing(10, seen)).workerId("idle")
        .jobTimeout(Duration.ofSeconds(2)));

    IngestJob done = awaitState(web, id, JobState.DONE, Duration.ofSeconds(20));

    assertThat(done.worker()).contains("busy");
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(seen).hasSize(1);
  }

  @Test
  void cancelStopsARunningJobWithinTwoSecondsAndDropsAQueuedOne() throws Exception {
    RedisIngestService web = start(service());
    AtomicInteger interrupted = new AtomicInteger();
    start(service().ingester((request, progress) -> {
      progress.accept(0.1);
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw e;
      }
    }));
    String running = web.submit(upload("long")).id();
    String queued = web.submit(upload("next")).id();
    awaitState(web, running, JobState.RUNNING, Duration.ofSeconds(10));

    IngestJob dropped = web.cancel(queued).orElseThrow();
    assertThat(dropped.state()).isEqualTo(JobState.CANCELLED);
    long asked = System.nanoTime();
    assertThat(web.cancel(running).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    IngestJob stopped = awaitState(web, running, JobState.CANCELLED, Duration.ofSeconds(5));

    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
    assertThat(stopped.error()).isEmpty();
    assertThat(interrupted).hasValue(1);
    assertThat(store.channelMetadata("long")).isEmpty();
    awaitNoUploadsLeft();
    assertThat(web.job(queued).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    assertThat(web.cancel(running).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    assertThat(web.cancel(UUID.randomUUID().toString())).isEmpty();
  }

  @Test
  void aPoisonJobFailsAfterThreeAttemptsAndTheWorkerGoesOn() throws Exception {
    RedisIngestService web = start(service());
    AtomicInteger attempts = new AtomicInteger();
    List<String> seen = new CopyOnWriteArrayList<>();
    Ingester good = publishing(10, seen);
    start(service().ingester((request, progress) -> {
      if (request.channelId().equals("poison")) {
        attempts.incrementAndGet();
        throw new IllegalStateException("the decoder crashed on " + request.file());
      }
      good.ingest(request, progress);
    }));

    String poison = web.submit(upload("poison")).id();
    IngestJob failed = awaitState(web, poison, JobState.FAILED, Duration.ofSeconds(20));
    String fine = web.submit(upload("fine")).id();

    assertThat(attempts).hasValue(3);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.error().orElseThrow()).contains("the decoder crashed on holiday.mp4")
        .contains("after 3 attempts").doesNotContain(dir.toString());
    awaitState(web, fine, JobState.DONE, Duration.ofSeconds(20));
    awaitNoUploadsLeft();
  }

  @Test
  void aJobWhoseUploadVanishedFailsSayingSo() throws Exception {
    RedisIngestService web = start(service());
    String id = web.submit(upload("vanished")).id();
    assertThat(uploadsLeft()).containsExactly(RedisIngestService.UPLOADS + id);
    store.deletePrefix(RedisIngestService.UPLOADS + id);

    start(service().ingester(publishing(10, new CopyOnWriteArrayList<>())));
    IngestJob failed = awaitState(web, id, JobState.FAILED, Duration.ofSeconds(20));

    assertThat(failed.error().orElseThrow()).contains("no longer in the store")
        .contains("upload the video again");
    assertThat(failed.attempts()).isEqualTo(1);
  }

  @Test
  void queuedJobsSurviveARedisRestartAndSubmittingMeanwhileSaysWhy() throws Exception {
    Assumptions.assumeTrue(redis.canStop(), "an external Redis (HLS_REDIS_URL) cannot be"
        + " restarted by the test");
    RedisIngestService web = start(service());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(web.submit(upload("kept" + i)).id());
    }
    redis.stop();
    try {
      IngestRequest during = upload("during");
      assertThatThrownBy(() -> web.submit(during)).isInstanceOf(HlsException.class)
          .hasMessageContaining("cannot be reached").hasMessageContaining("try again");
      assertThat(during.file()).doesNotExist();
      assertThat(uploadsLeft()).hasSize(3);
    } finally {
      redis.restart();
    }
    start(service().ingester(publishing(10, new CopyOnWriteArrayList<>())));
    for (String id : ids) {
      awaitState(web, id, JobState.DONE, Duration.ofSeconds(30));
    }
    awaitNoUploadsLeft();
  }

  @Test
  void aWorkerThatClosesMidJobHandsItBackWithoutUsingAnAttempt() throws Exception {
    RedisIngestService web = start(service());
    RedisIngestService leaving = service().ingester((request, progress) -> Thread.sleep(60_000))
        .workerId("leaving").build();
    String id;
    try {
      id = web.submit(upload("handed")).id();
      awaitState(web, id, JobState.RUNNING, Duration.ofSeconds(10));
    } finally {
      leaving.close();
    }
    assertThat(web.job(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);

    start(service().ingester(publishing(10, new CopyOnWriteArrayList<>())).workerId("staying"));
    IngestJob done = awaitState(web, id, JobState.DONE, Duration.ofSeconds(20));
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.worker()).contains("staying");
  }

  @Test
  void goneWorkersLeaveTheConsumerGroupUnlessTheyHoldAnEntry() throws Exception {
    RedisIngestService web = start(service()); // makes the stream and its group
    web.submit(upload("held"));
    JobQueue queue = new JobQueue(namespace, Duration.ofDays(1));
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      RedisCommands<String, String> r = c.sync();
      // a worker gone holding an entry, and one gone holding none
      assertThat(r.xreadgroup(Consumer.from(JobQueue.GROUP, "holder"),
          XReadArgs.StreamOffset.lastConsumed(queue.stream()))).hasSize(1);
      r.xgroupCreateconsumer(queue.stream(), Consumer.from(JobQueue.GROUP, "empty"));
      Thread.sleep(300);
      assertThat(queue.removeGoneConsumers(r, Duration.ofMillis(200), null)).isEqualTo(1);
      assertThat(consumers(r, queue)).containsExactly("holder");
      // one that has not idled so long stays; a closing one goes at once, unless it holds one
      r.xgroupCreateconsumer(queue.stream(), Consumer.from(JobQueue.GROUP, "closing"));
      assertThat(queue.removeGoneConsumers(r, Duration.ofSeconds(60), null)).isZero();
      assertThat(queue.removeGoneConsumers(r, Duration.ofSeconds(60), "closing")).isEqualTo(1);
      assertThat(queue.removeGoneConsumers(r, Duration.ofSeconds(60), "holder")).isZero();
      assertThat(consumers(r, queue)).containsExactly("holder");
      assertThat(r.xpending(queue.stream(), JobQueue.GROUP).getCount()).isEqualTo(1);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aWorkerSweepsOutWorkersGoneWithoutClosingAndLeavesWhenItCloses() throws Exception {
    RedisIngestService web = start(service());
    JobQueue queue = new JobQueue(namespace, Duration.ofDays(1));
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      RedisCommands<String, String> r = c.sync();
      r.xgroupCreateconsumer(queue.stream(), Consumer.from(JobQueue.GROUP, "killed"));
      RedisIngestService live = start(service().ingester(publishing(10,
          new CopyOnWriteArrayList<>())).workerId("live").jobTimeout(Duration.ofSeconds(2)));
      // gone once it has read nothing for twice the job timeout, and holds no entry
      Eventually.await(Duration.ofSeconds(15), "the killed worker swept out",
          () -> !consumers(r, queue).contains("killed"));
      awaitState(web, web.submit(upload("canal1")).id(), JobState.DONE, Duration.ofSeconds(10));
      assertThat(consumers(r, queue)).containsExactly("live"); // made by the job's delivery
      open.remove(live);
      live.close();
      assertThat(consumers(r, queue)).isEmpty();
    } finally {
      client.shutdown();
    }
  }

  /** The names of the job queue's consumers (its workers, as Redis knows them), sorted. */
  private static List<String> consumers(RedisCommands<String, String> r, JobQueue queue) {
    return r.xinfoConsumers(queue.stream(), JobQueue.GROUP).stream().map(c -> {
      List<?> fields = (List<?>) c;
      return String.valueOf(fields.get(fields.indexOf("name") + 1));
    }).sorted().toList();
  }
}
