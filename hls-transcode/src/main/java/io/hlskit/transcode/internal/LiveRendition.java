package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.hlskit.core.TranscodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;

/**
 * One rendition of a live session: its scaler and encoder (libx264 {@code zerolatency}, a
 * keyframe where the session says a segment starts), or none when the stream's own packets are
 * copied; its {@link SegmentMuxer}, and where it cuts: at each keyframe of an encoded rendition,
 * at the first keyframe a segment's length on when copying. Used by the session's thread only.
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before.
 */
final class LiveRendition implements AutoCloseable {

  /** Where a rendition's completed segments (and parts) go, with its index. */
  interface Cuts {
    void segment(int index, LiveSegments.Segment segment);

    default void part(int index, LiveSegments.Part part) {}
  }

  private final String name;
  private final Source source;
  private final int index;
  private final long segmentTicks;
  /** The longest part, 90 kHz; 0 for segments only. */
  private final long partTicks;
  /** The shared AAC encoder, null when the audio is copied or there is none. */
  private final AVCodecContext audioEncoder;
  /** Where the session's encoded audio starts on the channel's timeline (90 kHz). */
  private final LongSupplier audioStart;
  private final Cuts cuts;
  final EncodeSettings.Rendition spec;
  final int width;
  final int height;
  final SegmentMuxer mux;
  AVCodecContext encoder;
  SwsContext sws;
  AVFrame scaled;
  AVPacket encoded;
  AVStream video;
  AVStream audio;
  String codecs;
  long segmentStart = AV_NOPTS_VALUE;
  /** Where the part being written starts (decoding time when copying), 90 kHz. */
  private long partStart = AV_NOPTS_VALUE;
  private int partIndex;
  private boolean partIndependent;
  long lastVideo = AV_NOPTS_VALUE;
  long frameTicks = 3000;
  int segments;
  private AVRational videoTb;
  private AVRational audioTb;
  private AVRational audioEncoderTb;
  /** No longer encoded, to keep the others in real time (its last segment handed on). */
  boolean shed;

  /**
   * @param spec what to encode; null to copy the stream's own packets (or for audio alone)
   * @param index the rendition's place in the session, as {@code cuts} is told it
   */
  LiveRendition(String name, Source source, EncodeSettings.Rendition spec, int width,
      int height, int index, long segmentTicks, long partTicks, boolean fmp4,
      AVCodecContext audioEncoder, LongSupplier audioStart, Cuts cuts) {
    this.name = name;
    this.source = source;
    this.spec = spec;
    this.width = width;
    this.height = height;
    this.index = index;
    this.segmentTicks = segmentTicks;
    this.partTicks = partTicks;
    this.audioEncoder = audioEncoder;
    this.audioStart = audioStart;
    this.cuts = cuts;
    this.mux = new SegmentMuxer(name, fmp4);
  }

  /** Its place in the session, as the sink is told it. */
  int index() {
    return index;
  }

  /** Its folder in the channel: {@code 720p}, {@code source}, {@code audio}. */
  String folder() {
    if (spec == null) {
      return source.hasVideo() ? "source" : "audio";
    }
    return spec.name() != null ? spec.name() : Math.min(width, height) + "p";
  }

  /**
   * The rendition as playlists announce it.
   *
   * @param audioBitrate the encoded audio's bit rate; 0 when the audio is copied
   */
  LiveSegments.Rendition describe(boolean passthrough, long audioBitrate) {
    String folder = folder();
    long bandwidth;
    if (spec == null) {
      long declared = source.in.bit_rate() > 0 ? source.in.bit_rate() : 0;
      bandwidth = declared > 0 ? declared * 6 / 5 : 3_000_000;
    } else {
      bandwidth = spec.maxRate() + (audioEncoder != null ? audioBitrate : 0);
    }
    int w = width;
    int h = height;
    if (spec == null && source.hasVideo()) {
      w = source.videoDecoder.width();
      h = source.videoDecoder.height();
    }
    List<String> list = new ArrayList<>();
    if (source.hasVideo()) {
      codecOf().ifPresent(list::add);
    }
    if (source.hasAudio()) {
      if (spec == null && passthrough) {
        Libav.audioCodecs(source.in.streams(source.audioIndex).codecpar())
            .ifPresent(list::add);
      } else {
        list.add("mp4a.40.2");
      }
    }
    double fps = source.hasVideo() ? av_q2d(source.frameRate) : 0;
    return new LiveSegments.Rendition(folder, w, h, bandwidth, list, fps, mux.init());
  }

  private Optional<String> codecOf() {
    if (encoder != null) {
      // from the parameter sets of the first picture encoded
      return Optional.ofNullable(codecs);
    }
    var par = source.in.streams(source.videoIndex).codecpar();
    if (par.codec_id() == AV_CODEC_ID_H264) {
      return H264.codecsFromAvcc(par.extradata(), par.extradata_size());
    }
    if (par.codec_id() == AV_CODEC_ID_HEVC) {
      return Hevc.codecsFromExtradata(par.extradata(), par.extradata_size());
    }
    return Optional.empty();
  }

  void openEncoder() {
    encoded = av_packet_alloc();
    encoder = VideoEncoders.open(spec, width, height, LiveEncode.TS_CLOCK, source.frameRate,
        segmentTicks / 90_000.0, true, mux.fmp4(), name); // MP4 keeps parameter sets in moov
    sws = VideoEncoders.scaler(source, width, height, name);
    scaled = VideoEncoders.picture(width, height, name);
  }

