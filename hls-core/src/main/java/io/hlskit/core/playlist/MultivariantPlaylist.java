package io.hlskit.core.playlist;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An RFC 8216 multivariant (master) playlist: the variant streams of one presentation, their
 * alternative renditions, I-frame and image (thumbnail) playlists and session data.
 *
 * <p>It has at least one variant. Every group id that a variant names must be defined by a rendition of the matching type
 * (except {@code CLOSED-CAPTIONS=NONE}). The version is derived as in {@link MediaPlaylist}.
 *
 * @param variants {@code EXT-X-STREAM-INF}, in order of preference as written
 * @param iFrameVariants {@code EXT-X-I-FRAME-STREAM-INF}
 * @param imageVariants {@code EXT-X-IMAGE-STREAM-INF}: thumbnails for scrubbing
 * @param renditions {@code EXT-X-MEDIA}
 * @param sessionData {@code EXT-X-SESSION-DATA}
 * @param independentSegments {@code EXT-X-INDEPENDENT-SEGMENTS}
 * @param start {@code EXT-X-START}
 * @param declaredVersion an explicit {@code EXT-X-VERSION}, see {@link #version()}
 * @param unknownTags tags hlskit does not model, kept by the lenient parser
 */
public record MultivariantPlaylist(
    List<Variant> variants,
    List<IFrameVariant> iFrameVariants,
    List<ImageVariant> imageVariants,
    List<Rendition> renditions,
    List<SessionData> sessionData,
    boolean independentSegments,
    Optional<StartPoint> start,
    Optional<Integer> declaredVersion,
    List<String> unknownTags)
    implements Playlist {

  public MultivariantPlaylist {
    variants = List.copyOf(Objects.requireNonNull(variants, "variants"));
    iFrameVariants = List.copyOf(Objects.requireNonNull(iFrameVariants, "iFrameVariants"));
    imageVariants = List.copyOf(Objects.requireNonNull(imageVariants, "imageVariants"));
    renditions = List.copyOf(Objects.requireNonNull(renditions, "renditions"));
    sessionData = List.copyOf(Objects.requireNonNull(sessionData, "sessionData"));
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(declaredVersion, "declaredVersion");
    unknownTags = UnknownTags.check(unknownTags);
    if (variants.isEmpty()) {
      throw new IllegalArgumentException(
          "a multivariant playlist needs at least one variant (EXT-X-STREAM-INF)");
    }
    for (Variant v : variants) {
      requireGroup(renditions, RenditionType.AUDIO, v.audio(), v.uri());
      requireGroup(renditions, RenditionType.VIDEO, v.video(), v.uri());
      requireGroup(renditions, RenditionType.SUBTITLES, v.subtitles(), v.uri());
      requireGroup(renditions, RenditionType.CLOSED_CAPTIONS,
          v.closedCaptions().filter(c -> !c.equals("NONE")), v.uri());
    }
    for (IFrameVariant v : iFrameVariants) {
      requireGroup(renditions, RenditionType.VIDEO, v.video(), v.uri());
    }
    for (ImageVariant v : imageVariants) {
      requireGroup(renditions, RenditionType.VIDEO, v.video(), v.uri());
    }
    int features = Versions.multivariant(renditions);
    if (declaredVersion.isPresent()) {
      int declared = declaredVersion.get();
      if (declared < features) {
        throw new IllegalArgumentException("version " + declared
            + " is too low for the features used, which need version " + features);
      }
      if (declared == Math.max(Versions.MINIMUM_WRITTEN, features)) {
        declaredVersion = Optional.empty();
      }
    }
  }

  private static void requireGroup(
      List<Rendition> renditions, RenditionType type, Optional<String> groupId, String variant) {
    if (groupId.isEmpty()) {
      return;
    }
    for (Rendition r : renditions) {
      if (r.type() == type && r.groupId().equals(groupId.get())) {
        return;
      }
    }
    throw new IllegalArgumentException("variant " + variant + " names " + type.text()
        + " group \"" + groupId.get() + "\" but no EXT-X-MEDIA of that type defines it");
  }

  /** A builder for an empty multivariant playlist. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int version() {
    return declaredVersion.orElseGet(
        () -> Math.max(Versions.MINIMUM_WRITTEN, Versions.multivariant(renditions)));
  }

  /** Builds a {@link MultivariantPlaylist}; not thread-safe. */
  public static final class Builder {
    private final List<Variant> variants = new ArrayList<>();
    private final List<IFrameVariant> iFrameVariants = new ArrayList<>();
    private final List<ImageVariant> imageVariants = new ArrayList<>();
    private final List<Rendition> renditions = new ArrayList<>();
    private final List<SessionData> sessionData = new ArrayList<>();
    private boolean independentSegments;
    private Optional<StartPoint> start = Optional.empty();
    private Optional<Integer> version = Optional.empty();
    private final List<String> unknownTags = new ArrayList<>();

    private Builder() {}

    public Builder addVariant(Variant variant) {
      variants.add(Objects.requireNonNull(variant, "variant"));
      return this;
    }

    public Builder addIFrameVariant(IFrameVariant variant) {
      iFrameVariants.add(Objects.requireNonNull(variant, "variant"));
      return this;
    }

    public Builder addImageVariant(ImageVariant variant) {
      imageVariants.add(Objects.requireNonNull(variant, "variant"));
      return this;
    }

    public Builder addRendition(Rendition rendition) {
      renditions.add(Objects.requireNonNull(rendition, "rendition"));
      return this;
    }

    public Builder addSessionData(SessionData data) {
      sessionData.add(Objects.requireNonNull(data, "data"));
      return this;
    }

    public Builder independentSegments(boolean independentSegments) {
      this.independentSegments = independentSegments;
      return this;
    }

    public Builder start(StartPoint start) {
      this.start = Optional.ofNullable(start);
      return this;
    }

    /** An explicit version; leave it unset to write the lowest the features need (at least 3). */
    public Builder version(int version) {
      this.version = Optional.of(version);
      return this;
    }

    public Builder addUnknownTag(String tagLine) {
      unknownTags.add(tagLine);
      return this;
    }

    public MultivariantPlaylist build() {
      return new MultivariantPlaylist(variants, iFrameVariants, imageVariants, renditions, sessionData,
          independentSegments, start, version, unknownTags);
    }
  }
}
