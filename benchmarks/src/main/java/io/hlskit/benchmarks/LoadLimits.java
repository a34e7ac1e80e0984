package io.hlskit.benchmarks;

import io.hlskit.server.ChatLimits;
import java.time.Duration;

/** Chat limits for load runs, whose every client comes from one address: loopback. */
final class LoadLimits {
  private LoadLimits() {}

  /**
   * The defaults with the per-address and per-room caps lifted: they would count the whole load
   * generator as one abusive client. The per-connection rate, which the load is built around,
   * stays.
   */
  static final ChatLimits ONE_ADDRESS = ChatLimits.DEFAULTS
      .withConnectionsPerAddress(1_000_000)
      .withMessagesPerAddress(ChatLimits.Rate.of(1_000_000, Duration.ofSeconds(1)))
      .withMessagesPerRoom(ChatLimits.Rate.of(1_000_000, Duration.ofSeconds(1)));
}
