package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that are slow on purpose (slowloris, readers that stop, idle connections) are cut
 * off by the timeouts, and cannot starve the server of its worker threads.
 */
class SlowClientsTest {
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

  @TempDir
  Path dir;

  private FileSystemMediaStore store;
  private HlsServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    store = FileSystemMediaStore.at(dir);
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("big.ts", new byte[12 * 1024 * 1024]); // more than any socket buffers hold
      d.publish(ChannelMetadata.builder("canal1").build());
    }
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .headerTimeout(HEADER_TIMEOUT).idleTimeout(IDLE_TIMEOUT).build().start();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    server.close();
    store.close();
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
    s.setSoTimeout(15_000);
    return s;
  }

  /** Reads until the server closes; the time it took. */
  private static Duration untilClosed(Socket s) throws IOException {
    long start = System.nanoTime();
    InputStream in = s.getInputStream();
    byte[] sink = new byte[65536];
    try {
      while (in.read(sink) >= 0) {
        // drain what was sent before the close
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server never closed the connection", e);
    } catch (IOException e) {
      // a reset is a close too
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aClientThatSendsItsHeadersSlowlyIsCutOff() throws Exception {
    Socket s = connect(0);
    OutputStream out = s.getOutputStream();
    out.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    long start = System.nanoTime();
    boolean cut = false;
    // one more header byte a second, forever: the head never completes
    for (int i = 0; i < 10 && !cut; i++) {
      Thread.sleep(500);
      try {
        out.write('X');
        out.flush();
      } catch (IOException e) {
        cut = true;
      }
      s.setSoTimeout(1);
      try {
        cut = s.getInputStream().read() < 0 || cut;
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        cut = true;
      }
    }
    assertThat(cut).as("closed while the head was still coming").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(HEADER_TIMEOUT.plusSeconds(3));
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() throws Exception {
    Socket s = connect(0);
    s.getOutputStream().write(("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    assertThat(untilClosed(s)).isBetween(IDLE_TIMEOUT.minusMillis(500),
        IDLE_TIMEOUT.plusSeconds(4));
  }

  @Test
  void readersThatStopAreCutOffAndDoNotStarveTheWorkers() throws Exception {
    // more stalled downloads than the server has worker threads
    int stalled = 2 * Runtime.getRuntime().availableProcessors() * 8 + 4;
    List<Socket> readers = new ArrayList<>();
    for (int i = 0; i < stalled; i++) {
      Socket s = connect(4096);
      s.getOutputStream().write(("GET /streams/canal1/big.ts HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      readers.add(s);
    }
    // once they are cut off, everyone else is served again
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + IDLE_TIMEOUT.plusSeconds(10).toNanos();
    HttpResponse<String> health = null;
    while (System.nanoTime() < deadline) {
      try {
        health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/streams/canal1/playlist.m3u8")).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
        break;
      } catch (java.net.http.HttpTimeoutException e) {
        // workers still held
      }
    }
    assertThat(health).as("a request served while %d readers stall", stalled).isNotNull();
    assertThat(health.statusCode()).isEqualTo(404); // no playlist here: the store answered
    for (Socket s : readers) {
      assertThat(untilClosed(s)).isLessThan(IDLE_TIMEOUT.plusSeconds(10));
    }
  }
  /** A reader that takes {@code chunk} bytes every {@code everyMillis}: never idle, never done. */
  private Thread trickle(Socket s, int chunk, long everyMillis) {
    Thread t = new Thread(() -> {
      byte[] b = new byte[chunk];
      try {
        InputStream in = s.getInputStream();
        while (in.read(b) >= 0) {
          Thread.sleep(everyMillis);
        }
      } catch (IOException | InterruptedException e) {
        // cut off, or the test is over
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  private Socket download(String path) throws IOException {
    Socket s = connect(4096);
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  @Test
  void tricklingReadersDoNotHoldTheWorkers() throws Exception {
    // timeouts that a trickle never trips: only the way segments are sent can keep others served
    server.close();
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .idleTimeout(Duration.ofSeconds(60)).build().start();
    try (ChannelDraft d = store.draft("canal2")) {
      d.write("seg_00000.ts", new byte[2 * 1024 * 1024]);
      d.publish(ChannelMetadata.builder("canal2").build());
    }
    for (int i = 0; i < 32; i++) {
      trickle(download("/streams/canal1/big.ts"), 1024, 500);
    }
    Thread.sleep(1000); // every trickler is being answered
    HttpClient http = HttpClient.newHttpClient();
    long start = System.nanoTime();
    HttpResponse<byte[]> segment = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.port() + "/streams/canal2/seg_00000.ts"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(segment.statusCode()).isEqualTo(200);
    assertThat(segment.body()).hasSize(2 * 1024 * 1024);
    assertThat(took).as("a segment while 32 readers trickle").isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aTricklingReaderIsCutOffAtItsDeadline() throws Exception {
    server.close();
    // 12 MB at 4 MB/s after 1 s: 4 s; the idle timeout cannot be what cuts it
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .idleTimeout(Duration.ofSeconds(60)).slowestReader(4 * 1024 * 1024, Duration.ofSeconds(1))
        .build().start();
    Socket s = download("/streams/canal1/big.ts");
    long start = System.nanoTime();
    Thread t = trickle(s, 1024, 100);
    t.join(20_000);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(t.isAlive()).as("still reading after 20 s").isFalse();
    assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
  }
}
