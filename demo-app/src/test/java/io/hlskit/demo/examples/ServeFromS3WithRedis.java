package io.hlskit.demo.examples;

import io.hlskit.chat.redis.RedisChannelNotices;
import io.hlskit.chat.redis.RedisChatBroker;
import io.hlskit.server.HlsServer;
import io.hlskit.storage.s3.S3MediaStore;
import java.net.URI;

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
    RedisChatBroker chat = RedisChatBroker.builder(redisUri).build();
    // an upload or delete through any instance reaches the others' channel lists at once
    RedisChannelNotices notices = RedisChannelNotices.attach(redisUri, "hlskit",
        store.channels());
    HlsServer server = HlsServer.builder()
        .mediaStore(store)
        .chatBroker(chat)
        .mount("/hello", exchange -> exchange.getResponseSender().send("hello"))
        .port(port)
        .build()
        .start();
    return () -> {
      server.close();
      notices.close();
      chat.close();
      store.close();
    };
  }
}
