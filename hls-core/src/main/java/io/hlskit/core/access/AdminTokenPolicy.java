package io.hlskit.core.access;

import io.hlskit.core.channel.ChannelMetadata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Open reading and chat of public channels; writes, and private channels, with one bearer token,
 * or none at all without a token.
 */
final class AdminTokenPolicy implements AccessPolicy {
  static final AccessPolicy READ_ONLY = new AdminTokenPolicy(null);

  private final byte[] token;

  AdminTokenPolicy(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
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
    return channel.isPrivate() ? privateChannel(request) : AccessDecision.ALLOW;
  }

  @Override
  public AccessDecision mayChat(AccessRequest request, ChannelMetadata channel) {
    return channel.isPrivate() ? privateChannel(request) : AccessDecision.ALLOW;
  }

  private AccessDecision privateChannel(AccessRequest request) {
    if (token == null) {
      return AccessDecision.forbidden("the channel is private and this server has no admin token"
          + " or other credentials configured to watch it with");
    }
    return admin(request);
  }

  private AccessDecision admin(AccessRequest request) {
    if (token == null) {
      return AccessDecision.forbidden("this server takes no uploads or deletes: it has no admin"
          + " token configured (AccessPolicy.adminToken)");
    }
    Optional<String> given = request.token();
    if (given.isEmpty()) {
      return AccessDecision.unauthenticated(
          "send the admin token as Authorization: Bearer <token>");
    }
    if (!MessageDigest.isEqual(given.get().getBytes(StandardCharsets.UTF_8), token)) {
      return AccessDecision.unauthenticated("the admin token is wrong");
    }
    return AccessDecision.ALLOW;
  }

  @Override
  public String toString() {
    return token == null ? "AccessPolicy.readOnly()" : "AccessPolicy.adminToken(...)";
  }
}
