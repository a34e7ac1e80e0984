package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.chat.InMemoryChatBroker;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a hostile client sends, over raw sockets so that nothing is cleaned up on the way: each
 * gets its documented status or error frame, no answer carries a stack trace or a server path,
 * and the server stays healthy afterwards.
 */
class HostileInputTest {
  @TempDir
  Path dir;

  private FileSystemMediaStore store;
  private InMemoryChatBroker chat;
  private HlsServer server;

  @BeforeEach
  void start() {
    store = FileSystemMediaStore.at(dir.resolve("streams"));
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("seg_00000.ts", new byte[188 * 100]);
      d.publish(ChannelMetadata.builder("canal1").build());
    }
    chat = new InMemoryChatBroker();
    server = HlsServer.builder().mediaStore(store).chatBroker(chat)
        .host("127.0.0.1").port(0).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    assertHealthy();
    server.close();
    chat.close();
    store.close();
  }

  /** Sends {@code request} as is and reads the whole answer (the request closes). */
  private String raw(String request) throws IOException {
    return raw(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private String raw(byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        s.getInputStream().transferTo(out);
      } catch (IOException e) {
        // a reset after the answer is fine
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static int status(String response) {
    assertThat(response).as("an HTTP answer").startsWith("HTTP/1.1 ");
    return Integer.parseInt(response.substring(9, 12));
  }

  private static void noInternals(String response) {
    assertThat(response).doesNotContain("Exception", "\tat ", "at io.", "at java.", "/tmp/",
        "/streams/canal1/seg", "/root", "/home");
  }

  private void assertHealthy() throws IOException {
    String health = raw("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(status(health)).as(health).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/channels/..%2f..%2fetc%2fpasswd", "/api/channels/%2e%2e",
      "/api/channels/canal1%00", "/api/channels/" + "a%", "/api/jobs/../../etc/passwd",
      "/api/channels/%c0%ae%c0%ae", "/api/%252e%252e/health", "/api/channels/canal1/../../x",
      "/api/channels/<script>alert(1)</script>", "/api/channels/" + "x%ff%fe",
      "/streams/canal1/seg_00000.ts/..", "/streams/canal1/seg_00000.ts%20", "/%2e%2e/%2e%2e/",
      "/assets/x/%2e%2e/%2e%2e/pom.xml", "/webjars/../../../../etc/passwd", "/ws/chat/../api"})
  void hostilePathsGetAnErrorAndNothingElse(String path) throws Exception {
    String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(status(response)).as(response).isIn(400, 401, 403, 404, 405);
    noInternals(response);
    assertThat(response).doesNotContain("root:", "<script>alert");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=abc", "bytes=5-1", "bytes=-", "bytes=--1", "bytes= -",
      "bytes=99999999999999999999999-", "bytes=0-99999999999999999999999", "items=0-1",
      "bytes=0-0,1-1,2-2", "bytes=18800-", "bytes=-0", "bytes=1-2-3", "bytes=0x10-0x20", "bytes",
      "=", "bytes=\u00ff-\u00fe"})
  void malformedRangesAreAnsweredWholeOrRefused(String range) throws Exception {
    String response = raw("GET /streams/canal1/seg_00000.ts HTTP/1.1\r\nHost: x\r\nRange: "
        + range + "\r\nConnection: close\r\n\r\n");
    int status = status(response);
    assertThat(status).as(range).isIn(200, 206, 416);
    if (status == 200) {
      assertThat(response).contains("Content-Length: 18800");
    }
    noInternals(response);
  }

  @Test
  void aThousandRangesAreNotAnAmplifier() throws Exception {
    StringBuilder many = new StringBuilder("bytes=");
    for (int i = 0; i < 1000; i++) {
      many.append(i == 0 ? "" : ",").append(i).append('-').append(i + 1000);
    }
    String response = raw("GET /streams/canal1/seg_00000.ts HTTP/1.1\r\nHost: x\r\nRange: "
        + many + "\r\nConnection: close\r\n\r\n");
    // multiple ranges are not served (no multipart): the whole object at most, once
    assertThat(status(response)).isIn(200, 416);
    assertThat(response.length()).isLessThan(18800 + 4096);
  }

  @Test
  void oversizedHeadsAreRefused() throws Exception {
    String response = raw("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024)
        + "\r\nConnection: close\r\n\r\n");
    // Undertow closes a connection whose head is over the limit, with or without an answer
    if (!response.isEmpty()) {
      assertThat(status(response)).isIn(400, 431);
    }
    String many = "GET /api/health HTTP/1.1\r\nHost: x\r\n" + "X-A: b\r\n".repeat(5000)
        + "Connection: close\r\n\r\n";
    String manyResponse = raw(many);
    if (!manyResponse.isEmpty()) {
      assertThat(status(manyResponse)).isIn(400, 431);
    }
  }

  @Test
  void garbageInsteadOfHttpIsRefused() throws Exception {
    byte[] garbage = new byte[4096];
    new java.util.Random(1).nextBytes(garbage);
    String response = raw(garbage);
    if (!response.isEmpty()) {
      assertThat(status(response)).isEqualTo(400);
    }
    noInternals(response);
  }

  /** Opens a chat WebSocket by hand; returns the socket after the 101. */
  private Socket openChat() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", server.port()));
    s.setSoTimeout(10_000);
    s.getOutputStream().write(("GET /ws/chat?channel=canal1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: aG9zdGlsZS1jbGllbnQ=\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("the handshake answer").isNotNegative();
      head.append((char) b);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 101");
    return s;
  }

  @Test
  void invalidUtf8InAChatFrameClosesThatConnectionOnly() throws Exception {
    try (Socket s = openChat()) {
      OutputStream out = s.getOutputStream();
      out.write(RawFrames.text("{\"type\":\"join\",\"username\":\"ana\"}"));
      out.write(RawFrames.frame(1, new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', '}'}));
      InputStream in = s.getInputStream();
      // frames until the close frame (opcode 8) or the end of the stream
      int closeCode = -1;
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          break;
        }
        int len = in.read() & 0x7f;
        if (len == 126) {
          len = (in.read() << 8) | in.read();
        }
        byte[] payload = in.readNBytes(len);
        if ((b0 & 0x0f) == 8) {
          closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 0;
          break;
        }
      }
      assertThat(closeCode).as("RFC 6455: invalid UTF-8 in a text frame is 1007")
          .isIn(1007, -1);
    }
    Eventually.await(Duration.ofSeconds(5), "the room empty again",
        () -> chat.presence("canal1").watching() == 0);
  }

  @Test
  void tenThousandChatConnectionsOpenedAndDroppedLeaveNothingBehind() throws Exception {
    int total = 10_000;
    AtomicInteger opened = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        work.add(pool.submit(() -> {
          while (opened.incrementAndGet() <= total) {
            try (Socket s = openChat()) {
              if (opened.get() % 2 == 0) {
                s.getOutputStream()
                    .write(RawFrames.text("{\"type\":\"join\",\"username\":\"x\"}"));
              }
              s.setSoLinger(true, 0); // dropped, not closed politely: a reset
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    Eventually.await(Duration.ofSeconds(20), "every dropped chat client gone from the counts",
        () -> chat.presence("canal1").online() == 0);
    try (Socket s = openChat()) {
      s.getOutputStream().write(RawFrames.text("{\"type\":\"join\",\"username\":\"last\"}"));
      Eventually.await(Duration.ofSeconds(5), "a new client counted",
          () -> chat.presence("canal1").online() == 1);
    }
  }
}
