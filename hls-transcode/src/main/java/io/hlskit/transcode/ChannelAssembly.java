package io.hlskit.transcode;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.RenditionInfo;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.crypto.ContentKey;
import io.hlskit.core.crypto.SegmentCipher;
import io.hlskit.core.playlist.IFrameVariant;
import io.hlskit.core.playlist.ImageVariant;
import io.hlskit.core.playlist.InitializationSection;
import io.hlskit.core.playlist.MediaPlaylist;
import io.hlskit.core.playlist.MediaSegment;
import io.hlskit.core.playlist.MultivariantPlaylist;
import io.hlskit.core.playlist.PlaylistType;
import io.hlskit.core.playlist.PlaylistWriter;
import io.hlskit.core.playlist.Resolution;
import io.hlskit.core.playlist.SegmentKey;
import io.hlskit.core.playlist.Variant;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.transcode.internal.EncodeResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts what a transcode made into a channel draft: each rendition's segments moved in and its
 * media playlist written from them (never read back from libav's), the entry playlist, the
 * poster; and says what the channel is, its bandwidths measured from the segments' sizes. A
 * private channel's segments are encrypted here, after libav wrote them, so that every segment
 * format and the stream copy are encrypted alike.
 */
final class ChannelAssembly {
  private ChannelAssembly() {}

  /** The RFC 6381 name used when the encoder's parameters could not be read. */
  private static final String H264_HIGH = "avc1.640028";

  /**
   * Fills {@code draft}; the caller publishes it with the metadata returned. {@code checkpoint}
   * runs before each segment and throws to stop.
   *
   * @throws IOException when a segment made cannot be read
   */
  static ChannelMetadata assemble(EncodeResult result, ChannelDraft draft,
      TranscodeRequest request, Runnable checkpoint) throws IOException {
    List<ContentKey> keys = keys(result, request);
    for (ContentKey key : keys) {
      draft.write(ContentKey.relativeKey(key.id()), key.bytes());
    }
    boolean explicitIv = result.renditions().stream().anyMatch(r -> r.init().isPresent());
    List<RenditionInfo> renditions = new ArrayList<>();
    List<Variant> variants = new ArrayList<>();
    List<IFrameVariant> iFrames = new ArrayList<>();
    MediaPlaylist single = null;
    Duration total = Duration.ZERO;
    for (EncodeResult.Rendition r : result.renditions()) {
      // unless named, renditions are named by their short side: 360p is 640x360 and 360x640
      String name = r.name() != null ? r.name()
          : r.hasVideo() ? Math.min(r.width(), r.height()) + "p" : Transcoder.AUDIO_ONLY;
      Optional<InitializationSection> init = r.init()
          .map(file -> InitializationSection.of(file.getFileName().toString()));
      List<MediaSegment> segments = new ArrayList<>();
      BitRates rates = new BitRates();
      // a ladder's renditions get I-frame playlists, read from the segments before they are
      // moved away; not a private channel's, whose segments are encrypted whole
      Optional<IFramePlaylists.Found> iFrameRanges = keys.isEmpty()
          && result.renditions().size() > 1
          ? IFramePlaylists.find(r, init.isPresent()) : Optional.empty();
      if (!keys.isEmpty() && init.isPresent()) {
        // the init section is encrypted with the first segment's key and IV: the EXT-X-KEY
        // written before EXT-X-MAP applies to it (RFC 8216, 4.3.2.4)
        encryptInPlace(r.init().get(), keys.get(0), 0);
      }
      for (int i = 0; i < r.segments().size(); i++) {
        checkpoint.run(); // a cancel stops the copy into the store too
        EncodeResult.Segment s = r.segments().get(i);
        Optional<SegmentKey> segmentKey = Optional.empty();
        if (!keys.isEmpty()) {
          ContentKey key = keys.get(request.keyRotation() == 0 ? 0 : i / request.keyRotation());
          encryptInPlace(s.file(), key, i);
          SegmentKey k = SegmentKey.aes128(key.uri(request.channelId()));
          segmentKey = Optional.of(explicitIv
              ? k.withIv(SegmentCipher.ivAttribute(SegmentCipher.ivFor(i))) : k);
        }
        rates.add(Files.size(s.file()), s.duration());
        String uri = s.file().getFileName().toString();
        segments.add(MediaSegment.builder(uri, s.duration()).map(init.orElse(null))
            .key(segmentKey.orElse(null)).build());
        draft.moveIn(name + "/" + uri, s.file()); // the working folder's: moved, not copied
      }
      if (init.isPresent()) {
        draft.moveIn(name + "/" + init.get().uri(), r.init().get());
      }
      MediaPlaylist index = MediaPlaylist.builder()
          .playlistType(PlaylistType.VOD)
          .independentSegments(true)
          .segments(segments)
          .endList(true)
          .build();
      draft.write(name + "/index.m3u8", utf8(PlaylistWriter.write(index)));
      total = index.totalDuration();
      List<String> codecs = new ArrayList<>();
      String videoCodecs = Optional.ofNullable(r.videoCodecs()).orElse(H264_HIGH);
      if (r.hasVideo()) {
        codecs.add(videoCodecs);
      }
      result.audioCodecs().ifPresent(codecs::add);
      Optional<Resolution> resolution = r.hasVideo()
          ? Optional.of(new Resolution(r.width(), r.height())) : Optional.empty();
      if (iFrameRanges.isPresent()) {
        iFrames.add(IFramePlaylists.write(name, iFrameRanges.get(), segments, init, videoCodecs,
            resolution.get(), draft));
      }
      renditions.add(new RenditionInfo(name, name + "/index.m3u8", resolution,
          rates.peak(), rates.average(), codecs));
      Variant.Builder variant = Variant.builder(name + "/index.m3u8", rates.peak())
          .averageBandwidth(rates.average()).codecs(codecs);
      if (r.hasVideo()) {
        variant.resolution(resolution.get()).frameRate(BigDecimal.valueOf(result.frameRate())
            .setScale(3, RoundingMode.HALF_UP));
      }
      variants.add(variant.build());
      single = prefixed(index, name + "/");
    }
    Optional<ImageVariant> thumbnails = Optional.empty();
    if (result.thumbnails().isPresent()) {
      thumbnails = Optional.of(ThumbnailTracks.write(result.thumbnails().get(), draft, total));
    }
    // one rendition: the entry playlist is its media playlist (what players given a lone
    // playlist.m3u8 expect); several: a multivariant playlist, lowest first
    String entry = renditions.size() == 1 ? PlaylistWriter.write(single)
        : PlaylistWriter.write(multivariant(variants, iFrames, thumbnails));
    draft.write(ChannelMetadata.ENTRY_PLAYLIST, utf8(entry));
    result.posterJpeg().ifPresent(jpeg -> draft.write(Transcoder.POSTER, jpeg));

    ChannelMetadata.Builder metadata = ChannelMetadata.builder(request.channelId())
        .title(request.title())
        .duration(total)
        .poster(result.posterJpeg().isPresent() ? Transcoder.POSTER : null)
        .thumbnails(thumbnails.isPresent() ? ThumbnailTracks.VTT : null)
        .source(request.sourceName().orElse(null))
        .created(Instant.now())
        .visibility(request.visibility());
    // highest first, as channel.json lists them
    for (int i = renditions.size() - 1; i >= 0; i--) {
      metadata.addRendition(renditions.get(i));
    }
    return metadata.build();
  }

  /**
   * The keys a private channel's segments are encrypted with, in order of use (the same for
   * every rendition, so a player switching renditions keeps its key); none for a public one.
   */
  private static List<ContentKey> keys(EncodeResult result, TranscodeRequest request) {
    if (request.visibility() != Visibility.PRIVATE) {
      return List.of();
    }
    int most = result.renditions().stream().mapToInt(r -> r.segments().size()).max().orElse(0);
    int count = request.keyRotation() == 0 ? 1
        : Math.max(1, (most + request.keyRotation() - 1) / request.keyRotation());
    List<ContentKey> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(ContentKey.generate());
    }
    return keys;
  }

  /**
   * Replaces {@code file} by its encryption under {@code key} with the IV players derive for
   * media sequence number {@code sequence}.
   */
  private static void encryptInPlace(Path file, ContentKey key, long sequence)
      throws IOException {
    Path encrypted = file.resolveSibling(file.getFileName() + ".aes");
    SegmentCipher.encrypt(key, SegmentCipher.ivFor(sequence), file, encrypted);
    Files.move(encrypted, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** {@code playlist} as seen from the channel's folder: every URI under {@code prefix}. */
  private static MediaPlaylist prefixed(MediaPlaylist playlist, String prefix) {
    return playlist.toBuilder().segments(playlist.segments().stream()
        .map(s -> s.toBuilder().uri(prefix + s.uri())
            .map(s.map().map(m -> new InitializationSection(prefix + m.uri(), m.byteRange()))
                .orElse(null))
            .build())
        .toList()).build();
  }

  private static MultivariantPlaylist multivariant(List<Variant> variants,
      List<IFrameVariant> iFrames, Optional<ImageVariant> thumbnails) {
    MultivariantPlaylist.Builder b = MultivariantPlaylist.builder().independentSegments(true);
    variants.forEach(b::addVariant);
    iFrames.forEach(b::addIFrameVariant);
    thumbnails.ifPresent(b::addImageVariant);
    return b.build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
