package io.hlskit.server;

import io.hlskit.core.HlsException;

/**
 * A token that is not a valid JSON Web Token for this server: malformed, signed with another key
 * or algorithm, expired, not yet valid, or for another issuer or audience. The message says which,
 * in words fit for the client, and never repeats the token.
 */
public class InvalidTokenException extends HlsException {
  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message) {
    super(message);
  }

  public InvalidTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
