package io.hlskit.demo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.chat.redis.RedisIngestService;
import io.hlskit.chat.redis.testing.RedisTestServer;
import io.hlskit.core.PlaylistParseException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.store.InMemoryMediaStore;
import io.hlskit.server.JwtTokens;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.storage.s3.S3MediaStore;
import io.hlskit.storage.s3.testing.S3TestServer;
import io.hlskit.transcode.TranscodeJob;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.internal.SampleVideo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import io.hlskit.transcode.testing.LivePublishers;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each README example against real parts: a folder, libav, S3Proxy, redis-server. */
class ExamplesTest {
  private static final byte[] SEGMENT = new byte[188 * 20];

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  void playlistsAreWrittenReadAndPublished() {
    String text = WritePlaylists.write();
    assertThat(text).startsWith("#EXTM3U").contains("#EXT-X-TARGETDURATION:7", "#EXT-X-ENDLIST");
    MediaPlaylist read = (MediaPlaylist) WritePlaylists.read(text, true);
    assertThat(read.segments()).hasSize(2);
    assertThat(WritePlaylists.read(text + "#EXT-X-SOMETHING-NEW:1\n", false)).isNotNull();
    assertThatThrownBy(() -> WritePlaylists.read("#EXTM3U\n#EXTINF:x,\nseg.ts\n", true))
        .isInstanceOf(PlaylistParseException.class).hasMessageContaining("line 2");

    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      WritePlaylists.publish(store, text, SEGMENT, SEGMENT);
      assertThat(store.channelMetadata("canal1")).map(ChannelMetadata::title)
          .contains("Canal 1");
    }
  }

  @Test
  void anEncoderGoesLive() throws Exception {
    LivePublishers.requireFfmpeg();
    int port = freePort();
    LiveFromEncoders.Live live = LiveFromEncoders.start(dir, port, 0);
    Process ffmpeg = LivePublishers.rtmp("rtmp://127.0.0.1:" + live.rtmpPort() + "/live/"
        + live.streamKey(), "640x360", 5, dir.resolve("ffmpeg.log"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String playlist = "";
      while (!playlist.contains("#EXTINF") && System.nanoTime() < deadline) {
        Thread.sleep(200);
        HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + port + "/streams/news/360p/index.m3u8")).build(),
            HttpResponse.BodyHandlers.ofString());
        playlist = r.statusCode() == 200 ? r.body() : "";
      }
      assertThat(playlist).contains("#EXTINF", "#EXT-X-PROGRAM-DATE-TIME")
          .doesNotContain("#EXT-X-ENDLIST");
      assertThat(get(port, "/streams/news/playlist.m3u8")).contains("RESOLUTION=640x360")
          .doesNotContain("RESOLUTION=1920");
    } finally {
      ffmpeg.destroyForcibly();
      live.stop().run();
    }
  }

  @Test
  void aScheduleOfTwoVideosPlaysLive() {
    String a = WritePlaylists.write();   // 6.006 s + 4.004 s
    Instant start = Instant.parse("2026-11-28T00:00:00Z");
    assertThat(LinearChannel.liveAt(a, a, start.minusSeconds(1))).isEmpty();
    String live = LinearChannel.liveAt(a, a, start.plusSeconds(11)).orElseThrow();
    assertThat(live).contains("../a/seg_00000.ts", "../a/seg_00001.ts", "../b/seg_00000.ts",
        "#EXT-X-DISCONTINUITY\n", "#EXT-X-PROGRAM-DATE-TIME:2026-11-28T00:00:10.010Z")
        .doesNotContain("#EXT-X-ENDLIST", "../b/seg_00001.ts");
  }

  @Test
  void aFolderIsServedWithItsChat() throws Exception {
    try (FileSystemMediaStore store = FileSystemMediaStore.at(dir)) {
      WritePlaylists.publish(store, WritePlaylists.write(), SEGMENT, SEGMENT);
    }
    // a plain HLS folder, as ffmpeg writes one: a playlist and its segments, no channel.json
    Files.createDirectories(dir.resolve("plain"));
    Files.writeString(dir.resolve("plain/playlist.m3u8"), WritePlaylists.write());
    Files.write(dir.resolve("plain/seg_00000.ts"), SEGMENT);
    int port = freePort();
    Runnable stop = ServeFolder.start(dir, port);
    try {
      assertThat(get(port, "/api/channels")).contains("\"id\":\"canal1\"")
          .contains("\"id\":\"plain\"");
      assertThat(get(port, "/streams/canal1/playlist.m3u8")).isEqualTo(WritePlaylists.write());
      assertThat(get(port, "/streams/plain/playlist.m3u8")).isEqualTo(WritePlaylists.write());
      assertThat(get(port, "/hello")).isEqualTo("hello");
      Chat ana = Chat.open(http, port, "canal1", "ana");
      Chat ben = Chat.open(http, port, "canal1", "ben");
      ana.say("hola");
      assertThat(ben.await("\"text\":\"hola\"")).contains("\"username\":\"ana\"");
    } finally {
      stop.run();
      stop.run();   // stopping twice is harmless
    }
  }

  @Test
  void aVideoBecomesAnAdaptiveChannel() throws Exception {
    Path input = dir.resolve("talk.mp4");
    SampleVideo.write(input, SampleVideo.Spec.mp4(1280, 720, 2));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream console = System.out;
    ChannelMetadata channel;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      channel = TranscodeAbr.transcode(input, "talk", dir.resolve("streams"));
    } finally {
      System.setOut(console);
    }

    // a 720p source: low and medium, never high (no upscaling)
    assertThat(channel.renditions()).extracting(r -> r.name()).containsExactly("720p", "360p");
    assertThat(channel.title()).isEqualTo("My first channel");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("100%").contains("realtime");
    String master = Files.readString(dir.resolve("streams/talk").resolve(channel.playlist()));
    assertThat(WritePlaylists.read(master, true)).isInstanceOf(MultivariantPlaylist.class);
  }

  @Test
  void uploadsAreTranscodedAndJobsOfYourOwnRunAndCancel() throws Exception {
    Path input = dir.resolve("clip.mp4");
    SampleVideo.write(input, SampleVideo.Spec.mp4(640, 360, 2));
    int port = freePort();
    Runnable stop = UploadsAndJobs.serve(dir.resolve("streams"), port, "token-of-the-admin");
    try {
      String job = uploadAndAwaitDone(port, "uploaded", input);
      assertThat(get(port, job)).contains("\"state\":\"done\"");
      assertThat(get(port, "/api/channels/uploaded")).contains("\"id\":\"uploaded\"");
    } finally {
      stop.run();
    }

    Transcoder transcoder = Transcoder.create();
    try (InMemoryMediaStore store = new InMemoryMediaStore()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream console = System.out;
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      ChannelMetadata channel;
      try {
        channel = UploadsAndJobs.convert(transcoder, store, input, "own").result()
            .get(60, TimeUnit.SECONDS);
      } finally {
        System.setOut(console);
      }
      // a 360p source: 240p, and no rendition above it
      assertThat(channel.renditions()).extracting(r -> r.name()).containsExactly("240p");
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("own 100%",
          "own: 1 renditions");

      TranscodeJob cancelled = UploadsAndJobs.convert(transcoder, store, input, "cancelled");
      cancelled.cancel();
      assertThatThrownBy(() -> cancelled.result().get(10, TimeUnit.SECONDS))
          .isInstanceOf(CancellationException.class);
      assertThat(store.list("cancelled/")).isEmpty();
    }
  }

  @Test
  void uploadsQueuedOnAWebInstanceAreTranscodedByAWorker() throws Exception {
    Path input = dir.resolve("queued.mp4");
    SampleVideo.write(input, SampleVideo.Spec.mp4(320, 180, 2));
    int port = freePort();
    try (RedisTestServer redis = RedisTestServer.start();
        InMemoryMediaStore store = new InMemoryMediaStore()) {
      Runnable web = TranscodeOnWorkers.web(store, redis.uri(), "token-of-the-admin", port);
      try (RedisIngestService worker = TranscodeOnWorkers.worker(store, redis.uri())) {
        String job = uploadAndAwaitDone(port, "queued", input);
        assertThat(get(port, job)).contains("\"state\":\"done\"")
            .contains("\"worker\":\"" + worker.workerId().orElseThrow() + "\"");
        assertThat(get(port, "/api/channels/queued")).contains("\"id\":\"queued\"");
        assertThat(store.list(RedisIngestService.UPLOADS)).isEmpty();
      } finally {
        web.run();
      }
    }
  }

  @Test
  void aPrivateChannelPlaysWithATokenAndNotWithout() throws Exception {
    Path input = dir.resolve("members.mp4");
    SampleVideo.write(input, SampleVideo.Spec.mp4(640, 360, 3));
    String secret = "an-example-secret-of-at-least-32-bytes";
    int port = freePort();
    Runnable stop = PrivateChannel.start(input, dir.resolve("private-streams"), secret, port);
    try {
      HttpClient http = HttpClient.newHttpClient();
      String playlist = "http://127.0.0.1:" + port + "/streams/members/360p/index.m3u8";
      assertThat(http.send(HttpRequest.newBuilder(URI.create(playlist)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      String token = JwtTokens.hs256(secret).subject("ana").sign();
      String text = http.send(HttpRequest.newBuilder(URI.create(playlist))
          .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(text).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"/api/keys/members/");
    } finally {
      stop.run();
    }
  }

  @Test
  void instancesOnOneBucketAndOneRedisShareChannelsAndChat() throws Exception {
    try (S3TestServer s3 = S3TestServer.create(); RedisTestServer redis = RedisTestServer.start()) {
      String bucket = s3.newBucket();
      try (S3MediaStore store = s3.storeBuilder(bucket).build()) {
        WritePlaylists.publish(store, WritePlaylists.write(), SEGMENT, SEGMENT);
        store.write("plain/playlist.m3u8", WritePlaylists.write().getBytes(
            StandardCharsets.UTF_8));   // a plain HLS folder: no channel.json
        store.write("plain/seg_00000.ts", SEGMENT);
      }
      // the example takes its credentials from the SDK's chain, as an application would
      System.setProperty("aws.accessKeyId", s3.accessKey());
      System.setProperty("aws.secretAccessKey", s3.secretKey());
      int portA = freePort();
      int portB = freePort();
      Runnable a = ServeFromS3WithRedis.start(s3.endpoint(), bucket, redis.uri(), portA);
      Runnable b = ServeFromS3WithRedis.start(s3.endpoint(), bucket, redis.uri(), portB);
      try {
        assertThat(get(portA, "/api/channels")).contains("\"id\":\"canal1\"")
            .contains("\"id\":\"plain\"");
        assertThat(get(portB, "/streams/canal1/playlist.m3u8"))
            .isEqualTo(WritePlaylists.write());
        assertThat(get(portB, "/streams/plain/playlist.m3u8"))
            .isEqualTo(WritePlaylists.write());
        assertThat(get(portA, "/hello")).isEqualTo("hello");
        Chat ana = Chat.open(http, portA, "canal1", "ana");
        Chat ben = Chat.open(http, portB, "canal1", "ben");
        ana.say("across instances");
        assertThat(ben.await("\"text\":\"across instances\"")).contains("\"username\":\"ana\"");
      } finally {
        a.run();
        b.run();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
    }
  }

  /** Uploads {@code video} as channel {@code id} with the admin token; waits up to 60 s. */
  private String uploadAndAwaitDone(int port, String id, Path video) throws Exception {
    HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + port + "/api/channels?id=" + id + "&profile=low"))
        .header("Authorization", "Bearer token-of-the-admin")
        .header("Content-Type", "video/mp4")
        .POST(HttpRequest.BodyPublishers.ofFile(video)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    String job = upload.headers().firstValue("Location").orElseThrow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!get(port, job).contains("\"state\":\"done\"") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return job;
  }

  private String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A chat client on the JDK's WebSocket that keeps the text frames it receives. */
  static final class Chat implements WebSocket.Listener {
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    static Chat open(HttpClient http, int port, String channel, String name)
        throws InterruptedException {
      Chat chat = new Chat();
      chat.ws = http.newWebSocketBuilder().buildAsync(
          URI.create("ws://127.0.0.1:" + port + "/ws/chat?channel=" + channel), chat).join();
      chat.ws.sendText("{\"type\":\"join\",\"username\":\"" + name + "\"}", true).join();
      chat.await("\"type\":\"history\"");
      return chat;
    }

    void say(String text) {
      ws.sendText("{\"type\":\"chat_message\",\"text\":\"" + text + "\"}", true).join();
    }

    String await(String fragment) throws InterruptedException {
      while (true) {
        String frame = frames.poll(10, TimeUnit.SECONDS);
        assertThat(frame).as("a frame with " + fragment).isNotNull();
        if (frame.contains(fragment)) {
          return frame;
        }
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
