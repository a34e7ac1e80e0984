package io.hlskit.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An object opened for reading whole, with what the store knows of it, from {@link
 * MediaStore#read}: one round trip where the backend allows (S3 answers a GET with the length and
 * ETag ahead of the body), against {@link MediaStore#open} then {@link StoredObject#stream}.
 * Close it, read or not: a remote store holds a connection until then.
 */
public interface ObjectStream extends AutoCloseable {

  /** Key, length, entity tag, modification time and media type. */
  ObjectInfo info();

  /** The whole content; call it once. */
  InputStream content();

  /** The object as a local file for zero-copy sending, when the store keeps it on this machine. */
  default Optional<Path> localFile() {
    return Optional.empty();
  }

  /** Releases the content, read or not. */
  @Override
  void close();

  /** An {@code ObjectStream} over a {@link StoredObject}; the content is opened on first use. */
  static ObjectStream of(StoredObject object) {
    return new ObjectStream() {
      private InputStream content;

      @Override
      public ObjectInfo info() {
        return object.info();
      }

      @Override
      public synchronized InputStream content() {
        if (content == null) {
          content = object.stream();
        }
        return content;
      }

      @Override
      public Optional<Path> localFile() {
        return object.localFile();
      }

      @Override
      public synchronized void close() {
        if (content != null) {
          try {
            content.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
  }
}
