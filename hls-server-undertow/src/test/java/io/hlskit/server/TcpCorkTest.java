package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.server.internal.TcpCork;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments sent from files go out corked (the build runs its tests with the flag the demo's jar
 * carries, so every HTTP test here takes the corked path), and each response is let out whole:
 * a cork left on would hold every response's last partial packet for Linux's 200 ms.
 */
class TcpCorkTest {
  @TempDir
  Path dir;

  private FileSystemMediaStore store;
  private HlsServer server;
  /**
   * Over the size from which segments are corked, and odd: the last packet is partial, the one
   * a cork left on would hold back.
   */
  private final byte[] segment = new byte[1_300_007];
  /** Whole files of every size are corked, the head written first: a small one and a tiny one. */
  private final byte[] small = new byte[200_003];
  private final byte[] tiny = new byte[1_001];

  @BeforeEach
  void start() {
    new Random(3).nextBytes(segment);
    new Random(4).nextBytes(small);
    new Random(5).nextBytes(tiny);
    store = FileSystemMediaStore.at(dir);
    try (ChannelDraft d = store.draft("canal1")) {
      d.write("playlist.m3u8", ("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg.ts\n"
          + "#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8));
      d.write("seg.ts", segment);
      d.write("small.ts", small);
      d.write("tiny.ts", tiny);
      d.publish(ChannelMetadata.builder("canal1").build());
    }
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void corkingIsAvailableOnLinuxWithTheFlag() {
    if (System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
      assertThat(TcpCork.unavailable()).isNull();
    }
  }

  @Test
  void wholeFilesAndRangesArriveWholeAndWithoutDelayOnOneConnection() throws Exception {
    int rounds = 10;
    long began = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int i = 0; i < rounds; i++) {
        assertThat(exchange(out, in, "seg.ts", "")).isEqualTo(segment);
        assertThat(exchange(out, in, "small.ts", "")).isEqualTo(small);
        assertThat(exchange(out, in, "tiny.ts", "")).isEqualTo(tiny);
        // the blocking path, corked from 1 MiB
        byte[] range = exchange(out, in, "seg.ts", "Range: bytes=1000-1250000\r\n");
        assertThat(range).isEqualTo(Arrays.copyOfRange(segment, 1000, 1_250_001));
        assertThat(exchange(out, in, "small.ts", "Range: bytes=7-100006\r\n"))
            .isEqualTo(Arrays.copyOfRange(small, 7, 100_007));
      }
    }
    long millis = (System.nanoTime() - began) / 1_000_000;
    // a cork left on costs 200 ms per response: 10 s for these 50; uncorked they take a few ms
    assertThat(millis).as("50 responses on one connection").isLessThan(3_000);
  }

  /** Sends a GET for {@code file} on a kept-alive connection and reads the body by its length. */
  private static byte[] exchange(OutputStream out, InputStream in, String file, String extra)
      throws IOException {
    out.write(("GET /streams/canal1/" + file + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the head: " + head);
      }
      head.write(b);
    }
    long length = -1;
    for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
    }
    assertThat(length).as("Content-Length in " + head).isPositive();
    return in.readNBytes((int) length);
  }
}
