package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.live.LivePublishException;
import io.hlskit.core.live.LivePublishing;
import io.hlskit.core.store.InMemoryMediaStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /ws/publish} over real WebSockets on loopback, in front of a publishing that takes
 * what the test says: a pipeline that has enough waiting stops the server reading the sender's
 * frames (they stay in TCP's buffers, then the sender's), and reading goes on once it has read
 * some; frames reach it in order and whole; a refusal's reason becomes the close code.
 */
class PublishWebSocketTest {
  private InMemoryMediaStore store;
  private HlsServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  /** What the pipeline took, frame by frame. */
  private final List<byte[]> taken = new CopyOnWriteArrayList<>();
  private final AtomicBoolean full = new AtomicBoolean(true);
  private final AtomicReference<Runnable> resume = new AtomicReference<>();
  private final AtomicInteger ended = new AtomicInteger();

  @BeforeEach
  void start() {
    store = new InMemoryMediaStore();
    LivePublishing publishing = request -> {
      if (!request.channel().equals("cam")) {
        throw new LivePublishException(LivePublishException.Reason.NOT_FOUND, "no channel "
            + request.channel());
      }
      return new LivePublishing.Publication() {
        @Override
        public boolean write(byte[] bytes) {
          taken.add(bytes);
          return !full.get();
        }

        @Override
        public void onDrained(Runnable r) {
          resume.set(r);
        }

        @Override
        public void onStopped(Consumer<String> stopped) {}

        @Override
        public void end(boolean cleanly) {
          ended.incrementAndGet();
        }

        @Override
        public long bytes() {
          return taken.stream().mapToLong(b -> b.length).sum();
        }
      };
    };
    server = server(publishing, 2 * 1024 * 1024, 100_000_000_000L);
    this.publishing = publishing;
  }

  private LivePublishing publishing;

  private HlsServer server(LivePublishing publishing, int maxFrame, long maxBits) {
    return HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .access(AccessPolicy.adminToken("t0ken")).livePublishing(publishing)
        .publishLimits(maxFrame, maxBits).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  private static final class Listener implements WebSocket.Listener {
    final List<String> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      frames.add(data.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code);
      return null;
    }
  }

  private WebSocket connect(String query, Listener l) throws Exception {
    return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port()
        + "/ws/publish?" + query), l).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullPipelineStopsTheReadingOfFramesUntilItHasReadSome() throws Exception {
    Listener l = new Listener();
    WebSocket ws = connect("channel=cam", l);
    ws.sendText("{\"token\":\"t0ken\"}", true).get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (l.frames.stream().noneMatch(f -> f.contains("\"live\""))) {
      assertThat(System.nanoTime()).as(l.frames.toString()).isLessThan(deadline);
      Thread.sleep(20);
    }
    // 64 frames of 1 MB: far more than loopback's socket buffers hold
    int frames = 64;
    CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < frames; i++) {
        byte[] b = new byte[1024 * 1024];
        b[0] = (byte) i;
        ws.sendBinary(ByteBuffer.wrap(b), true).join();
      }
    });
    Thread.sleep(1500);
    // the pipeline said it was full at the first frame: the server read no further
    assertThat(taken).hasSizeLessThanOrEqualTo(2);
    assertThat(sent).as("the sender is held back").isNotDone();
    full.set(false);
    resume.get().run();
    sent.get(30, TimeUnit.SECONDS);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (taken.size() < frames) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }
    for (int i = 0; i < frames; i++) {
      assertThat(taken.get(i)).hasSize(1024 * 1024);
      assertThat(taken.get(i)[0]).isEqualTo((byte) i);
    }
    ws.sendText("{\"type\":\"end\"}", true).get(10, TimeUnit.SECONDS);
    assertThat(l.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(ended.get()).isPositive();
  }

  @Test
  void framesOverTheLimitAndSendersOverTheBitRateCapAreCutOff() throws Exception {
    full.set(false);
    HlsServer capped = server(publishing, 1024 * 1024, 1_000_000);
    try {
      Listener big = new Listener();
      WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
          + capped.port() + "/ws/publish?channel=cam&token=t0ken"), big).get(10,
          TimeUnit.SECONDS);
      ws.sendBinary(ByteBuffer.allocate(1024 * 1024 + 1), true);
      assertThat(big.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);

      Listener fast = new Listener();
      ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
          + capped.port() + "/ws/publish?channel=cam&token=t0ken"), fast).get(10,
          TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (fast.frames.stream().noneMatch(f -> f.contains("\"live\""))) {
        assertThat(System.nanoTime()).as(fast.frames.toString()).isLessThan(deadline);
        Thread.sleep(20);
      }
      // 1 Mb/s allows 625 kB in five seconds (and a frame's slack): 3 MB at once is too much
      for (int i = 0; i < 3; i++) {
        ws.sendBinary(ByteBuffer.allocate(1000 * 1000), true);
      }
      assertThat(fast.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4413);
      assertThat(String.join("", fast.frames)).contains("more than 1.0 Mb/s sent");
    } finally {
      capped.close();
    }
  }

  @Test
  void refusalsCloseWithTheirCodeAndSayWhy() throws Exception {
    Listener nowhere = new Listener();
    connect("channel=nothing&token=t0ken", nowhere);
    assertThat(nowhere.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4404);
    assertThat(nowhere.frames).singleElement().asString().contains("no channel nothing");

    Listener early = new Listener();
    WebSocket ws = connect("channel=cam", early);
    ws.sendBinary(ByteBuffer.wrap(new byte[100]), true);
    assertThat(early.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4400);
    assertThat(early.frames.get(0)).contains("media came before the publish was taken");

    Listener notJson = new Listener();
    connect("channel=cam", notJson).sendText("hello", true);
    assertThat(notJson.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4400);
    assertThat(notJson.frames.get(0)).contains("must be JSON");
  }
}
