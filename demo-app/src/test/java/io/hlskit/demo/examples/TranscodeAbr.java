package io.hlskit.demo.examples;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Ladder;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import java.nio.file.Path;
import java.time.Duration;

/** Turns a video file into an adaptive channel: {@code TranscodeAbr talk.mp4 talk}. */
public class TranscodeAbr {
  public static void main(String[] args) {
    ChannelMetadata channel = transcode(Path.of(args[0]), args[1], Path.of("streams"));
    System.out.println(channel.id() + ": " + channel.renditions().size() + " renditions");
  }

  /** Transcodes {@code input} into the channel {@code id} in {@code streams}. */
  public static ChannelMetadata transcode(Path input, String id, Path streams) {
    Transcoder transcoder = Transcoder.create();    // libx264 with the -gpl natives, else OpenH264
    TranscodeRequest request = TranscodeRequest.builder(input, id)
        .ladder(Ladder.ABR)                         // 360p, 720p, 1080p: those not above the source
        .segmentDuration(Duration.ofSeconds(6))
        .title("My first channel")
        .build();
    try (FileSystemMediaStore store = FileSystemMediaStore.at(streams)) {
      // one decode feeds every rendition; a failure or a cancel publishes nothing
      return transcoder.transcode(request, store, progress -> System.out.printf(
          "%3.0f%%  %d frames  %.1fx realtime%n",
          progress.fraction() * 100, progress.frames(), progress.speed()));
    }
  }
}
