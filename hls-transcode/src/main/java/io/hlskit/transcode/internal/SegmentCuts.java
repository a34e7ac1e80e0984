package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import io.hlskit.core.TranscodeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Where libav's {@code hls} muxer cuts one rendition into segments, worked out from the packets
 * handed to it, so that the rendition's playlist is written from what is known rather than read
 * back from the muxer's.
 *
 * <p>The muxer's rule: a segment ends at the first packet of the reference stream (the video, or
 * the audio of a sound file) that may start one (a keyframe; any packet of audio alone), comes
 * after the last cut, and lies {@code n} times the target duration past the output's first time
 * stamp, {@code n} being the number of the segment that ends. That first time stamp is the one
 * of the packet that reaches the muxer first, interleaved by decoding time (video first on a
 * tie); video replaces an earlier audio start only when it is earlier still.
 *
 * <p>{@link #segments} checks the cut against the files the muxer wrote: a count that differs
 * fails the transcode instead of publishing a playlist that lies.
 *
 * <p>Used by one thread at a time; holds no libav memory.
 */
final class SegmentCuts {
  private final long segmentMicros;
  private final boolean hasVideo;
  private final boolean withOther;
  private final AVRational tb;
  /** Candidate cut times (pts of packets that may start a segment), before the start is known. */
  private final List<Long> pending = new ArrayList<>();
  private final List<Long> cuts = new ArrayList<>();
  private long firstRefPts = AV_NOPTS_VALUE;
  private long firstRefDts = AV_NOPTS_VALUE;
  private long firstOtherPts = AV_NOPTS_VALUE;
  private long firstOtherDts = AV_NOPTS_VALUE;
  private AVRational otherTb;
  private boolean ended;
  private long start = AV_NOPTS_VALUE;
  private long lastCut = AV_NOPTS_VALUE;
  private int number = 1;

  /**
   * @param segmentSeconds the target duration given to the muxer
   * @param hasVideo whether the reference stream is video (else audio, where any packet may cut)
   * @param withOther whether a second stream (the audio beside the video) is muxed too
   * @param referenceTimeBase the time base of the reference stream's packets as written
   */
  SegmentCuts(double segmentSeconds, boolean hasVideo, boolean withOther,
      AVRational referenceTimeBase) {
    this.segmentMicros = Math.round(segmentSeconds * AV_TIME_BASE);
    this.hasVideo = hasVideo;
    this.withOther = withOther;
    this.tb = av_make_q(referenceTimeBase.num(), referenceTimeBase.den());
  }

  /** A packet of the reference stream, as handed to the muxer (time stamps in its time base). */
  void reference(long pts, long dts, boolean keyframe) {
    if (pts == AV_NOPTS_VALUE) {
      return; // the muxer neither times nor cuts on such a packet
    }
    if (firstRefPts == AV_NOPTS_VALUE) {
      firstRefPts = pts;
      firstRefDts = dts == AV_NOPTS_VALUE ? pts : dts;
      lastCut = pts; // the first packet opens the first segment: never a cut
      settle();
    } else if (keyframe || !hasVideo) {
      if (start == AV_NOPTS_VALUE) {
        pending.add(pts);
      } else {
        consider(pts);
      }
    }
  }

  /** A packet of the other stream (the audio beside the video), in its own time base. */
  void other(long pts, long dts, AVRational timeBase) {
    if (firstOtherPts == AV_NOPTS_VALUE && pts != AV_NOPTS_VALUE) {
      firstOtherPts = pts;
      firstOtherDts = dts == AV_NOPTS_VALUE ? pts : dts;
      otherTb = av_make_q(timeBase.num(), timeBase.den());
      settle();
    }
  }

  /**
   * Once the first packet of every stream is known (or the input ended), so is the output's
   * start, and the cuts held back until then are decided.
   */
  private void settle() {
    boolean known = firstRefPts != AV_NOPTS_VALUE
        && (!withOther || firstOtherPts != AV_NOPTS_VALUE || ended);
    if (start != AV_NOPTS_VALUE || !known) {
      return;
    }
    start = firstRefPts;
    if (firstOtherPts != AV_NOPTS_VALUE
        && av_compare_ts(firstOtherDts, otherTb, firstRefDts, tb) < 0) {
      // the audio reached the muxer first; the muxer keeps its time stamp, in the audio's
      // ticks, until a video time stamp is smaller in raw value, and so does this
      start = Math.min(firstOtherPts, firstRefPts);
    }
    for (long pts : pending) {
      consider(pts);
    }
    pending.clear();
  }

  private void consider(long pts) {
    if (pts - lastCut > 0 && av_compare_ts(pts - start, tb, segmentMicros * number,
        av_make_q(1, AV_TIME_BASE)) >= 0) {
      cuts.add(pts);
      lastCut = pts;
      number++;
    }
  }

  /**
   * The segments, each file checked to be there; the last one lasts what is left of {@code
   * totalSeconds} (counted from the first reference packet).
   *
   * @param playlist the playlist file given to the muxer, beside which it wrote the segments
   * @throws TranscodeException when no packet was written or the files do not match the cuts
   */
  List<EncodeResult.Segment> segments(double totalSeconds, Path playlist, boolean fmp4,
      String input) {
    IntFunction<Path> segmentFile = n -> Libav.segmentFile(playlist, fmp4, n);
    ended = true;
    settle();
    if (firstRefPts == AV_NOPTS_VALUE) {
      throw new TranscodeException("the transcode of " + input + " produced no segment");
    }
    List<EncodeResult.Segment> segments = new ArrayList<>();
    long from = firstRefPts;
    Duration before = Duration.ZERO;
    for (int i = 0; i < cuts.size(); i++) {
      Duration d = ticks(cuts.get(i) - from);
      segments.add(new EncodeResult.Segment(segmentFile.apply(i), d));
      before = before.plus(d);
      from = cuts.get(i);
    }
    Duration rest = Duration.ofNanos(Math.round(totalSeconds * 1e9)).minus(before);
    // at least a millisecond: the writer writes durations to the millisecond
    rest = rest.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : rest;
    segments.add(new EncodeResult.Segment(segmentFile.apply(cuts.size()), rest));
    for (EncodeResult.Segment s : segments) {
      if (!Files.isRegularFile(s.file())) {
        throw mismatch(input, segments.size());
      }
    }
    if (Files.exists(segmentFile.apply(segments.size()))
        || (fmp4 && !Files.isRegularFile(Libav.initFile(playlist)))) {
      throw mismatch(input, segments.size());
    }
    return segments;
  }

  private static TranscodeException mismatch(String input, int expected) {
    return new TranscodeException("libav's hls muxer did not cut " + input + " into the "
        + expected + " segments its rule gives; this libav version segments differently from"
        + " the one hlskit was tested with (use the ffmpeg natives hlskit-bom manages)");
  }

  private Duration ticks(long ticks) {
    return Duration.ofNanos(Math.round(ticks * 1e9 * tb.num() / tb.den()));
  }
}
