package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.hlskit.core.TranscodeCancelledException;
import io.hlskit.core.TranscodeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One decode of the input into one or more HLS renditions, each through its own libav {@code
 * hls} muxer: video decoded, turned upright when the stream says so, scaled with libswscale for
 * each rendition and encoded with libx264 (or OpenH264) with keyframes forced at the same frames
 * in every rendition (segment boundaries align); audio resampled to 48 kHz stereo, encoded once
 * as AAC-LC and muxed into every rendition. An input with audio and no video (a song, a podcast)
 * gives one audio-only rendition, its cover art as the poster.
 *
 * <p>Threads: the caller's thread reads, decodes, decides keyframes and encodes the audio; each
 * rendition scales, encodes and muxes on a thread of its own, fed through a short queue of
 * reference-counted frames (no picture is copied to hand it over). An encoder that waits for
 * its own threads then holds up neither the decoder nor the other renditions, which is what
 * makes a ladder from one decode cheaper than its renditions one after another. A lone
 * rendition runs on the caller's thread: with nothing else to keep going, the hand-off only
 * cost time (about 3 % of a 720p transcode).
 *
 * <p>The parts: {@link Source} (the input and its decoders), {@link AudioPath} (the audio, once
 * for all renditions), {@link RenditionOutput} (one rendition's scaler, encoder and muxer) and
 * {@link SegmentCuts} (where a muxer cut its segments, so that playlists are written from what
 * is known rather than read back). This class runs the decode loop and decides the keyframes.
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before.
 */
public final class Encode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Encode.class);

  private final String name;
  private final Source source;
  private BooleanSupplier cancelled = () -> false;
  private AudioPath audio;
  private final List<RenditionOutput> outputs = new ArrayList<>();
  private AVPacket packet;
  private AVFrame decoded;

  private long firstVideoPts = AV_NOPTS_VALUE;
  private long lastVideoPts = Long.MIN_VALUE;
  private int nextKeyframe;
  private long frames;
  private byte[] poster;
  private double posterAt;
  /** Null when no thumbnails are asked for, or after they failed (they are not worth the job). */
  private TileSheets thumbnails;
  private double thumbnailInterval;

  public Encode(Path input, InputRules rules) {
    this.name = input.toString();
    this.source = new Source(name, rules);
  }

  /**
   * Also stops when {@code cancelled} says so while the decoder waits for a rendition to take
   * its picture (a 1080p frame can take a few hundred milliseconds on a busy machine); it is
   * asked on the decoding thread. Before {@link #run}.
   */
  public void cancelWhen(BooleanSupplier cancelled) {
    this.cancelled = cancelled;
  }

  /**
   * Runs the whole transcode into {@code workDir} (one folder for each rendition).
   *
   * @param onTime called with the time reached in microseconds from the start: each decoded
   *     video frame's, or for audio alone each encoded audio frame's end
   */
  public EncodeResult run(Path workDir, EncodeSettings s, LongConsumer onTime) {
    source.open();
    if (source.hasAudio()) {
      audio = new AudioPath(name, source.audioDecoder, s.audioBitrate(), s.fmp4());
    }
    if (source.hasVideo()) {
      for (Sized r : outputSizes(s)) {
        addOutput(r.spec()).open(rendition(workDir), s, r.width(), r.height());
      }
      // the poster: a second in, past fades from black, or a tenth of a short clip
      posterAt = Math.min(1.0, source.durationMicros() / 1e6 / 10);
      if (s.thumbnails() != null) {
        startThumbnails(workDir, s.thumbnails());
      }
    } else {
      // audio only: one rendition, whatever the ladder; there are no pictures to scale
      addOutput(null).open(rendition(workDir), s, 0, 0);
      poster = source.coverArt();
    }
    LongConsumer onAudioTime = source.hasVideo() ? t -> { } : onTime;

    packet = av_packet_alloc();
    decoded = av_frame_alloc();
    for (RenditionOutput o : outputs) {
      o.start(outputs.size() == 1);
    }
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new TranscodeCancelledException("the transcode of " + name + " was cancelled");
      }
      int ret = av_read_frame(source.in, packet);
      if (ret == AVERROR_EOF()) {
        break;
      }
      if (ret < 0) {
        throw new TranscodeException("reading " + name + " failed (truncated or corrupt?)",
            Libav.error(ret));
      }
      try {
        if (packet.stream_index() == source.videoIndex) {
          decodeVideo(packet, s, onTime);
        } else if (packet.stream_index() == source.audioIndex) {
          audio.decode(packet, this::toRenditions, onAudioTime);
        }
      } finally {
        av_packet_unref(packet);
      }
    }
    if (source.hasVideo()) {
      decodeVideo(null, s, onTime);
    }
    if (audio != null) {
      audio.decode(null, this::toRenditions, onAudioTime);
    }
    for (RenditionOutput o : outputs) {
      o.submit(RenditionOutput.Work.END); // each flushes its encoder and writes its trailer
    }
    double duration = durationSeconds();
    List<EncodeResult.Rendition> results = new ArrayList<>();
    for (RenditionOutput o : outputs) {
      results.add(o.finish(duration));
    }
    Optional<byte[]> posterJpeg = Optional.ofNullable(poster).filter(jpeg -> jpeg.length > 0);
    Optional<String> audioCodecs = Optional.ofNullable(audio).map(a -> "mp4a.40.2");
    if (!source.hasVideo()) {
      return new EncodeResult(results, audioCodecs, audio.frames(), duration, 0, posterJpeg,
          Optional.empty());
    }
    return new EncodeResult(results, audioCodecs, frames, duration, av_q2d(source.frameRate),
        posterJpeg, finishThumbnails());
  }

  /** Thumbnails of the display aspect, {@code spec.longSide()} on the long side. */
  private void startThumbnails(Path workDir, EncodeSettings.Thumbnails spec) {
    double[] display = source.displaySize();
    double scale = spec.longSide() / Math.max(display[0], display[1]);
    thumbnails = new TileSheets(name, workDir.resolve("thumbnails"), even(display[0] * scale),
        even(display[1] * scale), spec.columns(), spec.rows(), spec.intervalMicros());
    thumbnailInterval = spec.intervalMicros() / 1e6;
  }

  /** Hands a picture to the thumbnails; a failure there costs the thumbnails, not the job. */
  private void thumbnail(AVFrame picture, long micros) {
    if (thumbnails == null) {
      return;
    }
    try {
      thumbnails.offer(picture, micros);
    } catch (TranscodeException e) {
      dropThumbnails(e);
    }
  }

  private Optional<EncodeResult.Thumbnails> finishThumbnails() {
    if (thumbnails == null) {
      return Optional.empty();
    }
    try {
      List<EncodeResult.Sheet> sheets = thumbnails.finish();
      return sheets.isEmpty() ? Optional.empty() : Optional.of(new EncodeResult.Thumbnails(
          thumbnails.width(), thumbnails.height(), thumbnailInterval, sheets));
    } catch (TranscodeException e) {
      dropThumbnails(e);
      return Optional.empty();
    }
  }

  private void dropThumbnails(TranscodeException e) {
    LOG.warn("no thumbnails for {}: {}", name, e.getMessage());
    thumbnails.close();
    thumbnails = null;
  }

  /** The input's duration in microseconds, 0 when unknown; valid after {@link #run} opened it. */
  public long inputDurationMicros() {
    return source.durationMicros();
  }

  private RenditionOutput addOutput(EncodeSettings.Rendition spec) {
    RenditionOutput o = new RenditionOutput(source, spec,
        audio == null ? null : audio.encoder(), cancelled);
    outputs.add(o); // added first, so close() frees it whatever fails next
    return o;
  }

  private Path rendition(Path workDir) {
    return workDir.resolve("r" + outputs.size()).resolve("index.m3u8");
  }

  /** What was decoded, in seconds; fails when nothing could be. */
  private double durationSeconds() {
    if (!source.hasVideo()) {
      if (audio.samples() == 0) {
        throw new TranscodeException(name + " has an audio stream but no sound could be"
            + " decoded; the file is probably truncated or corrupt");
      }
      return (double) audio.samples() / AudioPath.RATE;
    }
    if (frames == 0) {
      throw new TranscodeException(name + " has a video stream but no frame could be decoded;"
          + " the file is probably truncated or corrupt");
    }
    return (lastVideoPts + source.frameDurationTicks()) * av_q2d(source.timeBase);
  }

  /** A rendition asked for and the size it is made at. */
  private record Sized(EncodeSettings.Rendition spec, int width, int height) {}

  /**
   * The renditions to make and their sizes: each short side scaled to its rendition, display
   * aspect kept, even; never larger than the source. Two renditions that end up the same size
   * are both made only when named apart; otherwise the second is left out.
   */
  private List<Sized> outputSizes(EncodeSettings s) {
    double[] display = source.displaySize();
    double shorter = Math.min(display[0], display[1]);
    List<Sized> sizes = new ArrayList<>();
    for (EncodeSettings.Rendition r : s.renditions()) {
      if (s.dropLarger() && r.shortSide() > shorter && !sizes.isEmpty()) {
        // a ladder never upscales: a larger rendition adds nothing
        LOG.info("{}: rendition {}p left out: the source is {}x{}, and a ladder never"
            + " upscales", name, r.shortSide(), Math.round(display[0]), Math.round(display[1]));
        continue;
      }
      double scale = shorter > r.shortSide() ? r.shortSide() / shorter : 1.0;
      Sized sized = new Sized(r, even(display[0] * scale), even(display[1] * scale));
      if (r.name() == null && sizes.stream().anyMatch(x -> x.spec().name() == null
          && x.width() == sized.width() && x.height() == sized.height())) {
        LOG.info("{}: rendition {}p left out: at this source's size it would repeat another",
            name, r.shortSide());
        continue;
      }
      sizes.add(sized);
    }
    return sizes;
  }

  /** {@code v} rounded to an even number of pixels, 2 at least (what 4:2:0 needs). */
  static int even(double v) {
    int i = (int) Math.round(v / 2.0) * 2;
    return Math.max(2, i);
  }

  private void decodeVideo(AVPacket pkt, EncodeSettings s, LongConsumer onTime) {
    int ret = avcodec_send_packet(source.videoDecoder, pkt);
    if (ret < 0 && ret != AVERROR_EOF() && ret != AVERROR_EAGAIN()) {
      // one bad packet in a long file should not sink the job: skip it, as players do
      return;
    }
    long boundary = Math.round(s.segmentSeconds() * AV_TIME_BASE);
    while (true) {
      ret = avcodec_receive_frame(source.videoDecoder, decoded);
      if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF()) {
        return;
      }
      Libav.check(ret, "decoding the video of", name);
      try {
        long pts = nextPts(decoded.best_effort_timestamp());
        AVFrame picture = source.rotator == null ? decoded : source.rotator.apply(decoded);
        // one decision for every rendition: segment boundaries stay aligned across the ladder;
        // exact, so that the muxer (which compares the same way) cuts at each of them
        boolean keyframe = false;
        while (av_compare_ts(pts, source.timeBase, nextKeyframe * boundary,
            av_make_q(1, AV_TIME_BASE)) >= 0) {
          keyframe = true;
          nextKeyframe++;
        }
        double seconds = pts * av_q2d(source.timeBase);
        if (poster == null && seconds + 1e-6 >= posterAt) {
          poster = poster(picture);
        }
        thumbnail(picture, Math.round(seconds * 1_000_000));
        for (RenditionOutput o : outputs) {
          // a new reference to the same picture buffers: counted, not copied
          AVFrame ref = av_frame_clone(picture);
          if (ref == null) {
            throw new TranscodeException("out of memory handing a picture of " + name + " over");
          }
          o.submit(new RenditionOutput.Work(ref, null, pts, keyframe));
        }
        frames++;
        onTime.accept(Math.round(seconds * 1_000_000));
      } finally {
        av_frame_unref(decoded);
      }
    }
  }

  /** The frame's time from the first frame's, strictly after the last (what encoders need). */
  private long nextPts(long decodedPts) {
    long pts = decodedPts;
    if (pts == AV_NOPTS_VALUE) {
      pts = lastVideoPts == Long.MIN_VALUE ? 0 : lastVideoPts + source.frameDurationTicks();
    } else {
      if (firstVideoPts == AV_NOPTS_VALUE) {
        firstVideoPts = pts;
      }
      pts -= firstVideoPts;
    }
    if (lastVideoPts != Long.MIN_VALUE && pts <= lastVideoPts) {
      pts = lastVideoPts + 1;
    }
    lastVideoPts = pts;
    return pts;
  }

  /** The poster from {@code picture} at the largest rendition's size; empty when it fails. */
  private byte[] poster(AVFrame picture) {
    RenditionOutput largest = outputs.get(outputs.size() - 1);
    try {
      return Poster.jpeg(picture, largest.width(), largest.height(), name);
    } catch (TranscodeException e) {
      LOG.warn("no poster for {}: {}", name, e.getMessage());
      return new byte[0];
    }
  }

  /** Hands an encoded audio packet to every rendition, each a reference of its own. */
  private void toRenditions(AVPacket encoded) {
    for (RenditionOutput o : outputs) {
      AVPacket ref = av_packet_clone(encoded);
      if (ref == null) {
        throw new TranscodeException("out of memory handing the audio of " + name + " over");
      }
      o.submit(new RenditionOutput.Work(null, ref, 0, false));
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
    if (thumbnails != null) {
      thumbnails.close();
    }
    for (RenditionOutput o : outputs) {
      o.stop(); // all at once: each finishes its frame and frees its encoder meanwhile
    }
    for (RenditionOutput o : outputs) {
      o.close();
    }
    if (audio != null) {
      audio.close();
    }
    source.close();
  }
}
