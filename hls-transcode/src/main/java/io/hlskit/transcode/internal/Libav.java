package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AC3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_EAC3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_AAC_HE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_AAC_HE_V2;
import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.hlskit.core.TranscodeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;

/** libav return codes into exceptions that name the input, the stage and libav's message. */
public final class Libav {
  private Libav() {}

  /** libav's text for an error code. */
  public static String error(int code) {
    byte[] buffer = new byte[256];
    av_strerror(code, buffer, buffer.length);
    int n = 0;
    while (n < buffer.length && buffer[n] != 0) {
      n++;
    }
    return new String(buffer, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * Opens a local file and reads its streams; the caller closes it with {@code
   * avformat_close_input}, also when this throws after opening. Only libav's {@code file}
   * protocol is allowed, and only the demuxers named in {@code formats}: a manifest (HLS, DASH,
   * a concat list) is refused before anything it names is opened.
   *
   * @param rules the demuxers allowed and the longest input taken
   * @param opened receives the context as soon as it is open, so that it can be freed
   */
  public static AVFormatContext openInput(String name, InputRules rules,
      java.util.function.Consumer<AVFormatContext> opened) {
    String formats = rules.formats();
    AVFormatContext in = new AVFormatContext(null);
    AVDictionary options = new AVDictionary(null);
    try {
      av_dict_set(options, "protocol_whitelist", "file", 0);
      av_dict_set(options, "format_whitelist", formats, 0);
      int ret = avformat_open_input(in, name, null, options);
      if (ret < 0) {
        throw new TranscodeException(name + " is not a media file in a format this transcoder"
            + " takes (" + formats + "); give the video or sound file itself: playlists and"
            + " manifests (HLS, DASH, concat lists) are not taken", error(ret));
      }
    } finally {
      av_dict_free(options);
    }
    opened.accept(in);
    check(avformat_find_stream_info(in, (PointerPointer<?>) null), "reading the streams of",
        name);
    if (in.duration() != AV_NOPTS_VALUE && in.duration() > rules.maxDurationMicros()) {
      throw new TranscodeException(name + " lasts " + minutes(in.duration()) + " min, longer than"
          + " the " + minutes(rules.maxDurationMicros()) + " min this transcoder takes"
          + " (TranscodeLimits.maxDuration)");
    }
    return in;
  }

  private static String minutes(long micros) {
    return String.format(java.util.Locale.ROOT, "%.1f", micros / 60e6);
  }

  /** The libav hls muxer's options for a VOD rendition at {@code playlist}. */
  public static AVDictionary hlsOptions(Path playlist, double segmentSeconds, boolean fmp4) {
    AVDictionary options = new AVDictionary(null);
    av_dict_set(options, "hls_time", String.valueOf(segmentSeconds), 0);
    av_dict_set(options, "hls_playlist_type", "vod", 0);
    av_dict_set(options, "hls_list_size", "0", 0);
    av_dict_set(options, "hls_segment_type", fmp4 ? "fmp4" : "mpegts", 0);
    av_dict_set(options, "hls_segment_filename",
        playlist.resolveSibling(fmp4 ? "seg_%05d.m4s" : "seg_%05d.ts").toString(), 0);
    if (fmp4) {
      av_dict_set(options, "hls_fmp4_init_filename", INIT, 0);
    }
    return options;
  }

  private static final String INIT = "init.mp4";

  /** The file of segment {@code n} (from 0) beside {@code playlist}, as {@link #hlsOptions} names it. */
  public static Path segmentFile(Path playlist, boolean fmp4, int n) {
    return playlist.resolveSibling(String.format(fmp4 ? "seg_%05d.m4s" : "seg_%05d.ts", n));
  }

  /** The initialization section of fragmented MP4 segments beside {@code playlist}. */
  public static Path initFile(Path playlist) {
    return playlist.resolveSibling(INIT);
  }

  /** Returns {@code code} when it is not an error, else throws for {@code stage}. */
  public static int check(int code, String stage, String input) {
    if (code < 0) {
      throw new TranscodeException(stage + " failed for " + input, error(code));
    }
    return code;
  }

  /**
   * The input's best moving-picture stream, -1 when it has none. A still picture attached to an
   * audio file (cover art, {@code AV_DISPOSITION_ATTACHED_PIC}) is not one: libav lists it as
   * a video stream, and taking it would make a song a one-frame video.
   */
  public static int videoStream(AVFormatContext in) {
    int best = av_find_best_stream(in, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
    if (best < 0 || !isCoverArt(in, best)) {
      return best < 0 ? -1 : best;
    }
    for (int i = 0; i < in.nb_streams(); i++) {
      if (in.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && !isCoverArt(in, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The input's cover art stream (a still picture attached to audio), -1 when it has none. */
  public static int coverArtStream(AVFormatContext in) {
    for (int i = 0; i < in.nb_streams(); i++) {
      if (in.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO && isCoverArt(in, i)
          && in.streams(i).attached_pic().size() > 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isCoverArt(AVFormatContext in, int stream) {
    return (in.streams(stream).disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0;
  }

  /**
   * The RFC 6381 name HLS gives an audio codec ({@code mp4a.40.2} for AAC-LC), empty for codecs
   * HLS does not carry.
   */
  public static Optional<String> audioCodecs(AVCodecParameters audio) {
    int id = audio.codec_id();
    if (id == AV_CODEC_ID_AAC) {
      return Optional.of(switch (audio.profile()) {
        case AV_PROFILE_AAC_HE -> "mp4a.40.5";
        case AV_PROFILE_AAC_HE_V2 -> "mp4a.40.29";
        default -> "mp4a.40.2";
      });
    } else if (id == AV_CODEC_ID_MP3) {
      return Optional.of("mp4a.40.34");
    } else if (id == AV_CODEC_ID_AC3) {
      return Optional.of("ac-3");
    } else if (id == AV_CODEC_ID_EAC3) {
      return Optional.of("ec-3");
    }
    return Optional.empty();
  }
}
