package io.hlskit.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells from its first bytes whether a file is in a container a transcoder can read (video, or
 * sound for an audio-only channel), so that an upload of text or an image with a video extension
 * is refused before any work is queued. It only looks: whether libav can decode the streams is
 * the transcoder's to find out.
 */
final class MediaSniffer {
  private MediaSniffer() {}

  /** The container's name, or null when the bytes are not a known media container. */
  static String container(Path file) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long at = 0;
      // ID3v2 tags lead MP3 files (and some AAC and FLAC ones); libav skips them before it
      // probes, so what counts is what follows them, which must be sound
      for (int tags = 0; tags < MAX_ID3_TAGS; tags++) {
        byte[] head = read(in, at, 10);
        if (head.length < 10 || !ascii(head, 0, "ID3")) {
          break;
        }
        long size = syncsafe(head, 6);
        if (size < 0) {
          return null; // not a valid tag: nothing libav would take either
        }
        at += 10 + size + ((head[5] & 0x10) != 0 ? 10 : 0);
      }
      byte[] head = read(in, at, 4096);
      String found = container(head, head.length);
      if (at > 0 && found != null && !SOUND_AFTER_ID3.contains(found)) {
        return null; // a tag before a video container: no upload is made like that
      }
      return found;
    }
  }

  /** How many ID3 tags in a row are skipped; a file with more is not taken. */
  private static final int MAX_ID3_TAGS = 4;

  private static final java.util.Set<String> SOUND_AFTER_ID3 = java.util.Set.of("mp3", "aac",
      "flac");

  private static byte[] read(FileChannel in, long at, int max) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(max);
    while (buffer.hasRemaining()) {
      int n = in.read(buffer, at + buffer.position());
      if (n < 0) {
        break;
      }
    }
    return java.util.Arrays.copyOf(buffer.array(), buffer.position());
  }

  /** A 28-bit ID3 "syncsafe" size (7 bits a byte); -1 when a byte has its top bit set. */
  private static long syncsafe(byte[] b, int offset) {
    long size = 0;
    for (int i = 0; i < 4; i++) {
      int v = b[offset + i] & 0xff;
      if (v > 0x7f) {
        return -1;
      }
      size = size << 7 | v;
    }
    return size;
  }

  private static String container(byte[] head, int n) {
    if (n >= 12 && ascii(head, 4, "ftyp")) {
      return "mp4/mov";
    }
    if (n >= 8 && (ascii(head, 4, "moov") || ascii(head, 4, "mdat") || ascii(head, 4, "wide")
        || ascii(head, 4, "free"))) {
      return "mov";
    }
    if (n >= 4 && (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45
        && (head[2] & 0xff) == 0xdf && (head[3] & 0xff) == 0xa3) {
      return "matroska/webm";
    }
    if (n >= 189 && head[0] == 0x47 && head[188] == 0x47) {
      return "mpeg-ts";
    }
    if (n >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "AVI ")) {
      return "avi";
    }
    if (n >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) {
      return "wav";
    }
    if (n >= 4 && ascii(head, 0, "fLaC")) {
      return "flac";
    }
    if (n >= 4 && (head[0] & 0xff) == 0xff && (head[1] & 0xf6) == 0xf0) {
      return "aac"; // an ADTS header: 12 sync bits, layer 0
    }
    if (n >= 4 && (head[0] & 0xff) == 0xff && (head[1] & 0xe0) == 0xe0
        && (head[1] & 0x06) != 0 && (head[2] & 0xf0) != 0xf0) {
      return "mp3"; // an MPEG audio frame header: 11 sync bits, a layer, a valid bit rate
    }
    if (n >= 3 && ascii(head, 0, "FLV")) {
      return "flv";
    }
    if (n >= 4 && ascii(head, 0, "OggS")) {
      return "ogg";
    }
    if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 1 && (head[3] & 0xff) == 0xba) {
      return "mpeg-ps";
    }
    if (n >= 16 && (head[0] & 0xff) == 0x30 && (head[1] & 0xff) == 0x26
        && (head[2] & 0xff) == 0xb2 && (head[3] & 0xff) == 0x75) {
      return "asf/wmv";
    }
    return null;
  }

  private static boolean ascii(byte[] b, int offset, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (b[offset + i] != (byte) s.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
