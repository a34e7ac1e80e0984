package io.hlskit.core.crypto;

import io.hlskit.core.HlsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * HLS {@code AES-128} encryption of whole segments (RFC 8216, 5.2): AES-128 in CBC mode with
 * PKCS7 padding, the initialization vector either written in the playlist or, when it is not, the
 * segment's media sequence number as a 128-bit big-endian integer ({@link #ivFor}). What players
 * (hls.js, Safari, ffmpeg) decrypt with the key from the playlist's {@code EXT-X-KEY}.
 *
 * <p>Stateless and thread-safe.
 */
public final class SegmentCipher {
  private static final int BUFFER = 64 * 1024;

  private SegmentCipher() {}

  /** The IV a player derives for the segment with media sequence number {@code sequence}. */
  public static byte[] ivFor(long sequence) {
    if (sequence < 0) {
      throw new IllegalArgumentException("a media sequence number is not negative: " + sequence);
    }
    byte[] iv = new byte[16];
    for (int i = 0; i < 8; i++) {
      iv[15 - i] = (byte) (sequence >>> (8 * i));
    }
    return iv;
  }

  /** {@code iv} as an {@code EXT-X-KEY} {@code IV} attribute: {@code 0x} and 32 hex digits. */
  public static String ivAttribute(byte[] iv) {
    if (iv.length != 16) {
      throw new IllegalArgumentException("an IV has 16 bytes, not " + iv.length);
    }
    return "0x" + HexFormat.of().withUpperCase().formatHex(iv);
  }

  /** Encrypts {@code in} to {@code out} (read to its end; neither is closed). */
  public static void encrypt(ContentKey key, byte[] iv, InputStream in, OutputStream out)
      throws IOException {
    run(cipher(Cipher.ENCRYPT_MODE, key, iv), in, out);
  }

  /**
   * Decrypts {@code in} to {@code out} (read to its end; neither is closed).
   *
   * @throws HlsException when the input is not what this key and IV encrypted (bad padding or
   *     length)
   */
  public static void decrypt(ContentKey key, byte[] iv, InputStream in, OutputStream out)
      throws IOException {
    run(cipher(Cipher.DECRYPT_MODE, key, iv), in, out);
  }

  /** Encrypts file {@code source} into {@code target}, replacing it. */
  public static void encrypt(ContentKey key, byte[] iv, Path source, Path target)
      throws IOException {
    try (InputStream in = Files.newInputStream(source);
        OutputStream out = Files.newOutputStream(target)) {
      encrypt(key, iv, in, out);
    }
  }

  private static void run(Cipher cipher, InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[BUFFER];
    int n;
    while ((n = in.read(buffer)) > 0) {
      byte[] part = cipher.update(buffer, 0, n);
      if (part != null) {
        out.write(part);
      }
    }
    try {
      out.write(cipher.doFinal());
    } catch (GeneralSecurityException e) {
      throw new HlsException("the segment is not AES-128 data of this key and IV ("
          + e.getMessage() + ")", e);
    }
  }

  private static Cipher cipher(int mode, ContentKey key, byte[] iv) {
    if (iv.length != 16) {
      throw new IllegalArgumentException("an IV has 16 bytes, not " + iv.length);
    }
    try {
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding"); // PKCS7 for 16-byte blocks
      c.init(mode, new SecretKeySpec(key.bytes(), "AES"), new IvParameterSpec(iv));
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES/CBC, which every Java has", e);
    }
  }
}
