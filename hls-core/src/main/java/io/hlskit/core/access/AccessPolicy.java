package io.hlskit.core.access;

import io.hlskit.core.channel.ChannelMetadata;
import java.util.Optional;

/**
 * Decides who may upload, delete, watch and chat. A server asks it before each of these and
 * answers a refusal with 401 or 403 and the decision's reason ({@link AccessDecision}).
 *
 * <p>Implementations must be thread-safe and quick: {@link #mayWatch} is asked on every playlist
 * and segment request, on the server's I/O threads. Two come with hlskit's core: {@link
 * #adminToken}, the default (anyone watches and chats in public channels; uploads, deletes and
 * private channels need one bearer token), and {@link #readOnly}; the server module adds a JWT
 * policy. A policy of your own (sessions, an API gateway's headers) implements the same methods.
 */
public interface AccessPolicy {

  /** Whether the request may upload a new channel. */
  AccessDecision mayUpload(AccessRequest request);

  /** Whether the request may delete channel {@code channelId}. */
  AccessDecision mayDelete(AccessRequest request, String channelId);

  /**
   * Whether the request may see {@code channel}: in the channel list, its playlists, segments and
   * poster, and, for a {@linkplain ChannelMetadata#isPrivate private} channel, the keys that
   * decrypt its segments.
   */
  AccessDecision mayWatch(AccessRequest request, ChannelMetadata channel);

  /** Whether the request may join the chat of {@code channel}. */
  AccessDecision mayChat(AccessRequest request, ChannelMetadata channel);

  /**
   * Whether the request may moderate the chat of {@code channel}: delete messages, mute, set
   * slow mode, and see who is muted. By default, whoever may delete the channel.
   */
  default AccessDecision mayModerate(AccessRequest request, ChannelMetadata channel) {
    return mayDelete(request, channel.id());
  }

  /**
   * Whether the request may create live channels, change them and see or renew their stream
   * keys. By default, whoever may upload; the JWT policy also lets the role {@code publisher}.
   */
  default AccessDecision mayGoLive(AccessRequest request) {
    return mayUpload(request);
  }

  /**
   * Whether the request may publish a stream into live channel {@code channel} with credentials
   * other than the channel's stream key (a token in place of the key). By default, whoever may
   * delete the channel; the JWT policy also lets the role {@code publisher} publish.
   */
  default AccessDecision mayPublish(AccessRequest request, ChannelMetadata channel) {
    return mayDelete(request, channel.id());
  }

  /**
   * The name the request must chat under, when its credentials fix one (a token's name claim);
   * empty lets the client choose its own.
   */
  default Optional<String> chatName(AccessRequest request) {
    return Optional.empty();
  }

  /**
   * Anyone may watch and chat in public channels; uploads, deletes and private channels need
   * {@code Authorization: Bearer <token>} with this token (compared in constant time). A null or
   * blank token turns uploads and deletes off (403), as {@link #readOnly()} does, and private
   * channels with them.
   */
  static AccessPolicy adminToken(String token) {
    return token == null || token.isBlank() ? readOnly() : new AdminTokenPolicy(token);
  }

  /**
   * Anyone may watch and chat in public channels; nobody may upload or delete, nor watch a
   * private channel (403).
   */
  static AccessPolicy readOnly() {
    return AdminTokenPolicy.READ_ONLY;
  }
}
