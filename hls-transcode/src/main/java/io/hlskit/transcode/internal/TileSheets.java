package io.hlskit.transcode.internal;

import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import io.hlskit.core.TranscodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;

/**
 * Thumbnails for scrubbing, taken from the decoded pictures as they pass (no second decode): one
 * picture every interval, scaled down and placed in a grid, each full grid written as one JPEG
 * (a tile sheet), as Roku's and Apple's image playlists and WebVTT thumbnail tracks use them.
 * Runs on the decoding thread; every libav object is freed in {@link #close}, which may be called
 * more than once.
 */
final class TileSheets implements AutoCloseable {
  private final String name;
  private final Path folder;
  private final int width;
  private final int height;
  private final int columns;
  private final int rows;
  private final long intervalMicros;
  private final List<EncodeResult.Sheet> sheets = new ArrayList<>();
  private SwsContext sws;
  private AVFrame small;
  private AVFrame sheet;
  private int inSheet;
  private int taken;

  /**
   * Thumbnails of {@code width x height} (even), {@code columns x rows} to a sheet, one every
   * {@code intervalMicros}, written into {@code folder}.
   */
  TileSheets(String name, Path folder, int width, int height, int columns, int rows,
      long intervalMicros) {
    this.name = name;
    this.folder = folder;
    this.width = width;
    this.height = height;
    this.columns = columns;
    this.rows = rows;
    this.intervalMicros = intervalMicros;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** Takes {@code picture}, shown at {@code micros}, when a thumbnail is due by then. */
  void offer(AVFrame picture, long micros) {
    if (micros < taken * intervalMicros) {
      return;
    }
    if (small == null) {
      allocate();
    }
    // the picture's size or format may change mid-stream: the cached context follows it
    sws = sws_getCachedContext(sws, picture.width(), picture.height(), picture.format(), width,
        height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, null, null, (DoublePointer) null);
    if (sws == null) {
      throw new TranscodeException("cannot scale the pictures of " + name + " to thumbnails");
    }
    Libav.check(sws_scale_frame(sws, small, picture), "scaling a thumbnail of", name);
    int x = (inSheet % columns) * width;
    int y = (inSheet / columns) * height;
    for (int plane = 0; plane < 3; plane++) {
      int shift = plane == 0 ? 0 : 1; // 4:2:0: chroma is half as wide and half as tall
      av_image_copy_plane(
          new BytePointer(sheet.data(plane)).position(
              (long) (y >> shift) * sheet.linesize(plane) + (x >> shift)),
          sheet.linesize(plane), small.data(plane), small.linesize(plane), width >> shift,
          height >> shift);
    }
    inSheet++;
    taken++;
    if (inSheet == columns * rows) {
      write(rows);
    }
  }

  /** Writes the last sheet, cut to the rows it uses, and says what was written. */
  List<EncodeResult.Sheet> finish() {
    if (inSheet > 0) {
      write((inSheet + columns - 1) / columns);
    }
    return List.copyOf(sheets);
  }

  private void allocate() {
    small = av_frame_alloc();
    sheet = av_frame_alloc();
    if (small == null || sheet == null) {
      throw new TranscodeException("out of memory making the thumbnails of " + name);
    }
    buffer(small, width, height);
    buffer(sheet, width * columns, height * rows);
    blank();
  }

  private void buffer(AVFrame f, int w, int h) {
    f.format(AV_PIX_FMT_YUV420P);
    f.width(w);
    f.height(h);
    Libav.check(av_frame_get_buffer(f, 0), "allocating the thumbnails of", name);
  }

  /** Black, so that the slots a last sheet leaves empty show nothing. */
  private void blank() {
    int h = sheet.height();
    new BytePointer(sheet.data(0)).capacity((long) sheet.linesize(0) * h).fill(16);
    new BytePointer(sheet.data(1)).capacity((long) sheet.linesize(1) * (h / 2)).fill(128);
    new BytePointer(sheet.data(2)).capacity((long) sheet.linesize(2) * (h / 2)).fill(128);
  }

  private void write(int usedRows) {
    int fullHeight = sheet.height();
    byte[] jpeg;
    try {
      sheet.height(usedRows * height); // the rows in use, from the top: a crop, nothing copied
      jpeg = Poster.jpeg(sheet, width * columns, usedRows * height, name);
    } finally {
      sheet.height(fullHeight);
    }
    Path file = folder.resolve(String.format("tiles-%05d.jpg", sheets.size()));
    try {
      Files.createDirectories(folder);
      Files.write(file, jpeg);
    } catch (IOException e) {
      throw new TranscodeException("cannot write the thumbnails of " + name + " into " + folder
          + " (" + e + "); is the disk full?", e);
    }
    sheets.add(new EncodeResult.Sheet(file, inSheet, columns, usedRows));
    inSheet = 0;
    blank();
  }

  @Override
  public void close() {
    if (small != null) {
      av_frame_free(small);
      small = null;
    }
    if (sheet != null) {
      av_frame_free(sheet);
      sheet = null;
    }
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
  }
}
