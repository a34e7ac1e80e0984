package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code EXT-X-MEDIA}: an alternative rendition (audio language, camera angle, subtitles, closed
 * captions) in a group that variants refer to by group id.
 *
 * @param type {@code TYPE}
 * @param groupId {@code GROUP-ID}
 * @param name {@code NAME}, human-readable
 * @param uri {@code URI} of its media playlist; absent for closed captions and for renditions
 *     muxed into the variant
 * @param language {@code LANGUAGE} (BCP 47)
 * @param assocLanguage {@code ASSOC-LANGUAGE}
 * @param isDefault {@code DEFAULT=YES}
 * @param autoselect {@code AUTOSELECT=YES}
 * @param forced {@code FORCED=YES}
 * @param instreamId {@code INSTREAM-ID} ({@code CC1}..{@code CC4}, {@code SERVICE1}..)
 * @param characteristics {@code CHARACTERISTICS}
 * @param channels {@code CHANNELS}
 * @param otherAttributes attributes hlskit does not model, with their values as written
 */
public record Rendition(
    RenditionType type,
    String groupId,
    String name,
    Optional<String> uri,
    Optional<String> language,
    Optional<String> assocLanguage,
    boolean isDefault,
    boolean autoselect,
    boolean forced,
    Optional<String> instreamId,
    Optional<String> characteristics,
    Optional<String> channels,
    Map<String, String> otherAttributes) {

  static final List<String> MODELLED = List.of("TYPE", "GROUP-ID", "NAME", "URI", "LANGUAGE",
      "ASSOC-LANGUAGE", "DEFAULT", "AUTOSELECT", "FORCED", "INSTREAM-ID", "CHARACTERISTICS",
      "CHANNELS");

  public Rendition {
    Objects.requireNonNull(type, "type");
    if (Checks.quotable(groupId, "GROUP-ID").isEmpty() || Checks.quotable(name, "NAME").isEmpty()) {
      throw new IllegalArgumentException("an EXT-X-MEDIA rendition needs a GROUP-ID and a NAME");
    }
    Objects.requireNonNull(uri, "uri").ifPresent(u -> Checks.quotable(Checks.uri(u, "URI"), "URI"));
    if (type == RenditionType.CLOSED_CAPTIONS && uri.isPresent()) {
      throw new IllegalArgumentException("a CLOSED-CAPTIONS rendition must not have a URI");
    }
    if (type == RenditionType.CLOSED_CAPTIONS && instreamId.isEmpty()) {
      throw new IllegalArgumentException("a CLOSED-CAPTIONS rendition needs an INSTREAM-ID");
    }
    Objects.requireNonNull(language, "language").ifPresent(v -> Checks.quotable(v, "LANGUAGE"));
    Objects.requireNonNull(assocLanguage, "assocLanguage")
        .ifPresent(v -> Checks.quotable(v, "ASSOC-LANGUAGE"));
    Objects.requireNonNull(instreamId, "instreamId").ifPresent(v -> Checks.quotable(v, "INSTREAM-ID"));
    Objects.requireNonNull(characteristics, "characteristics")
        .ifPresent(v -> Checks.quotable(v, "CHARACTERISTICS"));
    Objects.requireNonNull(channels, "channels").ifPresent(v -> Checks.quotable(v, "CHANNELS"));
    otherAttributes = OtherAttributes.check(otherAttributes, MODELLED);
  }

  /** A builder for a rendition of {@code type} in group {@code groupId}, called {@code name}. */
  public static Builder builder(RenditionType type, String groupId, String name) {
    return new Builder(type, groupId, name);
  }

  /** Builds a {@link Rendition}; not thread-safe. */
  public static final class Builder {
    private final RenditionType type;
    private final String groupId;
    private final String name;
    private Optional<String> uri = Optional.empty();
    private Optional<String> language = Optional.empty();
    private Optional<String> assocLanguage = Optional.empty();
    private boolean isDefault;
    private boolean autoselect;
    private boolean forced;
    private Optional<String> instreamId = Optional.empty();
    private Optional<String> characteristics = Optional.empty();
    private Optional<String> channels = Optional.empty();
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();

    private Builder(RenditionType type, String groupId, String name) {
      this.type = type;
      this.groupId = groupId;
      this.name = name;
    }

    public Builder uri(String uri) {
      this.uri = Optional.ofNullable(uri);
      return this;
    }

    public Builder language(String language) {
      this.language = Optional.ofNullable(language);
      return this;
    }

    public Builder assocLanguage(String assocLanguage) {
      this.assocLanguage = Optional.ofNullable(assocLanguage);
      return this;
    }

    public Builder isDefault(boolean isDefault) {
      this.isDefault = isDefault;
      return this;
    }

    public Builder autoselect(boolean autoselect) {
      this.autoselect = autoselect;
      return this;
    }

    public Builder forced(boolean forced) {
      this.forced = forced;
      return this;
    }

    public Builder instreamId(String instreamId) {
      this.instreamId = Optional.ofNullable(instreamId);
      return this;
    }

    public Builder characteristics(String characteristics) {
      this.characteristics = Optional.ofNullable(characteristics);
      return this;
    }

    public Builder channels(String channels) {
      this.channels = Optional.ofNullable(channels);
      return this;
    }

    public Builder otherAttribute(String name, String valueAsWritten) {
      otherAttributes.put(name, valueAsWritten);
      return this;
    }

    public Rendition build() {
      return new Rendition(type, groupId, name, uri, language, assocLanguage, isDefault,
          autoselect, forced, instreamId, characteristics, channels, otherAttributes);
    }
  }
}
