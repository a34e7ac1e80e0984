package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.hlskit.core.TranscodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;

/**
 * One publisher's stream made into live HLS segments, as it comes: decoded once, each rendition
 * scaled and encoded for live (libx264 {@code zerolatency}, a keyframe forced at every segment
 * start in every rendition, the bit rate capped by its ceiling), audio encoded once as AAC for
 * all, each rendition muxed into MPEG-TS in memory and cut at its keyframes ({@link
 * SegmentMuxer}); or, for {@code source}, the stream's own packets copied and cut at its own
 * keyframes. Segments go to a {@link LiveSegments} as they complete, timed on the channel's
 * timeline from {@code timelineStart}, so that a publisher who reconnects continues where the
 * last one stopped.
 *
 * <p>Runs on the caller's thread until the stream ends. Every libav object it allocates is freed
 * in {@link #close}, whatever happened before.
 */
public final class LiveEncode implements AutoCloseable {
  /** The muxer's clock. */
  private static final AVRational TS_CLOCK = av_make_q(1, 90_000);

  private final String name;
  private final Source source;
  private final List<EncodeSettings.Rendition> specs;
  private final boolean passthrough;
  private final long audioBitrate;
  private final long segmentTicks;
  private final long timelineStart;
  private final LiveSegments sink;
  private final List<Output> outputs = new ArrayList<>();
  private AudioPath audio;
  private AVPacket packet;
  private AVFrame decoded;
  /** The session's first timestamp, in microseconds: its zero on the channel's timeline. */
  private long originMicros = AV_NOPTS_VALUE;
  private long audioStartTicks = AV_NOPTS_VALUE;
  private long lastVideoPts = Long.MIN_VALUE;
  private long nextKeyframe;
  private volatile long frames;
  /** The latest picture's time on the channel's timeline; MIN_VALUE before the first. */
  private volatile long mediaEnd = Long.MIN_VALUE;
  private boolean posterDone;
  private boolean described;
  private long end;

