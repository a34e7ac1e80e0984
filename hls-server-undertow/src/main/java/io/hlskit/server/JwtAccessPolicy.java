package io.hlskit.server;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import io.hlskit.core.access.AccessDecision;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.server.internal.JwksFile;
import io.hlskit.server.internal.TokenReader;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Access by JSON Web Token (RFC 7519), checked with Nimbus JOSE+JWT: HS256 with a shared secret,
 * or RS256 and ES256 with the public keys of a JWK set (a file read again when it changes, or a
 * URL fetched again on an unknown key id and every five minutes).
 *
 * <p>Who may do what:
 * <ul>
 *   <li>public channels: anyone watches (no token is even read, so serving costs nothing more);
 *       anyone chats, unless {@link Builder#chatRequiresLogin} asks for a valid token;
 *   <li>private channels ({@link ChannelMetadata#isPrivate}): any valid token watches (playlists,
 *       segments, keys) and chats; without one, 401;
 *   <li>uploads, deletes and moderation: a valid token with the {@code admin} role (403 without
 *       it), or the static admin token when one is configured ({@link Builder#adminToken}).
 * </ul>
 * A token comes as {@code Authorization: Bearer <jwt>}, or, for players and {@code <video>}
 * elements that cannot set headers, as the query parameter {@code token} on {@code /streams/},
 * {@code /api/keys/} and {@code /ws/} requests ({@link AccessRequest#token}). Claims: {@code exp} required, {@code nbf}
 * honoured (30 s of clock skew both ways), {@code sub} the user, {@code name} the chat name (a
 * join frame cannot choose another), {@code roles} an array of strings. A token that is present
 * but invalid is refused with 401 and the reason, never ignored.
 *
 * <p>Thread-safe; a token checked once is remembered for up to a minute.
 */
public final class JwtAccessPolicy implements AccessPolicy {
  /** The shortest HS256 secret accepted, in bytes (RFC 7518, 3.2: the hash's size). */
  public static final int MIN_SECRET_BYTES = 32;

  private final TokenReader reader;
  private final byte[] adminToken;
  private final boolean chatRequiresLogin;
  private final String description;

  private JwtAccessPolicy(Builder b) {
    JWSVerificationKeySelector<SecurityContext> keys;
    if (b.secret != null) {
      keys = new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
          new ImmutableSecret<>(b.secret));
    } else {
      keys = new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
          b.jwks);
    }
    this.reader = new TokenReader(keys, b.issuer, b.audience);
    this.adminToken = b.adminToken == null || b.adminToken.isBlank() ? null
        : b.adminToken.getBytes(StandardCharsets.UTF_8);
    this.chatRequiresLogin = b.chatRequiresLogin;
    this.description = "JwtAccessPolicy[" + (b.secret != null ? "HS256" : "JWKS " + b.jwksName)
        + (b.issuer != null ? ", issuer " + b.issuer : "")
        + (b.audience != null ? ", audience " + b.audience : "")
        + (adminToken != null ? ", admin token" : "")
        + (chatRequiresLogin ? ", chat requires login" : "") + "]";
  }

  /** A builder; give it {@link Builder#hs256Secret} or a JWK set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The claims of {@code token}, when it is valid for this policy.
   *
   * @throws InvalidTokenException saying what is wrong with it
   */
  public VerifiedToken verify(String token) {
    return reader.read(Objects.requireNonNull(token, "token"));
  }

  /** Who the request is: nobody, the static admin token, a valid token, or a refusal. */
  private record Caller(Optional<VerifiedToken> token, boolean staticAdmin, String problem) {
    static final Caller ANONYMOUS = new Caller(Optional.empty(), false, null);
    static final Caller ADMIN = new Caller(Optional.empty(), true, null);

    boolean known() {
      return staticAdmin || token.isPresent();
    }

    boolean admin() {
      return staticAdmin || token.map(VerifiedToken::isAdmin).orElse(false);
    }
  }

  private Caller caller(AccessRequest request) {
    Optional<String> given = request.token();
    if (given.isEmpty()) {
      return Caller.ANONYMOUS;
    }
    if (adminToken != null
        && MessageDigest.isEqual(given.get().getBytes(StandardCharsets.UTF_8), adminToken)) {
      return Caller.ADMIN;
    }
    try {
      return new Caller(Optional.of(reader.read(given.get())), false, null);
    } catch (InvalidTokenException e) {
      return new Caller(Optional.empty(), false, e.getMessage());
    }
  }

  /** Allowed for any valid token; 401 otherwise. */
  private AccessDecision signedIn(AccessRequest request, String what) {
    Caller c = caller(request);
    if (c.problem() != null) {
      return AccessDecision.unauthenticated(c.problem());
    }
    return c.known() ? AccessDecision.ALLOW : AccessDecision.unauthenticated(what
        + " needs a sign-in: send a token as Authorization: Bearer <token>");
  }

  private AccessDecision admin(AccessRequest request) {
    return role(request, Caller::admin, "admin role", "the token has no admin role; ask for"
        + " one that has");
  }

  /** Allowed for the static admin token and tokens with the role publisher or admin. */
  private AccessDecision publisher(AccessRequest request) {
    return role(request, c -> c.admin() || c.token().map(VerifiedToken::isPublisher)
        .orElse(false), "publisher or admin role", "the token has neither the publisher nor"
        + " the admin role");
  }

  /** Allowed for a known caller that {@code has} says holds the role; 401 or 403 otherwise. */
  private AccessDecision role(AccessRequest request, java.util.function.Predicate<Caller> has,
      String role, String refusal) {
    Caller c = caller(request);
    if (c.problem() != null) {
      return AccessDecision.unauthenticated(c.problem());
    }
    if (!c.known()) {
      return AccessDecision.unauthenticated("send a token with the " + role + " as"
          + " Authorization: Bearer <token>");
    }
    return has.test(c) ? AccessDecision.ALLOW : AccessDecision.forbidden(refusal);
  }

  @Override
  public AccessDecision mayGoLive(AccessRequest request) {
    return publisher(request);
  }

  @Override
  public AccessDecision mayPublish(AccessRequest request, ChannelMetadata channel) {
    return publisher(request);
  }

  @Override
  public AccessDecision mayUpload(AccessRequest request) {
    return admin(request);
  }

  @Override
  public AccessDecision mayDelete(AccessRequest request, String channelId) {
    return admin(request);
  }

  @Override
  public AccessDecision mayWatch(AccessRequest request, ChannelMetadata channel) {
    return channel.isPrivate() ? signedIn(request, "channel " + channel.id() + " is private; it")
        : AccessDecision.ALLOW;
  }

  @Override
  public AccessDecision mayChat(AccessRequest request, ChannelMetadata channel) {
    if (channel.isPrivate() || chatRequiresLogin) {
      return signedIn(request, "the chat of " + channel.id());
    }
    // anonymous chat is allowed, but a token that is sent must be good
    String problem = caller(request).problem();
    return problem == null ? AccessDecision.ALLOW : AccessDecision.unauthenticated(problem);
  }

  @Override
  public Optional<String> chatName(AccessRequest request) {
    return caller(request).token().flatMap(VerifiedToken::name);
  }

  @Override
  public String toString() {
    return description;
  }

  /** Builds a {@link JwtAccessPolicy}; not thread-safe. */
  public static final class Builder {
    private byte[] secret;
    private JWKSource<SecurityContext> jwks;
    private String jwksName;
    private String issuer;
    private String audience;
    private String adminToken;
    private boolean chatRequiresLogin;

    private Builder() {}

    /**
     * Tokens signed with HS256 and this secret (its UTF-8 bytes), at least {@value
     * #MIN_SECRET_BYTES} bytes; only HS256 is then accepted.
     */
    public Builder hs256Secret(String secret) {
      return hs256Secret(Objects.requireNonNull(secret, "secret")
          .getBytes(StandardCharsets.UTF_8));
    }

    /** Tokens signed with HS256 and this secret, at least {@value #MIN_SECRET_BYTES} bytes. */
    public Builder hs256Secret(byte[] secret) {
      if (secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("the JWT secret has " + secret.length + " bytes; HS256"
            + " needs at least " + MIN_SECRET_BYTES + " (try: openssl rand -base64 48)");
      }
      this.secret = secret.clone();
      this.jwks = null;
      return this;
    }

    /**
     * Tokens signed with RS256 or ES256 by a key of the JWK set in {@code file}, read again
     * whenever the file changes.
     *
     * @throws IllegalArgumentException when the file is not a readable JWK set
     */
    public Builder jwksFile(Path file) {
      this.jwks = new JwksFile(file);
      this.jwksName = file.toString();
      this.secret = null;
      return this;
    }

    /**
     * Tokens signed with RS256 or ES256 by a key of the JWK set at {@code url} ({@code http},
     * {@code https} or {@code file}): fetched when first needed, kept five minutes, fetched
     * again at once (at most every 5 s) when a token names a key id it does not hold.
     */
    public Builder jwks(URI url) {
      if ("file".equalsIgnoreCase(url.getScheme())) {
        return jwksFile(Path.of(url));
      }
      if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
        throw new IllegalArgumentException("a JWK set is fetched over http or https, or read"
            + " from a file: " + url);
      }
      try {
        this.jwks = JWKSourceBuilder.<SecurityContext>create(url.toURL())
            .cache(Duration.ofMinutes(5).toMillis(), Duration.ofSeconds(15).toMillis())
            .rateLimited(Duration.ofSeconds(5).toMillis())
            .outageTolerant(Duration.ofHours(1).toMillis())
            .build();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("not a URL: " + url, e);
      }
      this.jwksName = url.toString();
      this.secret = null;
      return this;
    }

    /** The {@code iss} every token must carry; any when not set. */
    public Builder issuer(String issuer) {
      this.issuer = issuer == null || issuer.isBlank() ? null : issuer;
      return this;
    }

    /** A value the {@code aud} of every token must hold; any when not set. */
    public Builder audience(String audience) {
      this.audience = audience == null || audience.isBlank() ? null : audience;
      return this;
    }

    /**
     * A static token that may also upload, delete and watch private channels (compared in
     * constant time), so scripts written for {@link AccessPolicy#adminToken} keep working.
     */
    public Builder adminToken(String adminToken) {
      this.adminToken = adminToken;
      return this;
    }

    /** Whether chatting in public channels needs a valid token too (default: no). */
    public Builder chatRequiresLogin(boolean chatRequiresLogin) {
      this.chatRequiresLogin = chatRequiresLogin;
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalStateException when neither a secret nor a JWK set was given
     */
    public JwtAccessPolicy build() {
      if (secret == null && jwks == null) {
        throw new IllegalStateException("give the JWT policy an HS256 secret or a JWK set");
      }
      return new JwtAccessPolicy(this);
    }
  }
}
