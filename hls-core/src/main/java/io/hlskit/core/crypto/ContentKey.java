package io.hlskit.core.crypto;

import io.hlskit.core.StorageKeys;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An AES-128 key that encrypts a channel's segments ({@code EXT-X-KEY:METHOD=AES-128}), with the
 * id players ask for it by. A channel keeps its keys in its own {@value #FOLDER} folder of the
 * store ({@link #storageKey}), which servers never hand out as media: players fetch a key from a
 * key endpoint that checks their credentials ({@link #uri}).
 *
 * <p>Immutable; {@link #bytes} returns a copy, and {@link #toString} never shows the key.
 */
public final class ContentKey {
  /** The folder of a channel that holds its keys, {@code <channel>/keys/<id>.key}. */
  public static final String FOLDER = "keys";

  /** The path under which servers answer keys: {@code /api/keys/<channel>/<id>}. */
  public static final String URI_PREFIX = "/api/keys/";

  /** Key ids: 1 to 64 lower-case letters, digits, {@code _} and {@code -}. */
  public static final Pattern ID = StorageKeys.CHANNEL_ID;

  /** The length of an AES-128 key, in bytes. */
  public static final int LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final byte[] key;

  private ContentKey(String id, byte[] key) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("invalid key id '" + id + "': use 1 to 64 lower-case"
          + " letters, digits, '_' and '-'");
    }
    Objects.requireNonNull(key, "key");
    if (key.length != LENGTH) {
      throw new IllegalArgumentException("an AES-128 key has " + LENGTH + " bytes, not "
          + key.length);
    }
    this.id = id;
    this.key = key.clone();
  }

  /** The key {@code key} under id {@code id}. */
  public static ContentKey of(String id, byte[] key) {
    return new ContentKey(id, key);
  }

  /** A new random key with a new random id, both from a {@link SecureRandom}. */
  public static ContentKey generate() {
    byte[] key = new byte[LENGTH];
    byte[] id = new byte[8];
    RANDOM.nextBytes(key);
    RANDOM.nextBytes(id);
    return new ContentKey(HexFormat.of().formatHex(id), key);
  }

  /** The id players ask for the key by. */
  public String id() {
    return id;
  }

  /** A copy of the key's 16 bytes. */
  public byte[] bytes() {
    return key.clone();
  }

  /** Where channel {@code channelId} keeps this key in the store. */
  public String storageKey(String channelId) {
    return storageKey(channelId, id);
  }

  /** Where channel {@code channelId} keeps key {@code keyId} in the store. */
  public static String storageKey(String channelId, String keyId) {
    return StorageKeys.requireChannelId(channelId) + "/" + relativeKey(keyId);
  }

  /** Where a channel keeps key {@code keyId}, relative to the channel's folder. */
  public static String relativeKey(String keyId) {
    if (keyId == null || !ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("invalid key id '" + keyId + "'");
    }
    return FOLDER + "/" + keyId + ".key";
  }

  /**
   * Whether {@code relativeKey} (a key relative to a channel's folder) lies in the keys folder:
   * such objects are never served as media.
   */
  public static boolean isKeyObject(String relativeKey) {
    return relativeKey.startsWith(FOLDER + "/");
  }

  /** The URI players fetch this key from, for channel {@code channelId}. */
  public String uri(String channelId) {
    return URI_PREFIX + StorageKeys.requireChannelId(channelId) + "/" + id;
  }

  /** Equal when id and key bytes are (compared in constant time). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ContentKey other && other.id.equals(id)
        && MessageDigest.isEqual(other.key, key);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "ContentKey[" + id + "]";
  }
}
