package io.hlskit.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Makes HS256 tokens that {@link JwtAccessPolicy} accepts, for local use, scripts and tests: a
 * real deployment gets its tokens from its identity provider. Not thread-safe; {@link #sign} may
 * be called many times.
 *
 * <pre>{@code
 * String token = JwtTokens.hs256(secret).subject("alice").name("Alice").role("admin")
 *     .ttl(Duration.ofHours(1)).sign();
 * }</pre>
 */
public final class JwtTokens {
  private final byte[] secret;
  private String subject;
  private String name;
  private final List<String> roles = new ArrayList<>();
  private Duration ttl = Duration.ofHours(1);
  private String issuer;
  private String audience;

  private JwtTokens(byte[] secret) {
    if (secret.length < JwtAccessPolicy.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the JWT secret has " + secret.length + " bytes; HS256"
          + " needs at least " + JwtAccessPolicy.MIN_SECRET_BYTES);
    }
    this.secret = secret.clone();
  }

  /** Tokens signed with HS256 and {@code secret} (its UTF-8 bytes). */
  public static JwtTokens hs256(String secret) {
    return new JwtTokens(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code sub} claim: the user id. */
  public JwtTokens subject(String subject) {
    this.subject = subject;
    return this;
  }

  /** The {@code name} claim: the name the bearer chats under. */
  public JwtTokens name(String name) {
    this.name = name;
    return this;
  }

  /** Adds a role to the {@code roles} claim ({@code admin} may upload and delete). */
  public JwtTokens role(String role) {
    roles.add(Objects.requireNonNull(role, "role"));
    return this;
  }

  /** How long the token is valid from when it is signed; an hour by default. */
  public JwtTokens ttl(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a token's time to live must be positive: " + ttl);
    }
    this.ttl = ttl;
    return this;
  }

  /** The {@code iss} claim. */
  public JwtTokens issuer(String issuer) {
    this.issuer = issuer;
    return this;
  }

  /** The {@code aud} claim. */
  public JwtTokens audience(String audience) {
    this.audience = audience;
    return this;
  }

  /** A token valid from now for the time to live. */
  public String sign() {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(ttl)));
    if (subject != null) {
      claims.subject(subject);
    }
    if (name != null) {
      claims.claim("name", name);
    }
    if (!roles.isEmpty()) {
      claims.claim("roles", List.copyOf(roles));
    }
    if (issuer != null) {
      claims.issuer(issuer);
    }
    if (audience != null) {
      claims.audience(audience);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .type(JOSEObjectType.JWT).build(), claims.build());
    try {
      jwt.sign(new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 signing failed: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
