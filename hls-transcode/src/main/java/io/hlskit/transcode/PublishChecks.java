package io.hlskit.transcode;

import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessDecision;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.internal.rtmp.PublishRefusedException;
import io.hlskit.transcode.internal.rtmp.PublishRequest;
import java.util.Optional;

/**
 * Who may publish what: the application, the channel (a live one) and the credentials (its
 * stream key, or a token the access policy lets publish), each refusal saying what to do.
 */
final class PublishChecks {
  private PublishChecks() {}

  /**
   * The live channel {@code request} may publish into.
   *
   * @throws PublishRefusedException saying why not
   */
  static ChannelMetadata check(PublishRequest request, MediaStore store, AccessPolicy access) {
    if (!LiveIngest.APP.equals(request.app())) {
      throw new PublishRefusedException("NetStream.Publish.BadName", "connected to application '"
          + request.app() + "'; publish to rtmp://<host>:<port>/" + LiveIngest.APP);
    }
    String id = request.channel();
    if (!StorageKeys.isValidChannelId(id)) {
      throw new PublishRefusedException("NetStream.Publish.BadName", "no valid channel"
          + " ('" + abbreviate(id) + "'); the stream key is <channel>?key=<secret>");
    }
    Optional<ChannelMetadata> channel = store.channelMetadata(id);
    if (channel.isEmpty() || !channel.get().isLive()) {
      throw new PublishRefusedException("NetStream.Publish.BadName", "'" + id + "' is"
          + (channel.isEmpty() ? " no channel" : " not a live channel") + "; create a live"
          + " channel first (the demo's 'live " + id + "' or POST /api/live)");
    }
    authorize(request, channel.get(), store, access);
    return channel.get();
  }

  private static void authorize(PublishRequest request, ChannelMetadata channel,
      MediaStore store, AccessPolicy access) {
    Optional<String> key = request.key();
    if (key.isPresent()) {
      if (!LiveChannels.keyMatches(store, channel.id(), key.get())) {
        throw new PublishRefusedException("NetStream.Publish.Unauthorized", "wrong stream key"
            + " for channel " + channel.id() + "; take the key from 'live "
            + channel.id() + "' or POST /api/live/" + channel.id() + "/key");
      }
      return;
    }
    Optional<String> token = request.token();
    if (token.isPresent()) {
      AccessDecision decision = access.mayPublish(new TokenRequest(token.get(), request),
          channel);
      if (!decision.allowed()) {
        throw new PublishRefusedException("NetStream.Publish.Unauthorized", "the token may not"
            + " publish into " + channel.id() + " (" + decision.reason() + ")");
      }
      return;
    }
    throw new PublishRefusedException("NetStream.Publish.Unauthorized", "no stream key"
        + " for channel " + channel.id() + "; the stream key is " + channel.id()
        + "?key=<secret>");
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  /** A publish's token, as an access policy reads a request. */
  private record TokenRequest(String bearer, PublishRequest request) implements AccessRequest {
    @Override
    public Optional<String> header(String name) {
      return name.equalsIgnoreCase("Authorization") ? Optional.of("Bearer " + bearer)
          : Optional.empty();
    }

    @Override
    public Optional<String> queryParameter(String name) {
      return Optional.ofNullable(request.query().get(name));
    }

    @Override
    public String path() {
      return "/rtmp/" + LiveIngest.APP + "/" + request.channel();
    }

    @Override
    public String remoteAddress() {
      String a = request.remoteAddress();
      int colon = a.lastIndexOf(':');
      return colon > 0 ? a.substring(0, colon) : a;
    }
  }
}
