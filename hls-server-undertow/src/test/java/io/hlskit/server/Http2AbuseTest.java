package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.server.testing.TestCertificates;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 abuse over real TLS on loopback, each in bounded loops: rapid reset, SETTINGS and PING
 * floods from a client that never reads, header lists past the bound and CONTINUATION without
 * end, a flow-control window that never opens, streams reset while their window is shut.
 * Throughout, another client keeps being answered promptly, the heap (server and test share the
 * JVM) does not grow with the abuse, and the answers' files are closed (counted in
 * {@code /proc/self/fd}) without waiting for the client to leave.
 */
class Http2AbuseTest {
  private static final long HEAP_SLACK = 64L * 1024 * 1024;

  @TempDir
  Path dir;

  private FileSystemMediaStore store;
  private HlsServer server;
  private TestCertificates.Pem pem;
  private HttpClient other;

  @BeforeEach
  void start() {
    byte[] segment = new byte[1024 * 1024];
    new Random(5).nextBytes(segment);
    store = FileSystemMediaStore.at(dir.resolve("streams"));
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("playlist.m3u8", "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg.ts\n"
          .getBytes(StandardCharsets.UTF_8));
      d.write("seg.ts", segment);
      d.publish(ChannelMetadata.builder("canal1").build());
    }
    pem = TestCertificates.write(dir.resolve("cert.pem"), dir.resolve("key.pem"), "abuse");
    server = server(256 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(4));
    other = HttpClient.newBuilder().sslContext(pem.trustingIt())
        .version(HttpClient.Version.HTTP_2).build();
  }

  /** A server on the store over HTTPS, with this slowest reader allowed and idle timeout. */
  private HlsServer server(long minBytesPerSecond, Duration grace, Duration idle) {
    return HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .tls(pem.certificate(), pem.key()).idleTimeout(idle)
        .slowestReader(minBytesPerSecond, grace).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  /** Another client on its own connection gets the playlist, each within two seconds. */
  private void othersAreServed() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = other.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
              + server.port() + "/streams/canal1/playlist.m3u8")).timeout(Duration.ofSeconds(2))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Test
  void rapidResetIsCutOffAndOthersAreServed() throws Exception {
    othersAreServed();
    long heap = heapAfterGc();
    try (H2Connection h2 = new H2Connection(pem.trustingIt(), server.port(), true)) {
      try {
        for (int i = 0; i < 20_000 && !h2.closedByServer.get(); i++) {
          int stream = h2.get("/streams/canal1/seg.ts", List.of(),
              H2Connection.END_HEADERS | H2Connection.END_STREAM);
          h2.rst(stream);
        }
      } catch (IOException e) {
        // the server closed the connection under the client's feet: what it should do
      }
      Eventually.await(Duration.ofSeconds(10), "GOAWAY for the reset storm",
          () -> h2.received(H2Connection.GOAWAY) > 0 || h2.closedByServer.get());
      othersAreServed();
      Eventually.await(Duration.ofSeconds(10), "every stream's segment closed",
          () -> openSegments() == 0);
    }
    assertThat(heapAfterGc() - heap).as("heap growth").isLessThan(HEAP_SLACK);
  }

  @Test
  void settingsAndPingFloodsFromAClientThatNeverReadsAreBounded() throws Exception {
    long heap = heapAfterGc();
    H2Connection h2 = new H2Connection(pem.trustingIt(), server.port(), false);
    Thread flood = new Thread(() -> {
      try {
        for (int i = 0; i < 100_000; i++) {
          h2.ping(i);
          h2.frame(H2Connection.SETTINGS, 0, 0, new byte[0]);
        }
      } catch (IOException e) {
        // the server stopped reading, or closed: either bounds what it holds for us
      }
    });
    flood.start();
    flood.join(15_000);
    othersAreServed();
    h2.close(); // unblocks a flood the server no longer reads
    flood.join(5_000);
    assertThat(flood.isAlive()).isFalse();
    othersAreServed();
    assertThat(heapAfterGc() - heap).as("heap growth").isLessThan(HEAP_SLACK);
  }

  @Test
  void aHeaderListPastTheBoundAndContinuationWithoutEndAreRefused() throws Exception {
    long heap = heapAfterGc();
    try (H2Connection h2 = new H2Connection(pem.trustingIt(), server.port(), true)) {
      // first a request within bounds, answered 200 (0x88: this client sees a 200 as such)
      h2.get("/streams/canal1/playlist.m3u8", List.of(),
          H2Connection.END_HEADERS | H2Connection.END_STREAM);
      Eventually.await(Duration.ofSeconds(5), "a 200 for the playlist",
          () -> h2.firstHeaderBytes.contains(0x88));
      char[] big = new char[40_000];
      Arrays.fill(big, 'a');
      byte[] block = h2.headers("/streams/canal1/seg.ts", List.of("x-big", new String(big)));
      h2.frame(H2Connection.HEADERS, H2Connection.END_STREAM, 3,
          Arrays.copyOfRange(block, 0, 16_000));
      h2.frame(H2Connection.CONTINUATION, 0, 3, Arrays.copyOfRange(block, 16_000, 32_000));
      h2.frame(H2Connection.CONTINUATION, H2Connection.END_HEADERS, 3,
          Arrays.copyOfRange(block, 32_000, block.length));
      // Undertow answers the head it has decoded, then finds the list past its bound (20,000
      // bytes) and closes the connection: the segment is never sent in full
      Eventually.await(Duration.ofSeconds(10), "the connection closed for the oversized list",
          () -> h2.received(H2Connection.GOAWAY) > 0 || h2.closedByServer.get());
      Thread.sleep(300);
      assertThat(h2.dataBytes.get()).as("no segment sent for it").isLessThan(1024 * 1024);
    }
    othersAreServed();
    try (H2Connection h2 = new H2Connection(pem.trustingIt(), server.port(), true)) {
      // valid headers, 150 of 100 bytes a frame, and never an END_HEADERS: 16 MB if let
      java.io.ByteArrayOutputStream entries = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < 150; i++) {
        entries.write(0x00); // literal without indexing, new name
        entries.write(3);
        entries.writeBytes("x-f".getBytes(StandardCharsets.US_ASCII));
        entries.write(100);
        entries.writeBytes("a".repeat(100).getBytes(StandardCharsets.US_ASCII));
      }
      byte[] filler = entries.toByteArray();
      try {
        h2.frame(H2Connection.HEADERS, 0, 1, h2.headers("/streams/canal1/seg.ts", List.of()));
        for (int i = 0; i < 1_000 && !h2.closedByServer.get(); i++) {
          h2.frame(H2Connection.CONTINUATION, 0, 1, filler); // never END_HEADERS: 16 MB
        }
      } catch (IOException e) {
        // closed by the server mid-flood
      }
      Eventually.await(Duration.ofSeconds(10), "CONTINUATION without end cut off",
          () -> h2.received(H2Connection.GOAWAY) > 0 || h2.closedByServer.get());
    }
    othersAreServed();
    assertThat(heapAfterGc() - heap).as("heap growth").isLessThan(HEAP_SLACK);
  }

  @Test
  void aWindowThatNeverOpensHoldsNothingForLong() throws Exception {
    long heap = heapAfterGc();
    // SETTINGS_INITIAL_WINDOW_SIZE 0: the server may send no byte of any body
    try (H2Connection h2 = new H2Connection(pem.trustingIt(), server.port(), true, 0x4, 0)) {
      for (int i = 0; i < 50; i++) {
        h2.get("/streams/canal1/seg.ts", List.of(),
            H2Connection.END_HEADERS | H2Connection.END_STREAM);
      }
      Thread.sleep(500);
      othersAreServed();
      assertThat(h2.dataBytes.get()).isZero();
      // the slowest reader allowed: 1 s plus 1 MiB at 256 KiB/s; then, or at the idle timeout,
      // the connection goes
      Eventually.await(Duration.ofSeconds(30), "the stalled connection closed",
          () -> h2.closedByServer.get() || h2.received(H2Connection.GOAWAY) > 0
              || h2.received(H2Connection.RST_STREAM) >= 50);
      // the answers let go of their files then, though the client keeps its connection
      Eventually.await(Duration.ofSeconds(5), "every stream's segment closed",
          () -> openSegments() == 0);
    }
    othersAreServed();
    assertThat(heapAfterGc() - heap).as("heap growth").isLessThan(HEAP_SLACK);
  }

  @Test
  void anAnswerPastItsDeadlineLetsGoThoughItsWindowStaysShut() throws Exception {
    server.close();
    // 2 s for a segment, far within the idle timeout: only the deadline can end these answers
    server = server(1024 * 1024, Duration.ofSeconds(1), Duration.ofSeconds(60));
    try (H2Connection h2 = segmentsBehindAShutWindow(20)) {
      Eventually.await(Duration.ofSeconds(10), "each answer ended at its deadline",
          () -> openSegments() == 0 && h2.received(H2Connection.RST_STREAM) >= 20);
      // the streams alone were ended: the connection still answers
      h2.ping(7);
      Eventually.await(Duration.ofSeconds(5), "the PING answered",
          () -> h2.received(H2Connection.PING) == 1);
      assertThat(h2.closedByServer.get()).isFalse();
      assertThat(h2.goAwayError.get()).as("GOAWAY").isEqualTo(-1);
    }
  }

  @Test
  void streamsResetWhileTheirWindowIsShutAreLetGo() throws Exception {
    server.close();
    // a generous deadline and idle timeout (a minute and more): neither is what lets them go
    server = server(16 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(60));
    // 99 streams held open (of the 100 allowed) ...
    try (H2Connection h2 = segmentsBehindAShutWindow(99)) {
      // ... and on the last slot, streams opened and, once their answer has begun, reset: fewer
      // than Undertow's reset limit, and each still holds its answer, no longer counted as open
      try {
        for (int i = 0; i < 150 && !h2.closedByServer.get(); i++) {
          int stream = h2.get("/streams/canal1/seg.ts", List.of(),
              H2Connection.END_HEADERS | H2Connection.END_STREAM);
          Thread.sleep(20);
          h2.rst(stream);
        }
      } catch (IOException e) {
        // closed under the client's feet (below)
      }
      // past 200 answers in flight, all were ended: the 99 and the reset ones (so many resets
      // sent in a row close the connection too, with ENHANCE_YOUR_CALM)
      Eventually.await(Duration.ofSeconds(10), "the answers in flight let go",
          () -> openSegments() < 60);
    }
  }

  /**
   * A connection whose flow-control window is shut (SETTINGS_INITIAL_WINDOW_SIZE 0: no byte of
   * any body may go) with {@code streams} GETs of the segment, once each answer has begun.
   */
  private H2Connection segmentsBehindAShutWindow(int streams) throws Exception {
    H2Connection h2 = new H2Connection(pem.trustingIt(), server.port(), true, 0x4, 0);
    for (int i = 0; i < streams; i++) {
      h2.get("/streams/canal1/seg.ts", List.of(),
          H2Connection.END_HEADERS | H2Connection.END_STREAM);
    }
    Eventually.await(Duration.ofSeconds(10), "each stream's segment opened",
        () -> openSegments() == streams);
    return h2;
  }

  /** How many of this process's file descriptors are open on the segment. */
  private static long openSegments() {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).getFileName().toString()
              .equals("seg.ts");
        } catch (IOException e) {
          return false; // closed meanwhile
        }
      }).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
