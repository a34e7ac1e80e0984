package io.hlskit.demo.examples;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.MediaStore;
import io.hlskit.server.HlsServer;
import io.hlskit.storage.fs.FileSystemMediaStore;
import io.hlskit.transcode.Ladder;
import io.hlskit.transcode.Progress;
import io.hlskit.transcode.TranscodeJob;
import io.hlskit.transcode.TranscodeListener;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import io.hlskit.transcode.TranscodingIngester;
import java.nio.file.Path;

/** A server that takes uploads, and transcodes of your own as jobs you can cancel. */
public class UploadsAndJobs {
  /** Serves {@code folder} and turns uploads into channels there; running the result stops it. */
  public static Runnable serve(Path folder, int port, String adminToken) {
    FileSystemMediaStore store = FileSystemMediaStore.at(folder);
    Transcoder transcoder = Transcoder.create();
    HlsServer server = HlsServer.builder()
        .mediaStore(store)
        .adminToken(adminToken)   // POST /api/channels?id=...&profile=abr with the video as body
        .ingest(TranscodingIngester.service(transcoder, store))
        .port(port)
        .build()
        .start();
    return () -> {
      server.close();
      store.close();
    };
  }

  /** Starts turning {@code input} into channel {@code id}; returns at once. */
  public static TranscodeJob convert(Transcoder transcoder, MediaStore store, Path input,
      String id) {
    TranscodeRequest request = TranscodeRequest.builder(input, id)
        .ladder(Ladder.parse("1080p:4500k,540p:1200k,240p:300k") // height : video bit rate
            .withAutoQuality())   // constant quality, those bit rates as ceilings
        .build();
    return transcoder.submit(request, store, new TranscodeListener() {
      @Override
      public void onProgress(TranscodeJob job, Progress progress) {
        System.out.printf("%s %3.0f%%%n", id, progress.fraction() * 100);
      }

      @Override
      public void onFinished(TranscodeJob job, ChannelMetadata channel) {
        System.out.println(id + ": " + channel.renditions().size() + " renditions");
      }
    });
    // job.result() completes with the channel; job.cancel() stops it within a second
  }
}
