package io.hlskit.core;

/** A chat operation was refused (bad input) or the chat backend could not be reached. */
public class ChatException extends HlsException {
  private static final long serialVersionUID = 1L;

  public ChatException(String message) {
    super(message);
  }

  public ChatException(String message, Throwable cause) {
    super(message, cause);
  }
}
