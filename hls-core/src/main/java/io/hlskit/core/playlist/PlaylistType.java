package io.hlskit.core.playlist;

/** {@code EXT-X-PLAYLIST-TYPE}: whether a media playlist may still change. */
public enum PlaylistType {
  /** Segments may be appended, never removed. */
  EVENT,
  /** The playlist never changes. */
  VOD
}
