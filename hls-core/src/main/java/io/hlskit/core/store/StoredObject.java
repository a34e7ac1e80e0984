package io.hlskit.core.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An object found in a {@link MediaStore}, ready to be read. Reading opens the content anew each
 * time; each stream must be closed by the caller. The object may change or vanish between {@link
 * MediaStore#open} and a read: a read then fails with a {@link io.hlskit.core.StorageException}.
 */
public interface StoredObject {

  /** Key, length, entity tag, modification time and media type. */
  ObjectInfo info();

  /** The whole content. */
  InputStream stream();

  /**
   * {@code length} bytes of the content starting at {@code offset}, for HTTP Range requests.
   * Backends fetch only that part (S3 sends a ranged GET).
   */
  InputStream stream(long offset, long length);

  /**
   * The object as a local file, when the backend keeps it on this machine, so that a server can
   * send it with zero copy ({@code sendfile}). Empty for remote stores.
   */
  default Optional<Path> localFile() {
    return Optional.empty();
  }
}
