package io.hlskit.demo.examples;

import io.hlskit.core.channel.Visibility;
import io.hlskit.server.HlsServer;
import io.hlskit.server.JwtAccessPolicy;
import io.hlskit.server.JwtTokens;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import java.nio.file.Path;
import java.time.Duration;

/** A members-only channel: encrypted segments, keys and playlists for token holders only. */
public class PrivateChannel {
  public static void main(String[] args) {
    String secret = System.getenv("HLS_JWT_SECRET");  // 32 bytes or more
    Runnable stop = start(Path.of(args[0]), Path.of("streams"), secret, 8080);
    String token = JwtTokens.hs256(secret).subject("ana").name("Ana")
        .ttl(Duration.ofHours(1)).sign();             // your identity provider's job, usually
    System.out.println("ffplay 'http://localhost:8080/streams/members/playlist.m3u8?token="
        + token + "'");
    Runtime.getRuntime().addShutdownHook(new Thread(stop));
  }

  /** Publishes {@code video} as the private channel "members" and serves it on {@code port}. */
  public static Runnable start(Path video, Path streams, String secret, int port) {
    FileSystemMediaStore store = FileSystemMediaStore.at(streams);
    Transcoder.create().transcode(TranscodeRequest.builder(video, "members")
        .profile(Profile.LOW)
        .visibility(Visibility.PRIVATE)   // AES-128 segments, the keys in members/keys/
        .keyRotation(10)                  // a new key every 10 segments
        .build(), store, progress -> { });
    HlsServer server = HlsServer.builder()
        .mediaStore(store)
        .access(JwtAccessPolicy.builder()
            .hs256Secret(secret)          // or .jwks(URI.create("https://id.example.com/jwks"))
            .build())                     // private channels, /api/keys/...: valid tokens only
        .port(port)
        .build()
        .start();
    return () -> {
      server.close();
      store.close();
    };
  }
}
