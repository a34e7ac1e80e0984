package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.hlskit.core.TranscodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>When encoding falls behind the stream (the lag past twice a segment, 4 s at least, and
 * growing while the pipeline has input waiting rather than waiting for it), the most expensive
 * rendition still encoded is shed at the next segment start: it stops being encoded, and its
 * playlist goes on with the next lower rendition's segments ({@link LiveSegments#shed}), so
 * that the others keep up and nobody's player stops. The lowest rendition is never shed.
 *
 * <p>Runs on the caller's thread until the stream ends. Every libav object it allocates is freed
 * in {@link #close}, whatever happened before.
 */
public final class LiveEncode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveEncode.class);
  /** The muxer's clock. */
  static final AVRational TS_CLOCK = av_make_q(1, 90_000);
  private static final AVRational MICROS = av_make_q(1, AV_TIME_BASE);
  /** How often the lag is weighed for shedding. */
  private static final long CHECK_NANOS = 5_000_000_000L;
  /** The share of wall time spent encoding above which the encoder, not the input, is late. */
  private static final double BUSY = 0.9;

  private final String name;
  private final Source source;
  private final List<EncodeSettings.Rendition> specs;
  private final boolean passthrough;
  private final long audioBitrate;
  private final long segmentTicks;
  private final long partTicks;
  private final boolean fmp4;
  private final long timelineStart;
  private final LiveSegments sink;
  private final List<LiveRendition> outputs = new ArrayList<>();
  private AudioPath audio;
  private AVPacket packet;
  private AVFrame decoded;
  /** The session's first timestamp, in microseconds: its zero on the channel's timeline. */
  private long originMicros = AV_NOPTS_VALUE;
  private long audioStartTicks = AV_NOPTS_VALUE;
  private long lastVideoPts = Long.MIN_VALUE;
  private long lastCopiedVideoDts = Long.MIN_VALUE;
  private long lastCopiedAudioDts = Long.MIN_VALUE;
  private long nextKeyframe;
  private volatile long frames;
  /** The latest picture's time on the channel's timeline; MIN_VALUE before the first. */
  private volatile long mediaEnd = Long.MIN_VALUE;
  private boolean posterDone;
  private boolean described;
  private long end;
  private final LongSupplier clock;
  private final double shedLagSeconds;
  private long wallStart = Long.MIN_VALUE;
  private long mediaStart;
  private long lastCheck;
  private double lagAtCheck;
  private long readNanos;
  private long readAtCheck;
  private volatile double lag;
  private volatile long framesDropped;
  private volatile List<String> shed = List.of();
  private AVRational[] inputTimeBases;

  /**
   * @param specs the renditions to encode, lowest first; empty with {@code passthrough}
   * @param partSeconds the longest partial segment of Low-Latency HLS; 0 for segments only
   * @param timelineStart where the session starts on the channel's timeline, 90 kHz ticks
   * @param clock the wall clock in nanoseconds ({@code System::nanoTime}), to weigh the lag
   */
  public LiveEncode(LiveInput input, List<EncodeSettings.Rendition> specs, boolean passthrough,
      long audioBitrate, double segmentSeconds, double partSeconds, long timelineStart,
      LiveSegments sink, LongSupplier clock) {
    this(input, specs, passthrough, audioBitrate, segmentSeconds, partSeconds, false,
        timelineStart, sink, clock);
  }

  /**
   * @param fmp4 segments and parts in fragmented MP4 (CMAF) rather than MPEG-TS
   */
  public LiveEncode(LiveInput input, List<EncodeSettings.Rendition> specs, boolean passthrough,
      long audioBitrate, double segmentSeconds, double partSeconds, boolean fmp4,
      long timelineStart, LiveSegments sink, LongSupplier clock) {
    this.fmp4 = fmp4;
    this.clock = clock;
    this.shedLagSeconds = Math.max(4, 2 * segmentSeconds);
    this.name = input.name();
    this.source = new Source(name, null);
    this.specs = List.copyOf(specs);
    this.passthrough = passthrough;
    this.audioBitrate = audioBitrate;
    this.segmentTicks = Math.round(segmentSeconds * 90_000);
    this.partTicks = Math.round(partSeconds * 90_000);
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

  /** How far encoding is behind the stream, in seconds, at the last segment start. */
  public double lagSeconds() {
    return Math.max(0, lag);
  }

  /** Pictures not encoded into renditions shed to keep up; read from any thread. */
  public long framesDropped() {
    return framesDropped;
  }

  /** The renditions shed to keep up, by name; read from any thread. */
  public List<String> shed() {
    return shed;
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
      long before = clock.getAsLong();
      int ret = av_read_frame(source.in, packet);
      readNanos += clock.getAsLong() - before;
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
            originMicros = av_rescale_q(packet.dts(), timeBase(index), MICROS);
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
    for (LiveRendition o : outputs) {
      if (!o.shed) {
        if (o.encoder != null) {
          o.encode(null);
        }
        o.finish();
      }
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
    for (LiveRendition o : outputs) {
      list.add(o.describe(passthrough, audioBitrate));
    }
    sink.renditions(list);
  }

  private void openOutputs() {
    if (passthrough) {
      LiveRendition o = rendition(null, 0, 0);
      outputs.add(o);
      if (source.hasVideo()) {
        o.video = o.mux.addStream(source.in.streams(source.videoIndex).codecpar(),
            source.timeBase);
      }
      if (source.hasAudio()) {
        o.audio = o.mux.addStream(source.in.streams(source.audioIndex).codecpar(),
            timeBase(source.audioIndex));
      }
      o.mux.start();
      return;
    }
    if (source.hasAudio()) {
      audio = new AudioPath(name, source.audioDecoder, audioBitrate, fmp4);
    }
    if (!source.hasVideo()) {
      LiveRendition o = rendition(null, 0, 0);
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
      LiveRendition o = rendition(r, Encode.even(display[0] * scale),
          Encode.even(display[1] * scale));
      outputs.add(o);
      o.openEncoder();
      o.video = o.mux.addStream(o.encoder);
      if (audio != null) {
        o.audio = o.mux.addStream(audio.encoder());
      }
      o.mux.start();
    }
  }

  private LiveRendition rendition(EncodeSettings.Rendition spec, int width, int height) {
    return new LiveRendition(name, source, spec, width, height, outputs.size(), segmentTicks,
        partTicks, fmp4, audio == null ? null : audio.encoder(),
        () -> audioStartTicks == AV_NOPTS_VALUE ? timelineStart : audioStartTicks,
        new LiveRendition.Cuts() {
          @Override
          public void segment(int index, LiveSegments.Segment segment) {
            describeAll();
            sink.segment(index, segment);
          }

          @Override
          public void part(int index, LiveSegments.Part part) {
            describeAll();
            sink.part(index, part);
          }
        });
  }

  /**
   * Input stream {@code index}'s time base, read once: JavaCPP returns a struct by value as a
   * new native copy, which per packet costs a malloc and a deallocator.
   */
  private AVRational timeBase(int index) {
    if (inputTimeBases == null) {
      inputTimeBases = new AVRational[source.in.nb_streams()];
    }
    if (inputTimeBases[index] == null) {
      inputTimeBases[index] = source.in.streams(index).time_base();
    }
    return inputTimeBases[index];
  }

  /** {@code pts} of {@code tb} on the channel's timeline, 90 kHz. */
  private long timeline(long pts, AVRational tb) {
    long micros = av_rescale_q(pts, tb, MICROS);
    return timelineStart + Math.max(0, micros - originMicros) * 9 / 100;
  }

  // ---- passthrough ----------------------------------------------------------------------------

  private void copy(AVPacket p, int index) {
    LiveRendition o = outputs.get(0);
    AVRational tb = timeBase(index);
    if (p.pts() == AV_NOPTS_VALUE) {
      p.pts(p.dts());
    }
    if (p.dts() == AV_NOPTS_VALUE) {
      return;
    }
    long pts = timeline(p.pts(), tb);
    long dts = timeline(p.dts(), tb);
    boolean video = index == source.videoIndex;
    // MPEG-TS inputs (SRT) may stamp two audio frames of one PES alike: the muxer takes none
    long last = video ? lastCopiedVideoDts : lastCopiedAudioDts;
    if (dts <= last) {
      dts = last + 1;
      pts = Math.max(pts, dts);
    }
    if (video) {
      lastCopiedVideoDts = dts;
    } else {
      lastCopiedAudioDts = dts;
    }
    AVStream to = video ? o.video : o.audio;
    if (video || o.video == null) {
      boolean key = !video || (p.flags() & AV_PKT_FLAG_KEY) != 0;
      o.maybeCut(pts, key, dts);
      if (video) {
        frames++;
        mediaEnd = pts;
        o.lastVideo = pts;
        o.frameTicks = p.duration() > 0 ? av_rescale_q(p.duration(), tb, TS_CLOCK)
            : Math.max(1, Math.round(90_000 / Math.max(1, av_q2d(source.frameRate))));
      }
    }
    AVRational toTb = video ? o.videoTimeBase() : o.audioTimeBase();
    p.pts(av_rescale_q(pts, TS_CLOCK, toTb));
    p.dts(av_rescale_q(dts, TS_CLOCK, toTb));
    // a picture without a duration (FLV's have none) lasts a frame: fragmented MP4 writes
    // every sample's duration, and a fragment's last one has no next picture to take it from
    p.duration(p.duration() > 0 ? av_rescale_q(p.duration(), tb, toTb)
        : video ? av_rescale_q(o.frameTicks, TS_CLOCK, toTb) : 0);
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
        if (keyframe) {
          weighLag(pts);
        }
        AVFrame picture = source.rotator == null ? decoded : source.rotator.apply(decoded);
        if (!posterDone) {
          posterDone = true;
          LiveRendition largest = outputs.get(outputs.size() - 1);
          try {
            sink.poster(Optional.of(Poster.jpeg(picture, largest.width, largest.height, name)));
          } catch (TranscodeException e) {
            sink.poster(Optional.empty());
          }
        }
        for (LiveRendition o : outputs) {
          if (o.shed) {
            framesDropped++;
          } else {
            o.picture(picture, pts, keyframe);
          }
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
      audioStartTicks = timeline(p.pts(), timeBase(source.audioIndex));
    }
    audio.decode(p, encoded -> {
      for (LiveRendition o : outputs) {
        if (!o.shed) {
          o.audioPacket(encoded);
        }
      }
    }, t -> { });
  }

  /**
   * At a segment start: how far behind the stream encoding is, and whether to shed the most
   * expensive rendition still encoded. Lag alone is no reason (a publisher whose network stalled
   * is late too, with an idle encoder): the encoder must have been busy nearly all the time.
   */
  private void weighLag(long pts) {
    long now = clock.getAsLong();
    if (wallStart == Long.MIN_VALUE) {
      wallStart = now;
      mediaStart = pts;
      lastCheck = now;
      return;
    }
    double behind = (now - wallStart) / 1e9 - (pts - mediaStart) / 90_000.0;
    lag = behind;
    if (now - lastCheck < CHECK_NANOS) {
      return;
    }
    double busy = 1 - (double) (readNanos - readAtCheck) / (now - lastCheck);
    boolean growing = behind > lagAtCheck + 0.25;
    lastCheck = now;
    readAtCheck = readNanos;
    lagAtCheck = behind;
    if (behind < shedLagSeconds || !growing || busy < BUSY) {
      return;
    }
    LiveRendition top = null;
    LiveRendition below = null;
    for (LiveRendition o : outputs) {
      if (!o.shed && o.encoder != null) {
        below = top;
        top = o;
      }
    }
    if (below == null) {
      return; // one rendition left: it stays, however late
    }
    top.encode(null);
    top.finish();
    top.shed = true;
    describeAll();
    sink.shed(top.index(), below.index());
    List<String> names = new ArrayList<>(shed);
    names.add(top.folder());
    shed = List.copyOf(names);
    LOG.warn("{}: encoding is {} s behind the stream and growing; rendition {} is shed, its"
        + " viewers get {} from now on", name, Math.round(behind * 10) / 10.0, top.folder(),
        below.folder());
  }

  @Override
  public void close() {
    if (packet != null) {
      av_packet_free(packet);
    }
    if (decoded != null) {
      av_frame_free(decoded);
    }
    for (LiveRendition o : outputs) {
      o.close();
    }
    if (audio != null) {
      audio.close();
    }
    source.close();
  }
}
