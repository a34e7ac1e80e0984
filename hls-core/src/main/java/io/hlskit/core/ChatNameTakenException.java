package io.hlskit.core;

/**
 * A chat join was refused because someone in the room already has the name (compared without
 * regard to case); the client should choose another.
 */
public final class ChatNameTakenException extends ChatException {
  private static final long serialVersionUID = 1L;

  public ChatNameTakenException(String message) {
    super(message);
  }
}
