package io.hlskit.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first bytes of sound files are let through (audio-only channels); pictures and text not. */
class MediaSnifferTest {
  @TempDir
  Path dir;

  private String sniff(int... head) throws Exception {
    byte[] bytes = new byte[64];
    for (int i = 0; i < head.length; i++) {
      bytes[i] = (byte) head[i];
    }
    Path file = Files.write(dir.resolve("upload.bin"), bytes);
    return MediaSniffer.container(file);
  }

  private String sniff(String ascii) throws Exception {
    byte[] text = ascii.getBytes(StandardCharsets.ISO_8859_1);
    int[] head = new int[text.length];
    for (int i = 0; i < text.length; i++) {
      head[i] = text[i] & 0xff;
    }
    return sniff(head);
  }

  @Test
  void soundContainersAreRecognised() throws Exception {
    assertThat(sniff(0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64))
        .as("an empty ID3 tag, then an MP3 frame").isEqualTo("mp3");
    assertThat(sniff(0xff, 0xfb, 0x90, 0x64)).as("MPEG-1 layer III, 128 kb/s").isEqualTo("mp3");
    assertThat(sniff(0xff, 0xf1, 0x50, 0x80)).as("ADTS AAC").isEqualTo("aac");
    assertThat(sniff("fLaC\0\0\0\"")).isEqualTo("flac");
    assertThat(sniff("RIFF\u0024\0\0\0WAVEfmt ")).isEqualTo("wav");
    assertThat(sniff("\0\0\0\u0020ftypM4A \0\0\0\0")).isEqualTo("mp4/mov");
  }

  @Test
  void whatFollowsId3TagsIsWhatCounts() throws Exception {
    // a 5,000-byte tag (cover art), past the first read, then an MP3 frame
    byte[] file = new byte[10 + 5000 + 64];
    System.arraycopy("ID3".getBytes(StandardCharsets.ISO_8859_1), 0, file, 0, 3);
    file[3] = 4;
    file[8] = (byte) (5000 >> 7);
    file[9] = (byte) (5000 & 0x7f);
    file[5010] = (byte) 0xff;
    file[5011] = (byte) 0xfb;
    file[5012] = (byte) 0x90;
    assertThat(MediaSniffer.container(Files.write(dir.resolve("tagged.mp3"), file)))
        .isEqualTo("mp3");

    byte[] manifest = ("ID3\u0004\0\0\0\0\0\0<?xml version=\"1.0\"?><MPD>")
        .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(MediaSniffer.container(Files.write(dir.resolve("x.mp4"), manifest)))
        .as("a DASH manifest behind an ID3 tag").isNull();
    assertThat(sniff("ID3\u0004\0\0\0\0\0\0\0\0\0\u0020ftypisom")).as("MP4 behind a tag")
        .isNull();
    assertThat(sniff("ID3\u0004\0\0\0\0\0\0")).as("a tag and nothing else").isNull();
    assertThat(sniff("ID3\u0004\0\0\u0080\0\0\0")).as("a size that is not syncsafe").isNull();
  }

  @Test
  void picturesTextAndBadFrameHeadersAreNot() throws Exception {
    assertThat(sniff(0xff, 0xd8, 0xff, 0xe0)).as("JPEG").isNull();
    assertThat(sniff(0x89, 'P', 'N', 'G')).as("PNG").isNull();
    assertThat(sniff("just some text")).isNull();
    assertThat(sniff(0xff, 0xe0, 0x90, 0x64)).as("MPEG audio sync, reserved layer").isNull();
    assertThat(sniff(0xff, 0xfb, 0xf0, 0x64)).as("MPEG audio, bad bit rate").isNull();
  }
}
