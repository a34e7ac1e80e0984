package io.hlskit.core.playlist;

import io.hlskit.core.internal.Checks;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code EXT-X-KEY}: how a media segment is encrypted. A segment that is not encrypted has no key
 * ({@code METHOD=NONE} is what the writer emits when a key stops applying).
 *
 * @param method the encryption method
 * @param uri where the key is fetched
 * @param iv the initialization vector as written, {@code 0x} and 32 hexadecimal digits
 * @param keyFormat the {@code KEYFORMAT} attribute
 * @param keyFormatVersions the {@code KEYFORMATVERSIONS} attribute
 */
public record SegmentKey(
    KeyMethod method,
    String uri,
    Optional<String> iv,
    Optional<String> keyFormat,
    Optional<String> keyFormatVersions) {

  private static final Pattern IV = Pattern.compile("0[xX][0-9a-fA-F]{32}");

  public SegmentKey {
    Objects.requireNonNull(method, "method");
    Checks.quotable(Checks.uri(uri, "key URI"), "key URI");
    Objects.requireNonNull(iv, "iv");
    iv.ifPresent(v -> {
      if (!IV.matcher(v).matches()) {
        throw new IllegalArgumentException("IV must be 0x followed by 32 hexadecimal digits: " + v);
      }
    });
    Objects.requireNonNull(keyFormat, "keyFormat").ifPresent(v -> Checks.quotable(v, "KEYFORMAT"));
    Objects.requireNonNull(keyFormatVersions, "keyFormatVersions")
        .ifPresent(v -> Checks.quotable(v, "KEYFORMATVERSIONS"));
  }

  /** An AES-128 key at {@code uri}, with the IV derived from the media sequence number. */
  public static SegmentKey aes128(String uri) {
    return new SegmentKey(KeyMethod.AES_128, uri, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This key with an explicit initialization vector. */
  public SegmentKey withIv(String iv) {
    return new SegmentKey(method, uri, Optional.of(iv), keyFormat, keyFormatVersions);
  }
}
