package io.hlskit.core.playlist;

import java.util.List;
import java.util.Optional;

/**
 * An RFC 8216 playlist: either a {@link MediaPlaylist} (the segments of one rendition) or a
 * {@link MultivariantPlaylist} (the renditions of one presentation). Immutable and thread-safe.
 *
 * <p>Write one with {@link PlaylistWriter}, read one with {@link PlaylistParser}.
 */
public sealed interface Playlist permits MediaPlaylist, MultivariantPlaylist {

  /** The {@code EXT-X-VERSION} written for this playlist. */
  int version();

  /** Whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present. */
  boolean independentSegments();

  /** {@code EXT-X-START}, when present. */
  Optional<StartPoint> start();

  /** Playlist-level tags hlskit does not model, kept by the lenient parser, written back as-is. */
  List<String> unknownTags();
}
