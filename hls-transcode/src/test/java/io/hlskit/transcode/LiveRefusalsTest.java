package io.hlskit.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.PlaylistParser;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.ObjectInfo;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.testing.LivePublishers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every publish the ingest must refuse, refused before any media is read and with nothing
 * written, while another publisher's stream goes on untouched: no key, a wrong key, another
 * channel's key, a channel that is not live, another application, a second publisher, a
 * handshake that trickles, an absurd chunk size, and garbage on the port.
 */
class LiveRefusalsTest {
  @TempDir
  static Path dir;
  static FileSystemMediaStore store;
  static LiveIngest ingest;
  static String newsKey;
  static String sportsKey;
  static Process good;
  static final String TOKEN = "an-admin-token-for-publishing";

  @BeforeAll
  static void start() throws Exception {
    LivePublishers.requireFfmpeg();
    store = FileSystemMediaStore.at(dir.resolve("streams"));
    ingest = LiveIngest.builder(Transcoder.create(), store).host("127.0.0.1").rtmpPort(0)
        .handshakeTimeout(Duration.ofSeconds(1)).reconnectGrace(Duration.ofSeconds(1))
        .access(AccessPolicy.adminToken(TOKEN)) // a token the policy takes stands for a key
        .build().start();
    newsKey = LiveChannels.createOrUpdate(store, "news", "News", Visibility.PUBLIC,
        LiveSettings.of("180p:200k")).streamKey();
    sportsKey = LiveChannels.createOrUpdate(store, "sports", "Sports", Visibility.PUBLIC,
        LiveSettings.of("source")).streamKey();
    try (ChannelDraft d = store.draft("film")) {
      d.write("playlist.m3u8", "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));
      d.publish(ChannelMetadata.builder("film").build());
    }
    good = LivePublishers.rtmp(url("live", newsKey), "320x180", 40, dir.resolve("good.log"));
    awaitSegments("news/180p/index.m3u8", 1);
  }

  @AfterAll
  static void stop() {
    if (good != null) {
      good.destroyForcibly();
    }
    if (ingest != null) {
      ingest.close();
    }
    if (store != null) {
      store.close();
    }
  }

  static String url(String app, String key) {
    return "rtmp://127.0.0.1:" + ingest.rtmpPort() + "/" + app + "/" + key;
  }

  static MediaPlaylist playlist(String key) throws Exception {
    return PlaylistParser.strict().parseMedia(Files.readString(dir.resolve("streams")
        .resolve(key)));
  }

  static void awaitSegments(String key, int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (Files.exists(dir.resolve("streams").resolve(key)) && playlist(key).segments().size()
          >= n) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(key + " did not get " + n + " segments: "
        + Files.readString(dir.resolve("good.log")));
  }

  /** ffmpeg publishing to {@code url} fails, quickly, and nothing lands in {@code channel}. */
  private void refused(String url, String channel, String why) throws Exception {
    refused(url, channel, why, "(?!)");
  }

  /**
   * As above, {@code live} matching what the channel's own publisher writes meanwhile: its
   * segments, parts and playlists move several times a second.
   */
  private void refused(String url, String channel, String why, String live) throws Exception {
    List<String> before = store.list(channel + "/").stream().map(ObjectInfo::key)
        .filter(k -> !k.matches(live)).toList();
    Path log = dir.resolve("refused-" + System.nanoTime() + ".log");
    Process p = LivePublishers.rtmp(url, "320x180", 5, log);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as(why + ": ffmpeg still publishing").isTrue();
    assertThat(p.exitValue()).as(why + ": " + Files.readString(log)).isNotZero();
    assertThat(store.list(channel + "/").stream().map(ObjectInfo::key)
        .filter(k -> !k.matches(live)).toList())
        .as(why + ": nothing written").isEqualTo(before);
  }

  private void badCredentialsAndWrongChannelsAreRefused() throws Exception {
    refused(url("live", "sports"), "sports", "no key");
    refused(url("live", "sports?key=0000"), "sports", "a wrong key");
    refused(url("live", "sports?key=" + newsKey.substring(newsKey.indexOf('=') + 1)), "sports",
        "another channel's key");
    refused(url("live", "film?key=0000"), "film", "a channel on demand");
    refused(url("live", "nothing?key=0000"), "nothing", "no channel at all");
    refused(url("other", sportsKey), "sports", "another application");
    refused(url("live", newsKey), "news", "a second publisher on a live channel",
        "news/[^/]+/(seg_[0-9.]+\\.ts|index\\.m3u8)");
    refused(url("live", "sports?token=not-the-token"), "sports", "a token the policy refuses");
  }

  private void brokenProtocolIsCutOff() throws Exception {
    // garbage: an HTTP request on the RTMP port
    try (Socket s = new Socket("127.0.0.1", ingest.rtmpPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
          StandardCharsets.US_ASCII));
      assertThat(s.getInputStream().read()).as("closed at once").isEqualTo(-1);
    }
    // a handshake that trickles: a byte every 200 ms is closed at the deadline (1 s)
    try (Socket s = new Socket("127.0.0.1", ingest.rtmpPort())) {
      s.setSoTimeout(200);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      long started = System.nanoTime();
      boolean closed = false;
      out.write(3);
      for (int i = 0; i < 40 && !closed; i++) {
        try {
          out.write(0);
          closed = in.read() == -1;
        } catch (SocketTimeoutException e) {
          // still open
        } catch (java.io.IOException e) {
          closed = true; // reset by the server
        }
      }
      assertThat(closed).isTrue();
      assertThat((System.nanoTime() - started) / 1e9).isBetween(0.8, 6.0);
    }
    // an absurd chunk size after a good handshake
    try (Socket s = new Socket("127.0.0.1", ingest.rtmpPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      byte[] c1 = new byte[1536];
      new Random(7).nextBytes(c1);
      out.write(3);
      out.write(c1);
      byte[] answer = in.readNBytes(1 + 1536 * 2);
      assertThat(answer).hasSize(1 + 1536 * 2);
      out.write(new byte[1536]); // C2
      // chunk stream 2, type 0 header: set chunk size to 0x7FFFFFFF
      out.write(new byte[] {0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0x7F, (byte) 0xFF,
          (byte) 0xFF, (byte) 0xFF});
      int read;
      do {
        read = in.read();
      } while (read != -1);
      assertThat(read).isEqualTo(-1);
    }
  }

  @Test
  void everyBadPublisherIsRefusedAndTheGoodOneGoesOn() throws Exception {
    badCredentialsAndWrongChannelsAreRefused();
    brokenProtocolIsCutOff();
    awaitSegments("news/180p/index.m3u8", 4);
    MediaPlaylist p = playlist("news/180p/index.m3u8");
    assertThat(p.segments()).noneMatch(MediaSegment::discontinuity);
    assertThat(p.endList()).isFalse();
    assertThat(ingest.publishing()).containsExactly("news");
    // a token the access policy lets publish stands in for the stream key
    Process withToken = LivePublishers.rtmp(url("live", "sports?token=" + TOKEN), "320x180", 3,
        dir.resolve("token.log"));
    assertThat(withToken.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(withToken.exitValue()).as(Files.readString(dir.resolve("token.log"))).isZero();
    awaitSegments("sports/source/index.m3u8", 1);
  }
}
