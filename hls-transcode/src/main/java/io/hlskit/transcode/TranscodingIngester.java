package io.hlskit.transcode;

import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.ingest.Ingester;
import io.hlskit.core.ingest.QueuedIngestService;
import io.hlskit.core.store.MediaStore;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleConsumer;

/**
 * Uploads into channels through a {@link Transcoder}: the {@link Ingester} a server's ingest
 * service runs. The request's profile is read as {@link Ladder#parse} reads it, its quality
 * {@code auto} as {@link Ladder#withAutoQuality}. Wiring uploads
 * into an {@code HlsServer} is one line:
 *
 * <pre>{@code
 * HlsServer.builder().mediaStore(store).ingest(TranscodingIngester.service(transcoder, store))
 * }</pre>
 *
 * <p>Runs on the ingest service's worker thread, which an interrupt cancels (as {@link
 * QueuedIngestService#close} does). Thread-safe.
 */
public final class TranscodingIngester implements Ingester {
  /** The profile names uploads may ask for: the named profiles, {@code abr} and {@code source}. */
  public static final Set<String> PROFILES = Set.of("low", "medium", "high", "abr", "source");

  private final Transcoder transcoder;
  private final MediaStore store;

  /** An ingester that transcodes into {@code store}. */
  public TranscodingIngester(Transcoder transcoder, MediaStore store) {
    this.transcoder = Objects.requireNonNull(transcoder, "transcoder");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * An ingest service that transcodes uploads into {@code store} one at a time, and refuses at
   * the door a profile not in {@link #PROFILES}; for more control, give a {@code new
   * TranscodingIngester(...)} to {@link QueuedIngestService#builder}.
   */
  public static IngestService service(Transcoder transcoder, MediaStore store) {
    return QueuedIngestService.builder(new TranscodingIngester(transcoder, store))
        .profiles(PROFILES).build();
  }

  @Override
  public void ingest(IngestRequest request, DoubleConsumer progress) {
    Ladder ladder = Ladder.parse(request.profile());
    TranscodeRequest.Builder b = TranscodeRequest.builder(request.file(), request.channelId())
        .title(request.title())
        .ladder(request.quality().equals("auto") ? ladder.withAutoQuality() : ladder)
        .visibility(request.visibility());
    request.originalFilename().ifPresent(b::sourceName);
    transcoder.transcode(b.build(), store, p -> progress.accept(p.fraction()));
  }
}
