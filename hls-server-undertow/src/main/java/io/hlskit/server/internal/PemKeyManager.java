package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate chain and private key, read from PEM files (as certbot and most CAs
 * hand them out: the key in PKCS#8, PKCS#1 or SEC1 form, unencrypted) and read again when either
 * file changes on disk: a renewed certificate is served from the next handshake on, without a
 * restart. A replacement that cannot be read (half-written, mismatched) is logged and the one in
 * use stays until a good one arrives.
 */
public final class PemKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(PemKeyManager.class);
  /** Aliases name the load, so that a handshake during a reload gets one pair, not a mix. */
  private static final String ALIAS = "hlskit-";
  /** How often handshakes look at the files (two file stats). */
  private static final long CHECK_NANOS = 1_000_000_000L;

  private final Path certificateFile;
  private final Path keyFile;
  private volatile Loaded current;
  /** The pair before {@link #current}, for handshakes that chose it just before a reload. */
  private volatile Loaded previous;
  private int loads;
  private volatile long checkedAt;

  private record Stamp(long certificateModified, long certificateSize, long keyModified,
      long keySize) {}

  private final boolean conscrypt;

  private record Loaded(X509Certificate[] chain, PrivateKey key, Stamp stamp, String alias) {}

  /**
   * Reads both files now.
   *
   * @throws HlsException saying which file is wrong and how, when either cannot be used
   */
  public PemKeyManager(Path certificateFile, Path keyFile) {
    this(certificateFile, keyFile, false);
  }

  /**
   * Reads both files now; its TLS contexts are BoringSSL's (Conscrypt) with {@code conscrypt}.
   *
   * @throws HlsException saying which file is wrong and how, when either cannot be used, or
   *     that Conscrypt is not on the classpath
   */
  public PemKeyManager(Path certificateFile, Path keyFile, boolean conscrypt) {
    this.conscrypt = conscrypt;
    if (conscrypt) {
      ConscryptTls.require();
    }
    this.certificateFile = Objects.requireNonNull(certificateFile, "certificateFile");
    this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
    this.current = load();
    this.checkedAt = System.nanoTime();
  }

  /** A TLS context serving this key manager's certificate. */
  public SSLContext sslContext() {
    try {
      SSLContext context = conscrypt ? ConscryptTls.context() : SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {this}, null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new HlsException("this JVM cannot make a TLS context: " + e.getMessage(), e);
    }
  }

  /** The certificate served now (the first of the chain). */
  public X509Certificate certificate() {
    return fresh().chain()[0];
  }

  private Loaded fresh() {
    long now = System.nanoTime();
    if (now - checkedAt > CHECK_NANOS) {
      checkedAt = now;
      reloadIfChanged();
    }
    return current;
  }

  private synchronized void reloadIfChanged() {
    Stamp stamp;
    try {
      stamp = stamp();
    } catch (IOException e) {
      LOG.warn("cannot read {} or {} ({}); still serving the certificate read before",
          certificateFile, keyFile, e.toString());
      return;
    }
    if (stamp.equals(current.stamp())) {
      return;
    }
    try {
      Loaded next = load();
      previous = current;
      current = next;
      LOG.info("TLS certificate read again from {}: {}, valid until {}", certificateFile,
          next.chain()[0].getSubjectX500Principal().getName(), next.chain()[0].getNotAfter());
    } catch (HlsException e) {
      LOG.warn("{}; still serving the certificate read before", e.getMessage());
    }
  }

  private Stamp stamp() throws IOException {
    BasicFileAttributes c = Files.readAttributes(certificateFile, BasicFileAttributes.class);
    BasicFileAttributes k = Files.readAttributes(keyFile, BasicFileAttributes.class);
    return new Stamp(c.lastModifiedTime().toMillis(), c.size(), k.lastModifiedTime().toMillis(),
        k.size());
  }

  private Loaded load() {
    Stamp stamp;
    try {
      stamp = stamp();
    } catch (IOException e) {
      throw new HlsException("cannot read the TLS files " + certificateFile + " and " + keyFile
          + ": " + e.getMessage(), e);
    }
    X509Certificate[] chain = readChain(certificateFile);
    PrivateKey key = readKey(keyFile);
    if (!matches(key, chain[0].getPublicKey())) {
      throw new HlsException("the private key in " + keyFile + " is not the key of the"
          + " certificate in " + certificateFile + "; give the key the certificate was issued"
          + " for");
    }
    return new Loaded(chain, key, stamp, ALIAS + loads++);
  }

  private static X509Certificate[] readChain(Path file) {
    List<X509Certificate> chain = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(in)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      Object o;
      while ((o = pem.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new HlsException("cannot read the certificate in " + file + " (" + e.getMessage()
          + "); give a PEM file with the server's certificate first, then its chain", e);
    }
    if (chain.isEmpty()) {
      throw new HlsException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----);"
          + " give the server's certificate, then its chain");
    }
    return chain.toArray(X509Certificate[]::new);
  }

  private static PrivateKey readKey(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(in)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      Object o;
      while ((o = pem.readObject()) != null) {
        if (o instanceof PEMKeyPair pair) { // PKCS#1 (RSA) or SEC1 (EC)
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PrivateKeyInfo info) { // PKCS#8
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new HlsException("the private key in " + file + " is encrypted; give it"
              + " unencrypted (openssl pkey -in " + file + " -out key.pem), readable only by"
              + " the server's user");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof HlsException h) {
        throw h;
      }
      throw new HlsException("cannot read the private key in " + file + " (" + e.getMessage()
          + "); give a PEM private key (-----BEGIN PRIVATE KEY-----)", e);
    }
    throw new HlsException(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----,"
        + " RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  /** Whether {@code key} signs what {@code publicKey} verifies. */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448
    };
    try {
      byte[] probe = "hlskit".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private Loaded byAlias(String alias) {
    Loaded c = current;
    if (c.alias().equals(alias)) {
      return c;
    }
    Loaded p = previous;
    return p != null && p.alias().equals(alias) ? p : null;
  }

  /** Whether the JDK's {@code keyType} (RSA, RSASSA-PSS, EC, EdDSA...) suits {@code key}. */
  private static boolean suits(String keyType, PrivateKey key) {
    String a = key.getAlgorithm();
    return keyType == null || keyType.startsWith(a)
        || ("RSA".equals(a) && "RSASSA-PSS".equals(keyType))
        || (a.startsWith("Ed") && "EdDSA".equals(keyType))
        || ("EdDSA".equals(a) && keyType.startsWith("Ed"));
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    Loaded c = fresh();
    return suits(keyType, c.key()) ? new String[] {c.alias()} : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    Loaded c = fresh();
    return suits(keyType, c.key()) ? c.alias() : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return chooseServerAlias(keyType, issuers, null);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Loaded l = byAlias(alias);
    return l == null ? null : l.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Loaded l = byAlias(alias);
    return l == null ? null : l.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null; // a server's key manager
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