  /**
   * @param specs the renditions to encode, lowest first; empty with {@code passthrough}
   * @param timelineStart where the session starts on the channel's timeline, 90 kHz ticks
   */
  public LiveEncode(LiveInput input, List<EncodeSettings.Rendition> specs, boolean passthrough,
      long audioBitrate, double segmentSeconds, long timelineStart, LiveSegments sink) {
    this.name = input.name();
    this.source = new Source(name, null);
    this.specs = List.copyOf(specs);
    this.passthrough = passthrough;
    this.audioBitrate = audioBitrate;
    this.segmentTicks = Math.round(segmentSeconds * 90_000);
    this.timelineStart = timelineStart;
    this.sink = sink;
    try {
      source.open(input.take());
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  /** Frames decoded so far; read from any thread. */
  public long frames() {
    return frames;
  }

  /** How much of the stream has been encoded (or copied), in seconds; read from any thread. */
  public double mediaSeconds() {
    long end = mediaEnd;
    return end == Long.MIN_VALUE ? 0 : (end - timelineStart) / 90_000.0;
  }

  /** Where the session ends on the channel's timeline (90 kHz), once {@link #run} returned. */
  public long end() {
    return end;
  }

  /**
   * Reads the stream to its end, handing on segments as they complete; the last segment is
   * handed on too.
   *
   * @throws TranscodeException when the stream cannot be decoded or encoded
   */
  public void run() {
    if (!source.hasVideo() && !source.hasAudio()) {
      throw new TranscodeException(name + " carries neither video nor audio");
    }
    packet = av_packet_alloc();
    decoded = av_frame_alloc();
    openOutputs();
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      int ret = av_read_frame(source.in, packet);
      if (ret == AVERROR_EOF() || ret == AVERROR_EXIT()) {
        break;
      }
      if (ret < 0) {
        break; // a stream that breaks off is a publisher gone: what came is kept
      }
      try {
        int index = packet.stream_index();
        if (index == source.videoIndex || index == source.audioIndex) {
          if (originMicros == AV_NOPTS_VALUE && packet.dts() != AV_NOPTS_VALUE) {
            originMicros = av_rescale_q(packet.dts(), source.in.streams(index).time_base(),
                av_make_q(1, AV_TIME_BASE));
          }
          if (passthrough) {
            copy(packet, index);
          } else if (index == source.videoIndex) {
            decodeVideo(packet);
          } else if (audio != null) {
            decodeAudio(packet);
          }
        }
      } finally {
        av_packet_unref(packet);
      }
    }
    if (!passthrough) {
      if (source.hasVideo()) {
        decodeVideo(null);
      }
      if (audio != null) {
        decodeAudio(null);
      }
    }
    for (int i = 0; i < outputs.size(); i++) {
      Output o = outputs.get(i);
      if (o.encoder != null) {
        o.encode(null);
      }
      o.finish(i);
      end = Math.max(end, o.segmentStart + o.lastDuration());
    }
  }

  /**
   * Tells the sink what the renditions are, once, before the first segment: by then every
   * rendition has encoded its first picture, whose parameter sets give its profile and level.
   */
  private void describeAll() {
    if (described) {
      return;
    }
    described = true;
    List<LiveSegments.Rendition> list = new ArrayList<>();
    for (Output o : outputs) {
      list.add(o.describe());
    }
    sink.renditions(list);
  }

  private void openOutputs() {
    if (passthrough) {
      Output o = new Output(null, 0, 0);
      outputs.add(o);
      if (source.hasVideo()) {
        o.video = o.mux.addStream(source.in.streams(source.videoIndex).codecpar(),
            source.timeBase);
      }
      if (source.hasAudio()) {
        o.audio = o.mux.addStream(source.in.streams(source.audioIndex).codecpar(),
            source.in.streams(source.audioIndex).time_base());
      }
      o.mux.start();
      return;
    }
    if (source.hasAudio()) {
      audio = new AudioPath(name, source.audioDecoder, audioBitrate, false);
    }
    if (!source.hasVideo()) {
      Output o = new Output(null, 0, 0);
      outputs.add(o);
      o.audio = o.mux.addStream(audio.encoder());
      o.mux.start();
      return;
    }
    double[] display = source.displaySize();
    double shorter = Math.min(display[0], display[1]);
    for (EncodeSettings.Rendition r : specs) {
      if (r.shortSide() > shorter && !outputs.isEmpty()) {
        continue; // never upscaled: a larger rendition adds nothing
      }
      double scale = shorter > r.shortSide() ? r.shortSide() / shorter : 1.0;
      Output o = new Output(r, Encode.even(display[0] * scale), Encode.even(display[1] * scale));
      outputs.add(o);
      o.openEncoder();
      o.video = o.mux.addStream(o.encoder);
      if (audio != null) {
        o.audio = o.mux.addStream(audio.encoder());
      }
      o.mux.start();
    }
  }

  /** {@code pts} of {@code tb} on the channel's timeline, 90 kHz. */
  private long timeline(long pts, AVRational tb) {
    long micros = av_rescale_q(pts, tb, av_make_q(1, AV_TIME_BASE));
    return timelineStart + Math.max(0, micros - originMicros) * 9 / 100;
  }

  // ---- passthrough ----------------------------------------------------------------------------

  private void copy(AVPacket p, int index) {
    Output o = outputs.get(0);
    AVRational tb = source.in.streams(index).time_base();
    if (p.pts() == AV_NOPTS_VALUE) {
      p.pts(p.dts());
    }
    if (p.dts() == AV_NOPTS_VALUE) {
      return;
    }
    long pts = timeline(p.pts(), tb);
    long dts = timeline(p.dts(), tb);
    boolean video = index == source.videoIndex;
    AVStream to = video ? o.video : o.audio;
    if (video || o.video == null) {
      boolean key = !video || (p.flags() & AV_PKT_FLAG_KEY) != 0;
      o.maybeCut(pts, key);
      if (video) {
        frames++;
        mediaEnd = pts;
        o.lastVideo = pts;
        o.frameTicks = p.duration() > 0 ? av_rescale_q(p.duration(), tb, TS_CLOCK) : 3000;
      }
    }
    p.pts(av_rescale_q(pts, TS_CLOCK, to.time_base()));
    p.dts(av_rescale_q(dts, TS_CLOCK, to.time_base()));
    p.duration(av_rescale_q(p.duration(), tb, to.time_base()));
    p.stream_index(to.index());
    p.pos(-1);
    o.mux.write(p);
  }

  // ---- transcoding ----------------------------------------------------------------------------

  private void decodeVideo(AVPacket p) {
    int ret = avcodec_send_packet(source.videoDecoder, p);
    if (ret < 0 && ret != AVERROR_EOF() && ret != AVERROR_EAGAIN()) {
      return; // a damaged packet: skipped, as players do
    }
    while (true) {
      ret = avcodec_receive_frame(source.videoDecoder, decoded);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "decoding the video of", name);
      try {
        long best = decoded.best_effort_timestamp();
        long pts = best == AV_NOPTS_VALUE
            ? (lastVideoPts == Long.MIN_VALUE ? timelineStart : lastVideoPts + 3000)
            : timeline(best, source.timeBase);
        if (lastVideoPts != Long.MIN_VALUE && pts <= lastVideoPts) {
          pts = lastVideoPts + 1;
        }
        lastVideoPts = pts;
        // one decision for every rendition: segments align across the ladder
        boolean keyframe = false;
        if (pts - timelineStart >= nextKeyframe * segmentTicks) {
          keyframe = true;
          while (pts - timelineStart >= nextKeyframe * segmentTicks) {
            nextKeyframe++;
          }
        }
        AVFrame picture = source.rotator == null ? decoded : source.rotator.apply(decoded);
        if (!posterDone) {
          posterDone = true;
          Output largest = outputs.get(outputs.size() - 1);
          try {
            sink.poster(Optional.of(Poster.jpeg(picture, largest.width, largest.height, name)));
          } catch (TranscodeException e) {
            sink.poster(Optional.empty());
          }
        }
        for (Output o : outputs) {
          o.picture(picture, pts, keyframe);
        }
        frames++;
        mediaEnd = pts;
      } finally {
        av_frame_unref(decoded);
      }
    }
  }

