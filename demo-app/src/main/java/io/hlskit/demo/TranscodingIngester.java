package io.hlskit.demo;

import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.Ingester;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.Ladder;
import io.hlskit.transcode.Profile;
import io.hlskit.transcode.TranscodeRequest;
import io.hlskit.transcode.Transcoder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the server's upload reaches through the ingest SPI: the in-process transcoder. */
final class TranscodingIngester implements Ingester {
  private static final Logger LOG = LoggerFactory.getLogger(TranscodingIngester.class);
  /** The profile names uploads may ask for. */
  static final Set<String> PROFILES = Stream.concat(Arrays.stream(Profile.values())
      .map(p -> p.name().toLowerCase(Locale.ROOT)), Stream.of("abr", "source"))
      .collect(Collectors.toUnmodifiableSet());

  private final Transcoder transcoder;
  private final MediaStore store;

  TranscodingIngester(Transcoder transcoder, MediaStore store) {
    this.transcoder = transcoder;
    this.store = store;
  }

  @Override
  public void ingest(IngestRequest request, DoubleConsumer progress) {
    TranscodeRequest.Builder b = TranscodeRequest.builder(request.file(), request.channelId())
        .title(request.title())
        .ladder(Ladder.parse(request.profile()))
        .visibility(request.visibility());
    request.originalFilename().ifPresent(b::sourceName);
    transcoder.transcode(b.build(), store, p -> progress.accept(p.fraction()));
  }
}
