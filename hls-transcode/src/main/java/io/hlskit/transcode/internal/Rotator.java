package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avfilter.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import io.hlskit.core.TranscodeException;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Applies a stream's rotation metadata (the display matrix phones write) to decoded pictures,
 * with libavfilter's {@code transpose} (90 and 270 degrees) or {@code hflip,vflip} (180), so
 * that a portrait phone video comes out portrait. Built on the first frame, when its pixel format
 * is known; everything it allocates is freed in {@link #close}.
 */
final class Rotator implements AutoCloseable {
  private final int degrees;
  private final AVRational timeBase;
  private final String name;
  private AVFilterGraph graph;
  private AVFilterContext source;
  private AVFilterContext sink;
  private AVFrame rotated;

  /** The clockwise rotation, 0, 90, 180 or 270, that makes the stream display upright. */
  static int degrees(AVCodecParameters codecpar) {
    AVPacketSideData sd = av_packet_side_data_get(codecpar.coded_side_data(),
        codecpar.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
    if (sd == null || sd.isNull() || sd.size() < 9 * 4) {
      return 0;
    }
    // the matrix rotates counterclockwise; displaying upright takes the opposite turn
    double theta = -av_display_rotation_get(new IntPointer(sd.data()));
    int quarter = (int) Math.round(theta / 90.0);
    return Math.floorMod(quarter * 90, 360);
  }

  Rotator(int degrees, AVRational timeBase, String name) {
    this.degrees = degrees;
    this.timeBase = timeBase;
    this.name = name;
  }

  /** Whether pictures turn on their side (width and height swap). */
  boolean swapsSides() {
    return degrees == 90 || degrees == 270;
  }

  /**
   * The picture turned upright. Takes the content of {@code picture} (which is left empty); the
   * frame returned belongs to the rotator and stays valid until the next call.
   */
  AVFrame apply(AVFrame picture) {
    if (graph == null) {
      build(picture);
    }
    av_frame_unref(rotated);
    Libav.check(av_buffersrc_add_frame(source, picture), "rotating the video of", name);
    Libav.check(av_buffersink_get_frame(sink, rotated), "rotating the video of", name);
    return rotated;
  }

  private void build(AVFrame first) {
    graph = avfilter_graph_alloc();
    rotated = av_frame_alloc();
    source = new AVFilterContext(null);
    sink = new AVFilterContext(null);
    String args = "video_size=" + first.width() + "x" + first.height() + ":pix_fmt="
        + first.format() + ":time_base=" + timeBase.num() + "/" + timeBase.den()
        + ":pixel_aspect=1/1";
    Libav.check(avfilter_graph_create_filter(source, avfilter_get_by_name("buffer"), "in", args,
        null, graph), "setting up rotation for", name);
    Libav.check(avfilter_graph_create_filter(sink, avfilter_get_by_name("buffersink"), "out",
        null, null, graph), "setting up rotation for", name);
    AVFilterInOut outputs = avfilter_inout_alloc();
    AVFilterInOut inputs = avfilter_inout_alloc();
    try {
      outputs.name(new BytePointer(av_strdup(new BytePointer("in")))).filter_ctx(source)
          .pad_idx(0).next(null);
      inputs.name(new BytePointer(av_strdup(new BytePointer("out")))).filter_ctx(sink)
          .pad_idx(0).next(null);
      String filter = switch (degrees) {
        case 90 -> "transpose=clock";
        case 270 -> "transpose=cclock";
        case 180 -> "hflip,vflip";
        default -> throw new TranscodeException("no rotation filter for " + degrees + " degrees");
      };
      Libav.check(avfilter_graph_parse_ptr(graph, filter, inputs, outputs, null),
          "setting up rotation for", name);
      Libav.check(avfilter_graph_config(graph, null), "setting up rotation for", name);
    } finally {
      avfilter_inout_free(inputs);
      avfilter_inout_free(outputs);
    }
  }

  @Override
  public void close() {
    if (rotated != null) {
      av_frame_free(rotated);
    }
    if (graph != null) {
      avfilter_graph_free(graph); // frees the filter contexts too
    }
  }
}