  private void decodeAudio(AVPacket p) {
    if (p != null && audioStartTicks == AV_NOPTS_VALUE && p.pts() != AV_NOPTS_VALUE) {
      audioStartTicks = timeline(p.pts(), source.in.streams(source.audioIndex).time_base());
    }
    audio.decode(p, encoded -> {
      for (Output o : outputs) {
        o.audioPacket(encoded);
      }
    }, t -> { });
  }

  /** One rendition: its scaler and encoder (none in passthrough), its muxer and its cuts. */
  private final class Output implements AutoCloseable {
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
    long lastVideo = AV_NOPTS_VALUE;
    long frameTicks = 3000;
    int segments;

    Output(EncodeSettings.Rendition spec, int width, int height) {
      this.spec = spec;
      this.width = width;
      this.height = height;
      this.mux = new SegmentMuxer(name);
    }

    LiveSegments.Rendition describe() {
      String folder;
      long bandwidth;
      if (spec == null) {
        folder = source.hasVideo() ? "source" : "audio";
        long declared = source.in.bit_rate() > 0 ? source.in.bit_rate() : 0;
        bandwidth = declared > 0 ? declared * 6 / 5 : 3_000_000;
      } else {
        folder = spec.name() != null ? spec.name() : Math.min(width, height) + "p";
        bandwidth = spec.maxRate() + (LiveEncode.this.audio != null ? audioBitrate : 0);
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
      return new LiveSegments.Rendition(folder, w, h, bandwidth, list, fps);
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
      AVCodec codec = avcodec_find_encoder_by_name(spec.encoder());
      if (codec == null) {
        throw new TranscodeException("the video encoder " + spec.encoder()
            + " is not in the libav natives on the classpath");
      }
      encoder = avcodec_alloc_context3(codec);
      encoder.width(width);
      encoder.height(height);
      encoder.pix_fmt(AV_PIX_FMT_YUV420P);
      encoder.time_base(TS_CLOCK);
      encoder.framerate(source.frameRate);
      encoder.sample_aspect_ratio(av_make_q(1, 1));
      encoder.bit_rate(spec.videoBitrate());
      encoder.rc_max_rate(spec.maxRate());
      encoder.rc_buffer_size((int) spec.bufferSize());
      int gop = (int) Math.ceil(segmentTicks / 90_000.0 * av_q2d(source.frameRate)) * 2;
      encoder.gop_size(Math.max(gop, 1));
      encoder.flags(encoder.flags() | AV_CODEC_FLAG_CLOSED_GOP);
      encoder.thread_count(0);
      boolean x264 = spec.encoder().equals("libx264");
      if (x264 || spec.hevc()) {
        av_opt_set(encoder.priv_data(), "preset", spec.preset(), 0);
        av_opt_set(encoder.priv_data(), "tune", "zerolatency", 0);
        av_opt_set(encoder.priv_data(), "forced-idr", "1", 0);
      }
      if (x264) {
        av_opt_set(encoder.priv_data(), "profile", "high", 0);
        av_opt_set(encoder.priv_data(), "x264-params", "scenecut=0:open-gop=0", 0);
      } else if (spec.hevc()) {
        av_opt_set(encoder.priv_data(), "x265-params",
            "scenecut=0:open-gop=0:log-level=error", 0);
      }
      Libav.check(avcodec_open2(encoder, codec, (AVDictionary) null),
          "opening the video encoder (" + spec.encoder() + ") for", name);
      int[] from = source.uprightSize();
      sws = sws_getContext(from[0], from[1], source.videoDecoder.pix_fmt(), width, height,
          AV_PIX_FMT_YUV420P, SWS_BICUBIC, null, null, (double[]) null);
      if (sws == null) {
        throw new TranscodeException("cannot scale the pictures of " + name);
      }
      scaled = av_frame_alloc();
      scaled.format(AV_PIX_FMT_YUV420P);
      scaled.width(width);
      scaled.height(height);
      Libav.check(av_frame_get_buffer(scaled, 0), "allocating a picture for", name);
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
          maybeCut(encoded.pts(), key);
          lastVideo = encoded.pts();
          frameTicks = Math.max(1, Math.round(90_000 / Math.max(1, av_q2d(source.frameRate))));
          encoded.duration(frameTicks);
          av_packet_rescale_ts(encoded, TS_CLOCK, video.time_base());
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
        long start = audioStartTicks == AV_NOPTS_VALUE ? timelineStart : audioStartTicks;
        long ticks = start + av_rescale_q(copy.pts(), audioEncoderTimeBase(), TS_CLOCK);
        if (video == null) {
          maybeCut(ticks, true);
          lastVideo = ticks;
          frameTicks = av_rescale_q(copy.duration(), audioEncoderTimeBase(), TS_CLOCK);
        } else if (segmentStart == AV_NOPTS_VALUE) {
          return; // sound before the first picture: a segment starts with a picture
        }
        copy.pts(av_rescale_q(ticks, TS_CLOCK, audio.time_base()));
        copy.dts(copy.pts());
        copy.duration(av_rescale_q(copy.duration(), audioEncoderTimeBase(), audio.time_base()));
        copy.stream_index(audio.index());
        mux.write(copy);
      } finally {
        av_packet_free(copy);
      }
    }

