package io.hlskit.core.store;

import io.hlskit.core.StorageKeys;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link MediaStore} knows of one object.
 *
 * @param key the object's key
 * @param length its size in bytes
 * @param etag a strong entity tag that changes whenever the content changes, without quotes
 * @param lastModified when it was last written
 * @param contentType its media type, as {@link MediaTypes#forKey} gives for the key
 */
public record ObjectInfo(String key, long length, String etag, Instant lastModified,
    String contentType) {
  public ObjectInfo {
    StorageKeys.requireKey(key);
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    Objects.requireNonNull(etag, "etag");
    if (etag.isEmpty() || etag.indexOf('"') >= 0) {
      throw new IllegalArgumentException("etag must be non-empty and unquoted: " + etag);
    }
    Objects.requireNonNull(lastModified, "lastModified");
    Objects.requireNonNull(contentType, "contentType");
  }
}
