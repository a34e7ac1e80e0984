package io.hlskit.core.live;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a live ingest knows of the broadcasts it takes, for a server's API and health: the way a
 * server learns of live streams without depending on the pipeline that encodes them (it sits in
 * hls-transcode, the server does not). Implementations are thread-safe and quick: they answer
 * from memory.
 */
public interface LiveMonitor {
  /** A monitor of no ingest: nothing is published through this instance. */
  LiveMonitor NONE = new LiveMonitor() {
    @Override
    public Optional<LiveStats> stats(String channel) {
      return Optional.empty();
    }

    @Override
    public OptionalInt listeningRtmpPort() {
      return OptionalInt.empty();
    }
  };

  /** How the broadcast into {@code channel} goes, when a publisher sends it here now. */
  Optional<LiveStats> stats(String channel);

  /** The port publishers send RTMP to, when this instance takes RTMP. */
  OptionalInt listeningRtmpPort();

  /**
   * The UDP port this instance listens on for SRT into {@code channel}, when it does (the
   * channel names an SRT port and SRT is on here).
   */
  default OptionalInt listeningSrtPort(String channel) {
    return OptionalInt.empty();
  }

  /**
   * Checks that the ingest can encode {@code profile} (a profile name or a ladder), so that a
   * live channel is refused when it is made rather than when its first publisher comes.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  default void checkProfile(String profile) {}

  /** Whether every broadcast taken here keeps up with real time (for health checks). */
  default boolean keepingUp() {
    return true;
  }
}
