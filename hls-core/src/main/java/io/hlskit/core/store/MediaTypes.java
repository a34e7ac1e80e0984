package io.hlskit.core.store;

import java.util.Locale;

/** The media types of the objects in a channel, by file extension, as HLS players expect them. */
public final class MediaTypes {
  public static final String PLAYLIST = "application/vnd.apple.mpegurl";
  public static final String MPEG_TS = "video/mp2t";
  public static final String FMP4_SEGMENT = "video/iso.segment";
  public static final String MP4 = "video/mp4";
  public static final String JPEG = "image/jpeg";
  public static final String JSON = "application/json";
  public static final String OCTET_STREAM = "application/octet-stream";

  private MediaTypes() {}

  /** {@code Cache-Control} for objects whose key never names other content (segments). */
  public static final String CACHE_IMMUTABLE = "public, max-age=31536000, immutable";

  /** {@code Cache-Control} for objects replaced in place (playlists, metadata, posters). */
  public static final String CACHE_REVALIDATE = "no-cache";

  /**
   * The {@code Cache-Control} for an object, the same from the server and from a store that
   * players or a CDN reach directly: playlists, JSON and posters are revalidated, media is
   * cached for good.
   */
  public static String cacheControl(String key) {
    String type = forKey(key);
    boolean revalidate = type.equals(PLAYLIST) || type.equals(JSON) || type.equals(JPEG);
    return revalidate ? CACHE_REVALIDATE : CACHE_IMMUTABLE;
  }

  /** The media type for a key, {@code application/octet-stream} when the extension is unknown. */
  public static String forKey(String key) {
    int dot = key.lastIndexOf('.');
    if (dot < 0 || dot < key.lastIndexOf('/')) {
      return OCTET_STREAM;
    }
    switch (key.substring(dot + 1).toLowerCase(Locale.ROOT)) {
      case "m3u8":
        return PLAYLIST;
      case "ts":
        return MPEG_TS;
      case "m4s":
        return FMP4_SEGMENT;
      case "mp4":
        return MP4;
      case "m4a":
        return "audio/mp4";
      case "aac":
        return "audio/aac";
      case "vtt":
        return "text/vtt";
      case "jpg":
      case "jpeg":
        return JPEG;
      case "png":
        return "image/png";
      case "json":
        return JSON;
      default:
        return OCTET_STREAM;
    }
  }
}
