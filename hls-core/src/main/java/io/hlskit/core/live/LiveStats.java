package io.hlskit.core.live;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How one broadcast goes, as the instance taking it sees it.
 *
 * @param publisher the publisher's address
 * @param since when this publisher started sending
 * @param ingestBitsPerSecond what the publisher sends, averaged over its session
 * @param frameRate pictures decoded a second, over its session
 * @param speed seconds of media encoded per second of wall time (1.0 keeps up)
 * @param lagSeconds how far encoding is behind the publisher's clock now
 * @param framesDropped pictures not encoded to keep up
 * @param renditionsShed renditions stopped to keep up, by name
 */
public record LiveStats(String publisher, Instant since, long ingestBitsPerSecond,
    double frameRate, double speed, double lagSeconds, long framesDropped,
    List<String> renditionsShed) {
  public LiveStats {
    Objects.requireNonNull(publisher, "publisher");
    Objects.requireNonNull(since, "since");
    renditionsShed = List.copyOf(renditionsShed);
  }
}
