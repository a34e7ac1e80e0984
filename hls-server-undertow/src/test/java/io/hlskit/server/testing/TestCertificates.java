package io.hlskit.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates for tests over HTTPS: for {@code localhost} and 127.0.0.1, written as
 * PEM files the way certbot writes them, with an {@link SSLContext} that trusts exactly them.
 */
public final class TestCertificates {
  private TestCertificates() {}

  /** A certificate and key as PEM files, and the certificate. */
  public record Pem(Path certificate, Path key, X509Certificate x509) {
    /** A client context that trusts this certificate alone. */
    public SSLContext trustingIt() {
      try {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test", x509);
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Writes a new EC P-256 certificate named {@code commonName} and its PKCS#8 key to {@code
   * certificate} and {@code key} (replacing them).
   */
  public static Pem write(Path certificate, Path key, String commonName) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = g.generateKeyPair();
      X509Certificate x509 = selfSigned(pair, commonName, "SHA256withECDSA");
      writePem(certificate, x509);
      writePem(key, new JcaPKCS8Generator(pair.getPrivate(), null));
      return new Pem(certificate, key, x509);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed certificate of {@code pair} for localhost and 127.0.0.1, valid a day. */
  public static X509Certificate selfSigned(KeyPair pair, String commonName, String signature)
      throws GeneralSecurityException, IOException {
    X500Name name = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
        new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress,
                InetAddress.getLoopbackAddress().getHostAddress())}));
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /**
   * Writes {@code object} (a certificate; a key pair, as PKCS#1 or SEC1; a PKCS#8 generator) in
   * PEM, replacing the file at once.
   */
  public static void writePem(Path file, Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      if (object instanceof org.bouncycastle.util.io.pem.PemObjectGenerator g) {
        pem.writeObject(g);
      } else {
        pem.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "pem", ".tmp");
      Files.writeString(tmp, text.toString());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
