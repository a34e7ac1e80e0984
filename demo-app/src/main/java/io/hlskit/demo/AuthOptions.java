package io.hlskit.demo;

import io.hlskit.core.access.AccessPolicy;
import io.hlskit.server.JwtAccessPolicy;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Who may watch, chat and upload: one admin token (the default), or JSON Web Tokens signed with
 * a shared secret (HS256) or by the keys of a JWK set (RS256, ES256), with the admin token still
 * accepted for uploads.
 */
final class AuthOptions {
  @Option(names = "--jwt-secret", defaultValue = "${env:HLS_JWT_SECRET}",
      description = "accept JSON Web Tokens signed with HS256 and this secret, at least 32 bytes"
          + " (HLS_JWT_SECRET); make one with: openssl rand -base64 48")
  String secret;

  @Option(names = "--jwt-jwks", defaultValue = "${env:HLS_JWT_JWKS}",
      description = "accept tokens signed (RS256, ES256) by a key of this JWK set: a file path,"
          + " read again when it changes, or an http(s) URL, fetched again on a new key id"
          + " (HLS_JWT_JWKS)")
  String jwks;

  @Option(names = "--jwt-issuer", defaultValue = "${env:HLS_JWT_ISSUER}",
      description = "the iss every token must carry (HLS_JWT_ISSUER)")
  String issuer;

  @Option(names = "--jwt-audience", defaultValue = "${env:HLS_JWT_AUDIENCE}",
      description = "a value the aud of every token must hold (HLS_JWT_AUDIENCE)")
  String audience;

  @Option(names = "--chat-requires-login", negatable = true,
      defaultValue = "${env:HLS_CHAT_REQUIRES_LOGIN:-false}", fallbackValue = "true",
      description = "chatting in public channels needs a token too (HLS_CHAT_REQUIRES_LOGIN;"
          + " default ${DEFAULT-VALUE}); private channels always need one")
  boolean chatRequiresLogin;

  boolean jwt() {
    return present(secret) || present(jwks);
  }

  /**
   * The access policy these options describe, with {@code adminToken} for uploads and deletes.
   *
   * @throws IllegalArgumentException when the options contradict each other
   */
  AccessPolicy policy(String adminToken) {
    if (!jwt()) {
      if (chatRequiresLogin) {
        throw new IllegalArgumentException("--chat-requires-login needs tokens to log in with:"
            + " give --jwt-secret or --jwt-jwks");
      }
      return AccessPolicy.adminToken(adminToken);
    }
    if (present(secret) && present(jwks)) {
      throw new IllegalArgumentException("give --jwt-secret (HS256) or --jwt-jwks (RS256,"
          + " ES256), not both");
    }
    JwtAccessPolicy.Builder b = JwtAccessPolicy.builder().issuer(issuer).audience(audience)
        .adminToken(adminToken).chatRequiresLogin(chatRequiresLogin);
    if (present(secret)) {
      b.hs256Secret(secret);
    } else if (jwks.startsWith("http://") || jwks.startsWith("https://")
        || jwks.startsWith("file:")) {
      b.jwks(URI.create(jwks));
    } else {
      b.jwksFile(Path.of(jwks));
    }
    return b.build();
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }
}
