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
 * <channel>?key=<secret>}, and the store holds the secret in {@code <channel>/keys/stream-key},
 * beside a private channel's content keys: a folder never served, and as secret as they are.
 *
 * <pre>{@code
 * LiveChannels.Created news = LiveChannels.create(store, "news", "News", Visibility.PUBLIC,
 *     LiveSettings.of("abr").withDvr(Duration.ofMinutes(30)));
 * System.out.println(news.streamKey());        // news?key=3f9c...
 * }</pre>
 */
public final class LiveChannels {
  /** Where a channel's stream key is kept, relative to the channel. */
  public static final String KEY_OBJECT = "keys/stream-key";

  private static final SecureRandom RANDOM = new SecureRandom();

  private LiveChannels() {}

  /**
   * A live channel created or updated, and its stream key.
   *
   * @param streamKey what the publisher puts in its stream key field: {@code
   *     <channel>?key=<secret>}
   */
  public record Created(ChannelMetadata channel, String streamKey) {}

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
      Optional<String> secret = secret(store, id);
      return new Created(m, secret.isPresent() ? id + "?key=" + secret.get()
          : newKey(store, id));
    }
    ChannelMetadata m = ChannelMetadata.builder(id).title(title).visibility(visibility)
        .created(Instant.now())
        .live(settings.withState(LiveSettings.State.WAITING, Instant.now())).build();
    String secret = secret();
    try (ChannelDraft draft = store.draft(id)) {
      draft.write(KEY_OBJECT, secret.getBytes(StandardCharsets.US_ASCII));
      draft.publish(m);
    }
    return new Created(m, id + "?key=" + secret);
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
    store.write(id + "/" + KEY_OBJECT, secret.getBytes(StandardCharsets.US_ASCII));
    return id + "?key=" + secret;
  }

  /** The stream key of live channel {@code id}, {@code <channel>?key=<secret>}, when it has one. */
  public static Optional<String> streamKey(MediaStore store, String id) {
    StorageKeys.requireChannelId(id);
    return secret(store, id).map(s -> id + "?key=" + s);
  }

  private static Optional<String> secret(MediaStore store, String id) {
    Optional<ObjectStream> stored = store.read(id + "/" + KEY_OBJECT);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    try (ObjectStream o = stored.get(); InputStream in = o.content()) {
      String s = new String(in.readNBytes(256), StandardCharsets.US_ASCII).strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    } catch (IOException e) {
      throw new StorageException("could not read the stream key of " + id + ": " + e, e);
    }
  }

  /** Whether {@code secret} is the stream key of channel {@code id} (compared in constant time). */
  public static boolean keyMatches(MediaStore store, String id, String secret) {
    if (!StorageKeys.isValidChannelId(id) || secret == null || secret.isEmpty()) {
      return false;
    }
    Optional<String> expected = secret(store, id);
    // compared as hashes: the time taken says nothing of how much of the key was right
    return expected.isPresent() && MessageDigest.isEqual(hash(expected.get()), hash(secret));
  }

  private static String secret() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
