package io.hlskit.demo;

import picocli.CommandLine.Option;

/** The Redis that the chat, the channel notices and the job queue share, when they use one. */
final class RedisOptions {
  @Option(names = "--redis-url", defaultValue = "${env:HLS_REDIS_URL:-redis://localhost:6379}",
      description = "Redis for --chat redis and --jobs redis, redis://[:password@]host:port or"
          + " rediss:// for TLS (HLS_REDIS_URL; default ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--redis-namespace", defaultValue = "${env:HLS_REDIS_NAMESPACE:-hlskit}",
      description = "prefix of hlskit's keys in Redis; instances that belong together share it"
          + " (HLS_REDIS_NAMESPACE; default ${DEFAULT-VALUE})")
  String namespace;

  /** Where Redis is, for the log: the URL without its password. */
  String describe() {
    return "Redis at " + url.replaceAll("//[^@/]*@", "//***@");
  }
}
