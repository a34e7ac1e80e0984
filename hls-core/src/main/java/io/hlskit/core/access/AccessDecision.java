package io.hlskit.core.access;

import java.util.Objects;

/**
 * What an {@link AccessPolicy} decided, and, when it refuses, why, in words for the client: a
 * server answers {@link Outcome#UNAUTHENTICATED} with 401 (the caller must say who they are, or
 * said it wrongly) and {@link Outcome#FORBIDDEN} with 403 (who they are may not do this).
 *
 * @param outcome allowed, or which refusal
 * @param reason what the client needs to know; empty when allowed
 */
public record AccessDecision(Outcome outcome, String reason) {
  /** Whether and how the request is refused. */
  public enum Outcome {
    ALLOWED,
    UNAUTHENTICATED,
    FORBIDDEN
  }

  /** Allowed. */
  public static final AccessDecision ALLOW = new AccessDecision(Outcome.ALLOWED, "");

  public AccessDecision {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    if (outcome != Outcome.ALLOWED && reason.isBlank()) {
      throw new IllegalArgumentException("a refusal needs a reason the client can act on");
    }
  }

  /** Refused until the caller proves who they are (or proves it properly): 401. */
  public static AccessDecision unauthenticated(String reason) {
    return new AccessDecision(Outcome.UNAUTHENTICATED, reason);
  }

  /** Refused whoever the caller is: 403. */
  public static AccessDecision forbidden(String reason) {
    return new AccessDecision(Outcome.FORBIDDEN, reason);
  }

  public boolean allowed() {
    return outcome == Outcome.ALLOWED;
  }
}
