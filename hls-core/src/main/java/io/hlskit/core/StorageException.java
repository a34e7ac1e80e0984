package io.hlskit.core;

/** A {@code MediaStore} could not read, write, list or delete, or was given a bad key. */
public class StorageException extends HlsException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