  void picture(AVFrame picture, long pts, boolean keyframe) {
    AVFrame frame;
    if (picture.width() == width && picture.height() == height
        && picture.format() == AV_PIX_FMT_YUV420P) {
      frame = picture;
    } else {
      Libav.check(av_frame_make_writable(scaled), "preparing a picture for", name);
      Libav.check(sws_scale_frame(sws, scaled, picture), "scaling the video of", name);
      frame = scaled;
    }
    frame.pts(pts);
    frame.pict_type(keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
    encode(frame);
    frame.pict_type(AV_PICTURE_TYPE_NONE);
  }

  void encode(AVFrame frame) {
    Libav.check(avcodec_send_frame(encoder, frame), "encoding the video of", name);
    while (true) {
      int ret = avcodec_receive_packet(encoder, encoded);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "encoding the video of", name);
      try {
        if (codecs == null) {
          codecs = H264.codecsString(encoded.data(), encoded.size()).orElse(null);
        }
        boolean key = (encoded.flags() & AV_PKT_FLAG_KEY) != 0;
        frameTicks = Math.max(1, Math.round(90_000 / Math.max(1, av_q2d(source.frameRate))));
        maybeCut(encoded.pts(), key);
        lastVideo = encoded.pts();
        encoded.duration(frameTicks);
        av_packet_rescale_ts(encoded, LiveEncode.TS_CLOCK, videoTimeBase());
        encoded.stream_index(video.index());
        mux.write(encoded);
      } finally {
        av_packet_unref(encoded);
      }
    }
  }

  void audioPacket(AVPacket p) {
    AVPacket copy = av_packet_clone(p);
    if (copy == null) {
      throw new TranscodeException("out of memory handing the audio of " + name + " over");
    }
    try {
      long start = audioStart.getAsLong();
      long ticks = start + av_rescale_q(copy.pts(), audioEncoderTimeBase(), LiveEncode.TS_CLOCK);
      if (video == null) {
        frameTicks = av_rescale_q(copy.duration(), audioEncoderTimeBase(), LiveEncode.TS_CLOCK);
        maybeCut(ticks, true);
        lastVideo = ticks;
      } else if (segmentStart == AV_NOPTS_VALUE) {
        return; // sound before the first picture: a segment starts with a picture
      }
      copy.pts(av_rescale_q(ticks, LiveEncode.TS_CLOCK, audioTimeBase()));
      copy.dts(copy.pts());
      copy.duration(av_rescale_q(copy.duration(), audioEncoderTimeBase(), audioTimeBase()));
      copy.stream_index(audio.index());
      mux.write(copy);
    } finally {
      av_packet_free(copy);
    }
  }

  // time bases read once, after the muxer's header: JavaCPP returns each as a new native copy
  private AVRational audioEncoderTimeBase() {
    if (audioEncoderTb == null) {
      audioEncoderTb = audioEncoder.time_base();
    }
    return audioEncoderTb;
  }

  AVRational videoTimeBase() {
    if (videoTb == null) {
      videoTb = video.time_base();
    }
    return videoTb;
  }

  AVRational audioTimeBase() {
    if (audioTb == null) {
      audioTb = audio.time_base();
    }
    return audioTb;
  }

  /** Ends the segment being written when a keyframe at {@code pts} starts the next one. */
  void maybeCut(long pts, boolean key) {
    maybeCut(pts, key, pts);
  }

  /**
   * Ends the segment being written when a keyframe at {@code pts} starts the next one, or the
   * part being written when the packet decoded at {@code dts} would make it longer than a part.
   * Call before the packet is written.
   */
  void maybeCut(long pts, boolean key, long dts) {
    if (segmentStart == AV_NOPTS_VALUE) {
      segmentStart = pts;
      startPart(dts, key, 0);
      return;
    }
    // passthrough and audio only cut at the first keyframe a segment's length on; encoded
    // renditions have their keyframes only where segments start
    boolean due = encoder != null ? key : key && pts - segmentStart >= segmentTicks;
    if (due && pts > segmentStart) {
      if (partTicks > 0) {
        handPart(dts, true);
      }
      byte[] bytes = mux.cut();
      cuts.segment(index, new LiveSegments.Segment(bytes, segmentStart, pts - segmentStart));
      segments++;
      segmentStart = pts;
      startPart(dts, key, 0);
      return;
    }
    // a part ends before the picture that would not fit in it whole
    if (partTicks > 0 && dts > partStart && dts - partStart + frameTicks > partTicks) {
      handPart(dts, false);
      startPart(dts, key, partIndex + 1);
    }
  }

  private void startPart(long at, boolean independent, int number) {
    partStart = at;
    partIndependent = independent;
    partIndex = number;
  }

  /** Hands over the part being written, which ends at {@code end}. */
  private void handPart(long end, boolean last) {
    byte[] bytes = mux.part();
    // a late picture may stretch a part past the target by a few ticks: what the playlist
    // says stays within PART-TARGET, as players are promised; the segment's duration is exact
    long duration = Math.max(1, Math.min(end - partStart, partTicks));
    cuts.part(index, new LiveSegments.Part(bytes, partStart, duration, partIndependent,
        partIndex, last));
  }

  long lastDuration() {
    return lastVideo == AV_NOPTS_VALUE ? 0 : lastVideo + frameTicks - segmentStart;
  }

  /** Ends the stream: the last segment goes to {@code cuts} too. */
  void finish() {
    mux.trailer();
    boolean complete = segmentStart != AV_NOPTS_VALUE && lastDuration() > 0;
    if (complete && partTicks > 0 && mux.pendingInPart() > 0) {
      handPart(lastVideo + frameTicks, true);
    }
    byte[] bytes = mux.takeSegment();
    if (complete && bytes.length > 0) {
      cuts.segment(index, new LiveSegments.Segment(bytes, segmentStart, lastDuration()));
    }
  }

  @Override
  public void close() {
    if (encoded != null) {
      av_packet_free(encoded);
    }
    VideoEncoders.free(encoder, sws, scaled);
    mux.close();
  }
}
