package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.hlskit.core.TranscodeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
   * Opens an input and reads its streams; the caller closes it with {@code
   * avformat_close_input}, also when this throws after opening.
   *
   * @param opened receives the context as soon as it is open, so that it can be freed
   */
  public static AVFormatContext openInput(String name, java.util.function.Consumer<AVFormatContext>
      opened) {
    AVFormatContext in = new AVFormatContext(null);
    int ret = avformat_open_input(in, name, null, null);
    if (ret < 0) {
      throw new TranscodeException(name + " is not a media file libav can open; upload a video"
          + " (MP4, MOV, MKV, WebM, TS)", error(ret));
    }
    opened.accept(in);
    check(avformat_find_stream_info(in, (PointerPointer<?>) null), "reading the streams of",
        name);
    return in;
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
      av_dict_set(options, "hls_fmp4_init_filename", "init.mp4", 0);
    }
    return options;
  }

  /** Returns {@code code} when it is not an error, else throws for {@code stage}. */
  public static int check(int code, String stage, String input) {
    if (code < 0) {
      throw new TranscodeException(stage + " failed for " + input, error(code));
    }
    return code;
  }
}