    private AVRational audioEncoderTimeBase() {
      return LiveEncode.this.audio.encoder().time_base();
    }

    /** Ends the segment being written when a keyframe at {@code pts} starts the next one. */
    void maybeCut(long pts, boolean key) {
      if (segmentStart == AV_NOPTS_VALUE) {
        segmentStart = pts;
        return;
      }
      // passthrough and audio only cut at the first keyframe a segment's length on; encoded
      // renditions have their keyframes only where segments start
      boolean due = encoder != null ? key : key && pts - segmentStart >= segmentTicks;
      if (!due || pts <= segmentStart) {
        return;
      }
      byte[] bytes = mux.cut();
      describeAll();
      sink.segment(outputs.indexOf(this), new LiveSegments.Segment(bytes, segmentStart,
          pts - segmentStart));
      segments++;
      segmentStart = pts;
    }

    long lastDuration() {
      return lastVideo == AV_NOPTS_VALUE ? 0 : lastVideo + frameTicks - segmentStart;
    }

    void finish(int index) {
      byte[] bytes = mux.finish();
      if (segmentStart != AV_NOPTS_VALUE && bytes.length > 0 && lastDuration() > 0) {
        describeAll();
        sink.segment(index, new LiveSegments.Segment(bytes, segmentStart, lastDuration()));
      }
    }

    @Override
    public void close() {
      if (encoded != null) {
        av_packet_free(encoded);
      }
      if (scaled != null) {
        av_frame_free(scaled);
      }
      if (sws != null) {
        sws_freeContext(sws);
      }
      if (encoder != null) {
        avcodec_free_context(encoder);
      }
      mux.close();
    }
  }

  @Override
  public void close() {
    if (packet != null) {
      av_packet_free(packet);
    }
    if (decoded != null) {
      av_frame_free(decoded);
    }
    for (Output o : outputs) {
      o.close();
    }
    if (audio != null) {
      audio.close();
    }
    source.close();
  }
}
