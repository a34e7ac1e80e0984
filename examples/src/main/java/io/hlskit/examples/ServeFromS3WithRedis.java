package io.hlskit.examples;

import io.hlskit.chat.redis.RedisChannelNotices;
import io.hlskit.chat.redis.RedisChatBroker;
import io.hlskit.server.HlsServer;
import io.hlskit.storage.s3.S3ChannelCatalog;
import io.hlskit.storage.s3.S3MediaStore;
import java.net.URI;
import java.time.Duration;

/**
 * One of several identical instances: channels in an S3 bucket, chat and presence in Redis.
 * Start as many as you like behind a load balancer.
 */
public class ServeFromS3WithRedis {
  public static void main(String[] args) {
    Runnable stop = start(URI.create("http://127.0.0.1:9000"), "hls", "redis://127.0.0.1:6379",
        8080);
    Runtime.getRuntime().addShutdownHook(new Thread(stop));
  }

  /** Starts an instance on {@code port}; running the result stops it and its connections. */
  public static Runnable start(URI s3Endpoint, String bucket, String redisUri, int port) {
    S3MediaStore store = S3MediaStore.builder()
        .bucket(bucket)                 // must exist: checked here, with a message if not
        .endpoint(s3Endpoint)           // leave out for AWS S3
        .pathStyle(true)                // what MinIO and other self-hosted stores need
        .region("us-east-1")
        .build();                       // credentials: the AWS SDK's default chain
    S3ChannelCatalog catalog = S3ChannelCatalog.of(store, Duration.ofSeconds(10));
    RedisChatBroker chat = RedisChatBroker.builder(redisUri).build();
    // an upload or delete through any instance reaches this one's catalog at once
    RedisChannelNotices notices = RedisChannelNotices.attach(redisUri, "hlskit", catalog);
    HlsServer server = HlsServer.builder()
        .mediaStore(store)
        .catalog(catalog)
        .chatBroker(chat)
        .port(port)
        .build()
        .start();
    return () -> {
      server.close();
      notices.close();
      chat.close();
      catalog.close();
      store.close();
    };
  }
}
