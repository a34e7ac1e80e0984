package io.hlskit.core.live;

import io.hlskit.core.StorageException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import io.hlskit.core.store.ObjectStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates live channels in a store and keeps their stream keys: a publisher sends {@code
 * <channel>?key=<secret>}, and the store holds only the secret's SHA-256 in {@code
 * <channel>/keys/stream-key.sha256}, a folder never served.
 *
 * <pre>{@code
 * LiveChannels.Created news = LiveChannels.create(store, "news", "News", Visibility.PUBLIC,
 *     LiveSettings.of("abr").withDvr(Duration.ofMinutes(30)));
 * System.out.println(news.streamKey());        // news?key=3f9c...
 * }</pre>
 */
public final class LiveChannels {
  /** Where a channel's stream key is kept, hashed, relative to the channel. */
  public static final String KEY_OBJECT = "keys/stream-key.sha256";

  private static final SecureRandom RANDOM = new SecureRandom();

  private LiveChannels() {}

  /**
   * A live channel created or updated, and its stream key.
   *
   * @param streamKey what the publisher puts in its stream key field: {@code
   *     <channel>?key=<secret>}; empty when an update kept the key it had
   */
  public record Created(ChannelMetadata channel, Optional<String> streamKey) {}

  /**
   * Creates live channel {@code id}, waiting for its first broadcast, with a new stream key; or,
   * when it is a live channel already, changes its title, visibility and settings and keeps its
   * key, its state and whatever it is broadcasting.
   *
   * @throws IllegalArgumentException when {@code id} is a channel on demand or linear, or not a
   *     valid channel id, saying what to do
   * @throws StorageException when the store cannot be written
   */
  public static Created createOrUpdate(MediaStore store, String id, String title,
      Visibility visibility, LiveSettings settings) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(settings, "settings");
    StorageKeys.requireChannelId(id);
    Optional<ChannelMetadata> existing = store.channelMetadata(id);
    if (existing.isPresent() && !existing.get().isLive()) {
      throw new IllegalArgumentException("id: '" + id + "' is a channel "
          + (existing.get().isLinear() ? "linear" : "on demand") + "; a live channel replaces"
          + " only a live one: choose another id or delete it first");
    }
    if (existing.isPresent()) {
      LiveSettings had = existing.get().live().orElseThrow();
      ChannelMetadata m = existing.get().toBuilder().title(title).visibility(visibility).build()
          .withLive(settings.withState(had.state(), had.since()));
      store.updateMetadata(m);
      if (store.open(id + "/" + KEY_OBJECT).isEmpty()) {
        return new Created(m, Optional.of(newKey(store, id)));
      }
      return new Created(m, Optional.empty());
    }
    ChannelMetadata m = ChannelMetadata.builder(id).title(title).visibility(visibility)
        .created(Instant.now())
        .live(settings.withState(LiveSettings.State.WAITING, Instant.now())).build();
    String secret = secret();
    try (ChannelDraft draft = store.draft(id)) {
      draft.write(KEY_OBJECT, hash(secret).getBytes(StandardCharsets.US_ASCII));
      draft.publish(m);
    }
    return new Created(m, Optional.of(id + "?key=" + secret));
  }

  /**
   * Gives live channel {@code id} a new stream key; the old one is refused from now on (a
   * publisher already live stays live).
   *
   * @return the new stream key, {@code <channel>?key=<secret>}
   * @throws IllegalArgumentException when there is no such live channel
   */
  public static String newKey(MediaStore store, String id) {
    StorageKeys.requireChannelId(id);
    if (store.channelMetadata(id).filter(ChannelMetadata::isLive).isEmpty()) {
      throw new IllegalArgumentException("there is no live channel '" + id + "'");
    }
    String secret = secret();
    store.write(id + "/" + KEY_OBJECT, hash(secret).getBytes(StandardCharsets.US_ASCII));
    return id + "?key=" + secret;
  }

  /** Whether {@code secret} is the stream key of channel {@code id} (compared in constant time). */
  public static boolean keyMatches(MediaStore store, String id, String secret) {
    if (!StorageKeys.isValidChannelId(id) || secret == null || secret.isEmpty()) {
      return false;
    }
    Optional<ObjectStream> stored = store.read(id + "/" + KEY_OBJECT);
    if (stored.isEmpty()) {
      return false;
    }
    byte[] expected;
    try (ObjectStream o = stored.get(); InputStream in = o.content()) {
      expected = in.readNBytes(128);
    } catch (IOException e) {
      throw new StorageException("could not read the stream key of " + id + ": " + e, e);
    }
    return MessageDigest.isEqual(expected, hash(secret).getBytes(StandardCharsets.US_ASCII));
  }

  private static String secret() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
