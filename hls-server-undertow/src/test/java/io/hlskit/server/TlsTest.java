package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.contract.Eventually;
import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.server.testing.TestCertificates;
import io.hlskit.storage.fs.FileSystemMediaStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with HTTP/2 over real TLS on loopback: the protocols a client gets, the HTTP behaviours
 * (ranges, 304, gzip) over both, a certificate renewed on disk served without a restart, the
 * redirect port, and clear errors for unusable files.
 */
class TlsTest {
  @TempDir
  Path dir;

  private FileSystemMediaStore store;
  private HlsServer server;
  private TestCertificates.Pem pem;
  private final byte[] segment = new byte[188 * 700];

  @BeforeEach
  void start() {
    new Random(11).nextBytes(segment);
    store = FileSystemMediaStore.at(dir.resolve("streams"));
    try (ChannelDraft d = store.draft("canal1")) {
      StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:6\n");
      for (int i = 0; i < 50; i++) {
        playlist.append("#EXTINF:6.0,\nseg.ts\n");
      }
      d.write("playlist.m3u8", playlist.append("#EXT-X-ENDLIST\n").toString()
          .getBytes(StandardCharsets.UTF_8));
      d.write("seg.ts", segment);
      d.publish(ChannelMetadata.builder("canal1").build());
    }
    pem = TestCertificates.write(dir.resolve("cert.pem"), dir.resolve("key.pem"), "first");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    store.close();
  }

  private HlsServer tlsServer() {
    return tlsServer(HlsServer.TlsProvider.JDK);
  }

  private HlsServer tlsServer(HlsServer.TlsProvider provider) {
    server = HlsServer.builder().mediaStore(store).host("127.0.0.1").port(0)
        .tls(pem.certificate(), pem.key()).tlsProvider(provider).redirectHttpPort(0).build()
        .start();
    return server;
  }

