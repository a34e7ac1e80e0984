package io.hlskit.demo.examples;

import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.live.LiveEdge;
import io.hlskit.server.HlsServer;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.LiveIngest;
import io.hlskit.transcode.Transcoder;
import java.nio.file.Path;
import java.time.Duration;

/** A live channel from an encoder: RTMP in, a live 720p + 360p ladder out, served over HTTP. */
public class LiveFromEncoders {
  public static void main(String[] args) {
    Live live = start(Path.of("streams"), 8080, 1935);
    System.out.println("OBS: server rtmp://localhost:1935/live, stream key " + live.streamKey());
    System.out.println("ffplay http://localhost:8080/streams/news/playlist.m3u8");
    Runtime.getRuntime().addShutdownHook(new Thread(live.stop()));
  }

  /** What {@link #start} started: the stream key to publish with, and how to stop. */
  public record Live(String streamKey, int rtmpPort, Runnable stop) {}

  /** Creates live channel "news" in {@code streams}, takes RTMP and serves HTTP on the ports. */
  public static Live start(Path streams, int httpPort, int rtmpPort) {
    FileSystemMediaStore store = FileSystemMediaStore.at(streams);
    String key = LiveChannels.createOrUpdate(store, "news", "News", Visibility.PUBLIC,
        LiveSettings.of("720p:1500k,360p:500k")   // or "source": no re-encoding
            .withDvr(Duration.ofMinutes(30))       // seek back half an hour
            .withRecord(LiveSettings.Record.VOD))  // the broadcast becomes a video on demand
        .streamKey();                              // news?key=<secret>
    LiveEdge edge = LiveEdge.inProcess();          // new parts, from the ingest to the server
    LiveIngest ingest = LiveIngest.builder(Transcoder.create(), store)
        .rtmpPort(rtmpPort)                        // many publishers, each by its stream key
        .reconnectGrace(Duration.ofSeconds(30))    // a publisher back within it goes on
        .access(AccessPolicy.readOnly())           // or a JwtAccessPolicy: ?token=<jwt>
        .liveEdge(edge)
        .build()
        .start();
    HlsServer server = HlsServer.builder()
        .mediaStore(store)
        .liveMonitor(ingest)                       // /api/live/news: state, bit rate, speed
        .liveEdge(edge)                            // LL-HLS blocking reloads wake on it
        .port(httpPort)
        .build()
        .start();
    return new Live(key, ingest.rtmpPort(), () -> {
      server.close();
      ingest.close();
      store.close();
    });
  }
}
