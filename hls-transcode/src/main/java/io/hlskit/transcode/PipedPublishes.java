package io.hlskit.transcode;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.live.LivePublishException;
import io.hlskit.core.live.LivePublishException.Reason;
import io.hlskit.core.live.LivePublishing;
import io.hlskit.transcode.internal.LiveInput;
import io.hlskit.transcode.internal.live.MediaPipe;
import io.hlskit.transcode.internal.rtmp.PublishRefusedException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Publishes that come as a byte stream of WebM or MP4 (a browser's {@code MediaRecorder} over
 * a WebSocket) into {@link LiveIngest}'s pipelines: the same checks, claim and pipeline as
 * RTMP's, libav's Matroska or MOV demuxer in place of FLV's.
 */
final class PipedPublishes {
  private PipedPublishes() {}

  static LivePublishing.Publication publish(LiveIngest ingest, LivePublishing.Request request) {
    if (ingest.closing()) {
      throw new LivePublishException(Reason.UNAVAILABLE, "the server is stopping; publish"
          + " again in a moment");
    }
    String container = request.container().map(c -> c.toLowerCase(Locale.ROOT)).orElse(null);
    if (container != null && !container.equals("webm") && !container.equals("mp4")) {
      throw new LivePublishException(Reason.BAD_REQUEST, "a stream in '" + container + "'"
          + " cannot be taken; send webm or mp4, as MediaRecorder makes them");
    }
    ChannelMetadata channel = PublishChecks.check(request, ingest.store(), ingest.access());
    LiveIngest.Plan plan;
    LiveIngest.Publisher p;
    MediaPipe pipe = new MediaPipe(LiveIngest.pipeBytes());
    try {
      plan = ingest.plan(channel);
      if (plan.ladder().remux()) {
        throw new LivePublishException(Reason.BAD_REQUEST, "live channel " + channel.id()
            + " copies its publisher's codecs (profile 'source'), which a browser's (VP8, VP9,"
            + " Opus) cannot keep in HLS; give the channel a ladder, such as 720p,360p");
      }
      p = ingest.claim(channel, new LiveIngest.Publisher(channel.id(),
          request.caller().remoteAddress() + " (browser)", pipe::total, pipe::stop));
    } catch (PublishRefusedException e) {
      throw PublishChecks.refusal(e);
    }
    long idle = ingest.idleMillis();
    ingest.start(p, plan, () -> LiveInput.piped(p.channel, pipe, idle, container));
    return new Publication(pipe, p);
  }

  /** A sender's side of its pipe. */
  private record Publication(MediaPipe pipe, LiveIngest.Publisher publisher)
      implements LivePublishing.Publication {
    @Override
    public boolean write(byte[] bytes) {
      return pipe.write(bytes);
    }

    @Override
    public void onDrained(Runnable resume) {
      pipe.onDrained(resume);
    }

    @Override
    public void onStopped(Consumer<String> stopped) {
      pipe.onStopped(() -> stopped.accept(publisher.stopReason != null
          ? publisher.stopReason : "the broadcast's pipeline ended"));
    }

    @Override
    public void end(boolean cleanly) {
      pipe.end(cleanly);
    }

    @Override
    public long bytes() {
      return pipe.total();
    }
  }
}
