package io.hlskit.demo;

import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.Ingester;
import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelCatalog;
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
  private final ChannelCatalog catalog;

  TranscodingIngester(Transcoder transcoder, MediaStore store, ChannelCatalog catalog) {
    this.transcoder = transcoder;
    this.store = store;
    this.catalog = catalog;
  }

  @Override
  public void ingest(IngestRequest request, DoubleConsumer progress) {
    TranscodeRequest.Builder b = TranscodeRequest.builder(request.file(), request.channelId())
        .title(request.title())
        .ladder(Ladder.parse(request.profile()));
    request.originalFilename().ifPresent(b::sourceName);
    transcoder.transcode(b.build(), store, p -> progress.accept(p.fraction()));
    // list it now rather than at the catalog's next look at the store (a bucket's is slow), so
    // the feed, and other instances through their notices, have it at once
    try {
      catalog.refresh();
    } catch (HlsException e) {
      LOG.warn("{} is published; it is listed at the catalog's next look ({})",
          request.channelId(), e.getMessage());
    }
  }
}
