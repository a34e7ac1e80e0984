package io.hlskit.server.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.hlskit.server.InvalidTokenException;
import io.hlskit.server.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks JSON Web Tokens with Nimbus JOSE+JWT: the signature with the configured keys and
 * algorithms only, {@code exp} required, {@code nbf} honoured, both with 30 s of clock skew,
 * issuer and audience when configured. A player sends the same token with every segment, so a
 * token checked once is remembered for a minute (by its SHA-256, never the token itself) and up
 * to its expiry. Thread-safe.
 */
public final class TokenReader {
  private static final Logger LOG = LoggerFactory.getLogger(TokenReader.class);

  /** The longest token read; real ones are a few hundred characters. */
  public static final int MAX_LENGTH = 8192;

  /** The clock skew allowed on {@code exp} and {@code nbf}. */
  public static final int SKEW_SECONDS = 30;

  private static final long REMEMBER_MILLIS = 60_000;
  private static final int REMEMBER_MAX = 10_000;
  private static final int MAX_REASON = 200;

  private record Remembered(VerifiedToken token, long until) {}

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  /**
   * @param keys the keys and the algorithms accepted (nothing else is)
   * @param issuer the {@code iss} every token must have, or null for any
   * @param audience a value the {@code aud} of every token must hold, or null for any
   */
  public TokenReader(JWSKeySelector<SecurityContext> keys, String issuer, String audience) {
    processor.setJWSKeySelector(keys);
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    if (issuer != null) {
      exact.issuer(issuer);
    }
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        audience == null ? null : Set.of(audience), exact.build(), Set.of("exp"), null);
    claims.setMaxClockSkew(SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * The claims of {@code token}, when it is valid.
   *
   * @throws InvalidTokenException saying what is wrong with it
   */
  public VerifiedToken read(String token) {
    if (token.length() > MAX_LENGTH) {
      throw new InvalidTokenException("the token is longer than " + MAX_LENGTH
          + " characters; a JSON Web Token is a few hundred");
    }
    long now = System.currentTimeMillis();
    String digest = sha256(token);
    Remembered r = remembered.get(digest);
    if (r != null && now < r.until()) {
      return r.token();
    }
    VerifiedToken verified = verify(token);
    if (remembered.size() >= REMEMBER_MAX) {
      remembered.clear(); // bounded; a burst of new tokens is checked afresh
    }
    long expires = verified.expiresAt().toEpochMilli() + SKEW_SECONDS * 1000L;
    remembered.put(digest, new Remembered(verified, Math.min(now + REMEMBER_MILLIS, expires)));
    return verified;
  }

  private VerifiedToken verify(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new InvalidTokenException("the token is not a JSON Web Token (three base64url parts,"
          + " the first two JSON): " + reason(e));
    } catch (KeySourceException e) {
      LOG.warn("the keys to check tokens with could not be loaded: {}", e.getMessage());
      throw new InvalidTokenException("the server could not load the keys to check the token"
          + " with; try again shortly", e);
    } catch (BadJOSEException | JOSEException e) {
      throw new InvalidTokenException("the token was refused (" + reason(e) + "); sign in again"
          + " for a new one", e);
    }
    try {
      List<String> roles = claims.getStringListClaim("roles");
      return new VerifiedToken(Optional.ofNullable(claims.getSubject()),
          Optional.ofNullable(claims.getStringClaim("name")).filter(n -> !n.isBlank()),
          roles == null ? Set.of() : new LinkedHashSet<>(roles),
          claims.getExpirationTime().toInstant());
    } catch (ParseException e) {
      throw new InvalidTokenException("the token's claims have the wrong types (" + reason(e)
          + "): name must be a string and roles an array of strings");
    }
  }

  /** An exception's message as a client may see it: short, printable. */
  private static String reason(Exception e) {
    String m = String.valueOf(e.getMessage());
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < m.length() && b.length() < MAX_REASON; i++) {
      char c = m.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    return m.length() > MAX_REASON ? b + "..." : b.toString();
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
