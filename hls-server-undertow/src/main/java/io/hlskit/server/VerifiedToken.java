package io.hlskit.server;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a valid JSON Web Token says about its bearer, once {@link JwtAccessPolicy} checked its
 * signature and times.
 *
 * @param subject the {@code sub} claim, the user id; empty when the token has none
 * @param name the {@code name} claim: the name the bearer chats under, when present
 * @param roles the {@code roles} claim (an array of strings); {@code admin} may upload and delete
 * @param expiresAt the {@code exp} claim
 */
public record VerifiedToken(Optional<String> subject, Optional<String> name, Set<String> roles,
    Instant expiresAt) {

  /** The role that may upload, delete and moderate. */
  /** The role that may create live channels and publish into them. */
  public static final String PUBLISHER = "publisher";

  public static final String ADMIN = "admin";

  public VerifiedToken {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(name, "name");
    roles = Set.copyOf(roles);
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Whether the token carries the {@value #ADMIN} role. */
  /** Whether the token may create live channels and publish into them (role publisher or admin). */
  public boolean isPublisher() {
    return isAdmin() || roles.contains(PUBLISHER);
  }

  public boolean isAdmin() {
    return roles.contains(ADMIN);
  }
}
