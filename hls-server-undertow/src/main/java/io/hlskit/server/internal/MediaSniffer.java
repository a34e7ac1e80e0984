package io.hlskit.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
    byte[] head = new byte[4096];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
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
    if (n >= 10 && ascii(head, 0, "ID3")) {
      return "mp3"; // an ID3v2 tag leads MP3 files, and some AAC and FLAC ones
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
