package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;

/**
 * TLS contexts of BoringSSL through Conscrypt, an optional dependency: this class alone names
 * it, so that a server without it on the classpath never loads it.
 */
final class ConscryptTls {
  private ConscryptTls() {}

  /** Fails, saying what to add, when Conscrypt or its natives are not there. */
  static void require() {
    try {
      Class.forName("org.conscrypt.Conscrypt");
      if (!org.conscrypt.Conscrypt.isAvailable()) {
        throw new HlsException("Conscrypt is on the classpath but its native library did not"
            + " load on this platform; use the JDK's TLS (tlsProvider JDK)");
      }
    } catch (ClassNotFoundException | LinkageError e) {
      throw new HlsException("the TLS provider conscrypt needs org.conscrypt:"
          + "conscrypt-openjdk-uber on the classpath; add it, or use the JDK's TLS", e);
    }
  }

  /** A TLS context of Conscrypt's own provider (not installed in the JVM's list). */
  static SSLContext context() throws NoSuchAlgorithmException {
    return SSLContext.getInstance("TLS", org.conscrypt.Conscrypt.newProvider());
  }
}
