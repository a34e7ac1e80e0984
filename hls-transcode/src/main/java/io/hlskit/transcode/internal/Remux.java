package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.hlskit.core.TranscodeCancelledException;
import io.hlskit.core.TranscodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code source} profile: the input's video and audio copied into HLS segments without
 * re-encoding, cut at the input's own keyframes. Only codecs that HLS players take in MPEG-TS
 * qualify (H.264 or HEVC, AAC, MP3, AC-3 or E-AC-3); anything else is refused with advice. A
 * file with audio and no video is copied as an audio-only channel. The poster is the first
 * keyframe a second in (or the first of all in a short clip), decoded on its own: nothing else
 * is decoded.
 *
 * <p>Every libav object it allocates is freed in {@link #close}, whatever happened before.
 */
public final class Remux implements AutoCloseable {
  private static final Set<Integer> VIDEO = Set.of(AV_CODEC_ID_H264, AV_CODEC_ID_HEVC);
  private static final Set<Integer> AUDIO =
      Set.of(AV_CODEC_ID_AAC, AV_CODEC_ID_MP3, AV_CODEC_ID_AC3, AV_CODEC_ID_EAC3);

  private static final Logger LOG = LoggerFactory.getLogger(Remux.class);

  private final String name;
  private AVFormatContext in;
  private AVFormatContext out;
  private AVDictionary options;
  private AVPacket packet;
  private AVPacket firstKeyframe;

  private final InputRules rules;

  public Remux(Path input, InputRules rules) {
    this.name = input.toString();
    this.rules = rules;
  }

  /**
   * Copies the input into segments in {@code workDir/r1/}; the muxer's playlist there is not
   * what the result's segments come from (see {@link SegmentCuts}).
   */
  public EncodeResult run(Path workDir, double segmentSeconds, boolean fmp4,
      LongConsumer onVideoPts) {
    Libav.openInput(name, rules, opened -> in = opened);
    int video = Libav.videoStream(in);
    int audio = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, video, (AVCodec) null, 0);
    if (video < 0 && audio < 0) {
      throw new TranscodeException(name + " has neither a video nor an audio stream to copy");
    }
    AVStream videoIn = video >= 0 ? in.streams(video) : null;
    if (videoIn != null && !VIDEO.contains(videoIn.codecpar().codec_id())) {
      throw new TranscodeException("the video of " + name + " is "
          + avcodec_get_name(videoIn.codecpar().codec_id()).getString() + ", which HLS players"
          + " do not take as it is; use a profile (low, medium, high or abr) to re-encode it");
    }
    if (audio >= 0 && !AUDIO.contains(in.streams(audio).codecpar().codec_id())) {
      throw new TranscodeException("the audio of " + name + " is "
          + avcodec_get_name(in.streams(audio).codecpar().codec_id()).getString()
          + ", which HLS players do not take as it is; use a profile to re-encode it");
    }
    Path playlist = workDir.resolve("r1").resolve("index.m3u8");
    try {
      Files.createDirectories(playlist.getParent());
    } catch (IOException e) {
      throw new TranscodeException("cannot create " + playlist.getParent(), e);
    }
    out = new AVFormatContext(null);
    int ret = avformat_alloc_output_context2(out, null, "hls", playlist.toString());
    if (ret < 0) {
      out = null;
      Libav.check(ret, "setting up the HLS muxer for", name);
    }
    int[] map = new int[in.nb_streams()];
    java.util.Arrays.fill(map, -1);
    int[] copied = video < 0 ? new int[] {audio}
        : audio < 0 ? new int[] {video} : new int[] {video, audio};
    for (int index : copied) {
      AVStream s = avformat_new_stream(out, null);
      Libav.check(avcodec_parameters_copy(s.codecpar(), in.streams(index).codecpar()),
          "copying the streams of", name);
      s.codecpar().codec_tag(0);
      s.time_base(in.streams(index).time_base());
      map[index] = s.index();
    }
    options = Libav.hlsOptions(playlist, segmentSeconds, fmp4);
    Libav.check(avformat_write_header(out, options), "starting the HLS output for", name);
    // the stream that times the channel: the video, or the audio of a sound file
    int primary = video >= 0 ? video : audio;
    SegmentCuts cuts = new SegmentCuts(segmentSeconds, video >= 0, video >= 0 && audio >= 0,
        out.streams(map[primary]).time_base());

    packet = av_packet_alloc();
    double posterAt = Math.min(1.0, inputDurationMicros() / 1e6 / 10);
    byte[] poster = null;
    long frames = 0;
    long first = AV_NOPTS_VALUE;
    long last = 0;
    String codecs = videoIn == null ? null : codecsFromExtradata(videoIn);
    AVRational primaryTb = in.streams(primary).time_base();
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new TranscodeCancelledException("the transcode of " + name + " was cancelled");
      }
      ret = av_read_frame(in, packet);
      if (ret == AVERROR_EOF()) {
        break;
      }
      Libav.check(ret, "reading", name);
      try {
        int target = packet.stream_index() < map.length ? map[packet.stream_index()] : -1;
        if (target < 0) {
          continue;
        }
        if (packet.stream_index() == primary) {
          frames++;
          if (packet.pts() != AV_NOPTS_VALUE) {
            if (first == AV_NOPTS_VALUE) {
              first = packet.pts();
            }
            last = Math.max(last, packet.pts() - first + Math.max(packet.duration(), 0));
            onVideoPts.accept(Math.round((packet.pts() - first) * av_q2d(primaryTb) * 1e6));
          }
          if (videoIn != null && poster == null && (packet.flags() & AV_PKT_FLAG_KEY) != 0) {
            double at = packet.pts() == AV_NOPTS_VALUE || first == AV_NOPTS_VALUE ? 0
                : (packet.pts() - first) * av_q2d(primaryTb);
            if (at + 1e-6 >= posterAt) {
              poster = poster(videoIn, packet, Poster.FRAME_SIDE);
            } else if (firstKeyframe == null) {
              firstKeyframe = av_packet_clone(packet); // for a clip with no keyframe after it
            }
          }
          if (codecs == null && videoIn != null
              && videoIn.codecpar().codec_id() == AV_CODEC_ID_H264) {
            codecs = H264.codecsString(packet.data(), packet.size()).orElse(null);
          }
        }
        AVStream from = in.streams(packet.stream_index());
        AVStream to = out.streams(target);
        av_packet_rescale_ts(packet, from.time_base(), to.time_base());
        packet.stream_index(target);
        packet.pos(-1);
        if (target == map[primary]) {
          cuts.reference(packet.pts(), packet.dts(), (packet.flags() & AV_PKT_FLAG_KEY) != 0);
        } else {
          cuts.other(packet.pts(), packet.dts(), to.time_base());
        }
        Libav.check(av_interleaved_write_frame(out, packet), "writing a segment of", name);
      } finally {
        av_packet_unref(packet);
      }
    }
    Libav.check(av_write_trailer(out), "finishing the HLS output", name);
    if (frames == 0) {
      throw new TranscodeException(name + " has no " + (videoIn != null ? "video" : "audio")
          + " packet to copy");
    }
    Optional<String> audioCodecs = audio < 0 ? Optional.empty()
        : Libav.audioCodecs(in.streams(audio).codecpar());
    double duration = last * av_q2d(primaryTb);
    List<EncodeResult.Segment> segments = cuts.segments(duration, playlist, fmp4, name);
    Optional<Path> init = fmp4 ? Optional.of(Libav.initFile(playlist)) : Optional.empty();
    if (videoIn == null) {
      // a song: its cover art, if it has one, is the poster
      int cover = Libav.coverArtStream(in);
      byte[] art = cover < 0 ? null : poster(in.streams(cover), in.streams(cover).attached_pic(),
          Poster.COVER_SIDE);
      return new EncodeResult(
          List.of(new EncodeResult.Rendition(null, 0, 0, 0, null, segments, init)),
          audioCodecs, frames, duration, 0, Optional.ofNullable(art).filter(j -> j.length > 0),
          Optional.empty());
    }
    if (poster == null && firstKeyframe != null) {
      poster = poster(videoIn, firstKeyframe, Poster.FRAME_SIDE);
    }
    double frameRate = av_q2d(av_guess_frame_rate(in, videoIn, null));
    if (videoIn.codecpar().codec_id() == AV_CODEC_ID_HEVC) {
      // from the source's parameter sets; players accept the short form when they are not there
      codecs = Hevc.codecsFromExtradata(videoIn.codecpar().extradata(),
          videoIn.codecpar().extradata_size()).orElse("hvc1");
    }
    return new EncodeResult(List.of(new EncodeResult.Rendition(null, videoIn.codecpar().width(),
        videoIn.codecpar().height(), videoIn.codecpar().bit_rate(), codecs, segments, init)),
        audioCodecs, frames, duration, frameRate > 0 ? frameRate : 25,
        Optional.ofNullable(poster).filter(jpeg -> jpeg.length > 0), Optional.empty());
  }

  /**
   * The picture in {@code key} (a keyframe of {@code video}, or cover art) as a JPEG; empty (and
   * a warning) when it cannot be made.
   */
  private byte[] poster(AVStream video, AVPacket key, int maxSide) {
    try {
      return Poster.fromPacket(video.codecpar(), key, maxSide, name);
    } catch (TranscodeException e) {
      LOG.warn("no poster for {}: {}", name, e.getMessage());
      return new byte[0];
    }
  }

  /** The input's duration in microseconds, 0 when unknown; valid once {@link #run} opened it. */
  public long inputDurationMicros() {
    return in == null || in.duration() == AV_NOPTS_VALUE ? 0 : in.duration();
  }

  private static String codecsFromExtradata(AVStream stream) {
    if (stream.codecpar().codec_id() != AV_CODEC_ID_H264) {
      return null;
    }
    return H264.codecsFromAvcc(stream.codecpar().extradata(), stream.codecpar().extradata_size())
        .orElse(null);
  }

  @Override
  public void close() {
    if (packet != null) {
      av_packet_free(packet);
    }
    if (firstKeyframe != null) {
      av_packet_free(firstKeyframe);
    }
    if (options != null) {
      av_dict_free(options);
    }
    if (out != null) {
      avformat_free_context(out);
    }
    if (in != null) {
      avformat_close_input(in);
    }
  }
}
