package io.hlskit.transcode;

import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessDecision;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.live.LivePublishException;
import io.hlskit.core.live.LivePublishing;
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
    ChannelMetadata channel = liveChannel(request.channel(), store,
        "; the stream key is <channel>?key=<secret>");
    authorize(channel, request.key(), request.token().map(t -> new TokenRequest(t, request)),
        store, access);
    return channel;
  }

  /**
   * The live channel a browser's {@code request} may publish into.
   *
   * @throws LivePublishException saying why not
   */
  static ChannelMetadata check(LivePublishing.Request request, MediaStore store,
      AccessPolicy access) {
    try {
      ChannelMetadata channel = liveChannel(request.channel(), store, "");
      authorize(channel, request.key(), Optional.of(request.caller()), store, access);
      return channel;
    } catch (PublishRefusedException e) {
      throw refusal(e);
    }
  }

  /** A refusal as a browser's publish is told it. */
  static LivePublishException refusal(PublishRefusedException e) {
    LivePublishException.Reason reason = switch (e.code()) {
      case "NetStream.Publish.BadName" -> e.getMessage().contains("already")
          ? LivePublishException.Reason.BUSY : LivePublishException.Reason.NOT_FOUND;
      case "NetStream.Publish.Unauthorized" -> e.getMessage().startsWith("the token may not")
          ? LivePublishException.Reason.FORBIDDEN : LivePublishException.Reason.UNAUTHENTICATED;
      default -> e.getMessage().contains("stopping") ? LivePublishException.Reason.UNAVAILABLE
          : LivePublishException.Reason.BAD_REQUEST;
    };
    return new LivePublishException(reason, e.getMessage());
  }

  private static ChannelMetadata liveChannel(String id, MediaStore store, String keyForm) {
    if (!StorageKeys.isValidChannelId(id)) {
      throw new PublishRefusedException("NetStream.Publish.BadName", "no valid channel"
          + " ('" + abbreviate(id) + "')" + keyForm);
    }
    Optional<ChannelMetadata> channel = store.channelMetadata(id);
    if (channel.isEmpty() || !channel.get().isLive()) {
      throw new PublishRefusedException("NetStream.Publish.BadName", "'" + id + "' is"
          + (channel.isEmpty() ? " no channel" : " not a live channel") + "; create a live"
          + " channel first (the demo's 'live " + id + "' or POST /api/live)");
    }
    return channel.get();
  }

  /** The stream key when there is one, else the access policy's word on the caller. */
  private static void authorize(ChannelMetadata channel, Optional<String> key,
      Optional<AccessRequest> caller, MediaStore store, AccessPolicy access) {
    if (key.isPresent()) {
      if (!LiveChannels.keyMatches(store, channel.id(), key.get())) {
        throw new PublishRefusedException("NetStream.Publish.Unauthorized", "wrong stream key"
            + " for channel " + channel.id() + "; take the key from 'live "
            + channel.id() + "' or POST /api/live/" + channel.id() + "/key");
      }
      return;
    }
    if (caller.isPresent()) {
      AccessDecision decision = access.mayPublish(caller.get(), channel);
      if (decision.allowed()) {
        return;
      }
      boolean credentials = caller.get().header("Authorization").isPresent()
          || caller.get().queryParameter("token").isPresent();
      if (credentials && decision.outcome() == AccessDecision.Outcome.FORBIDDEN) {
        throw new PublishRefusedException("NetStream.Publish.Unauthorized", "the token may not"
            + " publish into " + channel.id() + " (" + decision.reason() + ")");
      }
      if (credentials) {
        throw new PublishRefusedException("NetStream.Publish.Unauthorized", "the token was"
            + " not accepted for " + channel.id() + " (" + decision.reason() + ")");
      }
    }
    throw new PublishRefusedException("NetStream.Publish.Unauthorized", "no stream key"
        + " for channel " + channel.id() + "; the stream key is " + channel.id()
        + "?key=<secret>, or a token that may publish");
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
