package io.hlskit.core.channel;

import io.hlskit.core.StorageKeys;
import io.hlskit.core.playlist.Resolution;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One rendition of a channel, as listed in {@code channel.json} and the channel API.
 *
 * @param name a short name that is also its folder, such as {@code 720p}
 * @param playlist its media playlist, relative to the channel ({@code 720p/index.m3u8})
 * @param resolution width and height in pixels; empty for audio-only
 * @param bandwidth the peak bit rate in bits per second, as in {@code BANDWIDTH}
 * @param averageBandwidth the average bit rate in bits per second
 * @param codecs RFC 6381 codec names, as in {@code CODECS}
 */
public record RenditionInfo(String name, String playlist, Optional<Resolution> resolution,
    long bandwidth, long averageBandwidth, List<String> codecs) {
  public RenditionInfo {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a rendition needs a name");
    }
    StorageKeys.requireKey(playlist);
    Objects.requireNonNull(resolution, "resolution");
    if (bandwidth < 0 || averageBandwidth < 0) {
      throw new IllegalArgumentException("bit rates must not be negative");
    }
    codecs = List.copyOf(codecs);
  }
}
