package io.hlskit.demo;

import io.hlskit.chat.redis.RedisChannelNotices;
import io.hlskit.chat.redis.RedisLiveEdge;
import io.hlskit.chat.redis.RedisChatBroker;
import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.chat.ChatBroker;
import io.hlskit.core.chat.InMemoryChatBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the chat lives: this process's memory (the default) or Redis, which
 * every instance of a scale-out shares; with Redis, channel changes are announced to the other
 * instances too.
 */
final class ChatOptions {
  @Option(names = "--chat", defaultValue = "${env:HLS_CHAT:-memory}",
      description = "memory (one instance) or redis (rooms, history and counts shared by every"
          + " instance on one Redis); HLS_CHAT; default ${DEFAULT-VALUE}")
  String chat;

  @Mixin
  RedisOptions redis = new RedisOptions();

  boolean isRedis() {
    String c = chat == null ? "memory" : chat.strip().toLowerCase(Locale.ROOT);
    if (c.equals("redis")) {
      return true;
    }
    if (c.equals("memory")) {
      return false;
    }
    throw new HlsException("unknown chat backend '" + chat + "': use memory or redis");
  }

  /** The broker, recording into {@code registry}; the caller closes it. */
  ChatBroker openBroker(MeterRegistry registry) {
    return isRedis()
        ? RedisChatBroker.builder(redis.url).namespace(redis.namespace).meterRegistry(registry)
            .build()
        : new InMemoryChatBroker();
  }

  /**
   * With Redis, announces {@code catalog}'s changes to the other instances and hears theirs, and
   * carries live edges ({@link RedisLiveEdge}) between them; the caller closes what it returns.
   */
  List<AutoCloseable> attachNotices(ChannelCatalog catalog) {
    if (!isRedis()) {
      return List.of();
    }
    RedisChannelNotices notices = RedisChannelNotices.attach(redis.url, redis.namespace, catalog);
    try {
      return List.of(notices, RedisLiveEdge.attach(redis.url, redis.namespace));
    } catch (RuntimeException e) {
      notices.close();
      throw e;
    }
  }

  /** Where the chat is, for the log. */
  String describe() {
    return isRedis() ? redis.describe() : "memory";
  }
}