  private static HttpClient client(SSLContext trust, HttpClient.Version version) {
    return HttpClient.newBuilder().sslContext(trust).version(version)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  private HttpResponse<byte[]> get(HttpClient http, String path, String... headers)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + server.port() + path));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The JDK's TLS and BoringSSL's (Conscrypt) alike. */
  @ParameterizedTest
  @EnumSource(HlsServer.TlsProvider.class)
  void http2ForClientsThatOfferItAndHttp11ForTheRestWithEveryBehaviour(
      HlsServer.TlsProvider provider) throws Exception {
    tlsServer(provider);
    SSLContext trust = pem.trustingIt();
    for (HttpClient.Version version : HttpClient.Version.values()) {
      HttpClient http = client(trust, version);
      HttpResponse<byte[]> whole = get(http, "/streams/canal1/seg.ts");
      assertThat(whole.version()).isEqualTo(version);
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(segment);

      // ranges, each followed on the same connection by another answer, which a range sent
      // a byte too long would corrupt
      for (int i = 0; i < 10; i++) {
        HttpResponse<byte[]> range = get(http, "/streams/canal1/seg.ts", "Range",
            "bytes=100-299");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(segment, 100, 300));
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-299/"
            + segment.length);
        assertThat(get(http, "/api/channels").statusCode()).isEqualTo(200);
      }

      String etag = whole.headers().firstValue("ETag").orElseThrow();
      assertThat(get(http, "/streams/canal1/seg.ts", "If-None-Match", etag).statusCode())
          .isEqualTo(304);

      HttpResponse<byte[]> gz = get(http, "/streams/canal1/playlist.m3u8",
          "Accept-Encoding", "gzip");
      assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");

      assertThat(get(http, "/api/channels").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void http2DataFramesOfASegmentEachFitOneTlsRecord() throws Exception {
    // the JDK puts at most 16,367 bytes of data in a TLS 1.3 record: a DATA frame larger than
    // that with its 9-byte head spills into a second record, a second encryption and write
    tlsServer();
    try (H2Connection h2 = new H2Connection(pem.trustingIt(), server.port(), true,
        0x4, 1 << 20)) { // SETTINGS_INITIAL_WINDOW_SIZE: the whole segment may come at once
      h2.windowUpdate(1 << 20);
      h2.get("/streams/canal1/seg.ts", List.of(),
          H2Connection.END_HEADERS | H2Connection.END_STREAM);
      Eventually.await(Duration.ofSeconds(10), "the whole segment",
          () -> h2.dataBytes.get() == segment.length);
      List<Integer> frames = List.copyOf(h2.dataFrameLengths);
      assertThat(frames).allSatisfy(length -> assertThat(9 + length).isLessThanOrEqualTo(16_367));
      // and full: a segment goes in as few records as it can
      assertThat(frames.size()).isLessThanOrEqualTo(segment.length / (16_367 - 9) + 2);
    }
  }

  @Test
  void aRenewedCertificateIsServedWithoutARestartAndABrokenOneIsNot() throws Exception {
    tlsServer();
    assertThat(peer()).isEqualTo(pem.x509());
    // a broken replacement (half-written key): the server keeps the certificate it has
    Files.writeString(pem.key(), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
    Thread.sleep(1_200);
    assertThat(peer()).as("still the first").isEqualTo(pem.x509());
    TestCertificates.Pem renewed =
        TestCertificates.write(pem.certificate(), pem.key(), "renewed");
    Eventually.await(Duration.ofSeconds(10), "the renewed certificate served",
        () -> {
          try {
            return peer().equals(renewed.x509());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The certificate a new connection is shown (trusting whatever the server shows). */
  private X509Certificate peer() throws Exception {
    SSLContext any = SSLContext.getInstance("TLS");
    any.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) any.getSocketFactory()
        .createSocket("127.0.0.1", server.port())) {
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void theRedirectPortAnswers308ToTheSameUrlOnHttps() throws Exception {
    tlsServer();
    HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.redirectPort() + "/streams/canal1/playlist.m3u8?session=abc")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(308);
    assertThat(r.headers().firstValue("Location")).hasValue("https://127.0.0.1:"
        + server.port() + "/streams/canal1/playlist.m3u8?session=abc");
    // and following it works
    HttpClient follow = HttpClient.newBuilder().sslContext(pem.trustingIt())
        .followRedirects(HttpClient.Redirect.ALWAYS).build();
    HttpResponse<String> followed = follow.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + server.redirectPort() + "/streams/canal1/playlist.m3u8")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(followed.statusCode()).isEqualTo(200);
    assertThat(followed.body()).startsWith("#EXTM3U");
  }

  @Test
  void keysInEveryFormCertbotAndCasWriteAreRead() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    X509Certificate cert = TestCertificates.selfSigned(pair, "rsa", "SHA256withRSA");
    TestCertificates.writePem(pem.certificate(), cert);
    TestCertificates.writePem(pem.key(), pair); // PKCS#1: BEGIN RSA PRIVATE KEY
    assertThat(Files.readString(pem.key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    tlsServer();
    assertThat(peer()).isEqualTo(cert);
    HttpClient http = client(new TestCertificates.Pem(pem.certificate(), pem.key(), cert)
        .trustingIt(), HttpClient.Version.HTTP_2);
    assertThat(get(http, "/streams/canal1/seg.ts").body()).isEqualTo(segment);
  }

  @Test
  void unusableFilesFailTheStartSayingWhichAndWhy() throws Exception {
    Path missing = dir.resolve("nothing.pem");
    assertThatThrownBy(() -> HlsServer.builder().mediaStore(store).port(0)
        .tls(missing, pem.key()).build().start())
        .isInstanceOf(HlsException.class).hasMessageContaining("nothing.pem");

    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
    assertThatThrownBy(() -> HlsServer.builder().mediaStore(store).port(0)
        .tls(garbage, pem.key()).build().start())
        .isInstanceOf(HlsException.class).hasMessageContaining("garbage.pem")
        .hasMessageContaining("no PEM certificate");

    TestCertificates.Pem other = TestCertificates.write(dir.resolve("other.pem"),
        dir.resolve("other-key.pem"), "other");
    assertThatThrownBy(() -> HlsServer.builder().mediaStore(store).port(0)
        .tls(pem.certificate(), other.key()).build().start())
        .isInstanceOf(HlsException.class).hasMessageContaining("is not the key of the certificate");

    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    Path encrypted = dir.resolve("encrypted.pem");
    TestCertificates.writePem(encrypted, new JcaPKCS8Generator(ec.generateKeyPair().getPrivate(),
        new JceOpenSSLPKCS8EncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
            .setPassword("secret".toCharArray()).build()));
    assertThatThrownBy(() -> HlsServer.builder().mediaStore(store).port(0)
        .tls(pem.certificate(), encrypted).build().start())
        .isInstanceOf(HlsException.class).hasMessageContaining("is encrypted");

    assertThatThrownBy(() -> HlsServer.builder().mediaStore(store).redirectHttpPort(0).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls(");
  }
}
