package io.hlskit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.hlskit.core.access.AccessDecision;
import io.hlskit.core.access.AccessDecision.Outcome;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JWT policy against real tokens made with Nimbus and a corpus of hostile ones: every bad
 * token is refused with 401 and a reason that names the problem without repeating the token.
 */
class JwtAccessPolicyTest {
  static final String SECRET = "a-secret-of-at-least-thirty-two-bytes-for-hs256";
  private static final ChannelMetadata PUBLIC = ChannelMetadata.builder("open").build();
  private static final ChannelMetadata PRIVATE = ChannelMetadata.builder("members")
      .visibility(Visibility.PRIVATE).build();
  private static final String PLAYLIST = "/streams/members/playlist.m3u8";

  private static RSAKey rsa;
  private static ECKey ec;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
  }

  private static final JwtAccessPolicy HS = JwtAccessPolicy.builder().hs256Secret(SECRET)
      .issuer("https://id.example.com").audience("hlskit").adminToken("static-admin-token")
      .build();

  /** A token with the claims the HS policy wants, changed by {@code edit}. */
  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().subject("alice").claim("name", "Alice")
        .issuer("https://id.example.com").audience("hlskit")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
  }

  static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid)
        .type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  static String hs(Consumer<JWTClaimsSet.Builder> edit) throws Exception {
    JWTClaimsSet.Builder b = claims();
    edit.accept(b);
    return sign(new MACSigner(SECRET), JWSAlgorithm.HS256, null, b.build());
  }

  private static AccessDecision watch(String token) {
    return HS.mayWatch(Requests.bearer(PLAYLIST, token), PRIVATE);
  }

  @Test
  void aValidTokenWatchesPrivateChannelsAndChatsUnderItsName() throws Exception {
    String token = hs(b -> {});
    assertThat(watch(token).allowed()).isTrue();
    AccessRequest byQuery = Requests.of(PLAYLIST, Map.of(), Map.of("token", token));
    assertThat(HS.mayWatch(byQuery, PRIVATE).allowed()).isTrue();
    assertThat(HS.mayChat(Requests.bearer("/ws/chat", token), PRIVATE).allowed()).isTrue();
    assertThat(HS.chatName(Requests.bearer("/ws/chat", token))).contains("Alice");
    VerifiedToken v = HS.verify(token);
    assertThat(v.subject()).contains("alice");
    assertThat(v.isAdmin()).isFalse();
  }

  @Test
  void publicChannelsNeedNoTokenAndPrivateOnesRefuseWithout() {
    assertThat(HS.mayWatch(Requests.anonymous("/streams/open/playlist.m3u8"), PUBLIC).allowed())
        .isTrue();
    // a public channel's viewer is never asked for a token, even a broken one
    assertThat(HS.mayWatch(Requests.bearer("/streams/open/seg.ts", "garbage"), PUBLIC).allowed())
        .isTrue();
    AccessDecision none = HS.mayWatch(Requests.anonymous(PLAYLIST), PRIVATE);
    assertThat(none.outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(none.reason()).contains("private", "Authorization: Bearer");
    assertThat(HS.mayChat(Requests.anonymous("/ws/chat"), PRIVATE).outcome())
        .isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(HS.mayChat(Requests.anonymous("/ws/chat"), PUBLIC).allowed()).isTrue();
  }

  @Test
  void theQueryTokenCountsOnlyWherePlayersCannotSendHeaders() throws Exception {
    String admin = hs(b -> b.claim("roles", List.of("admin")));
    assertThat(HS.mayUpload(Requests.of("/api/channels", Map.of(), Map.of("token", admin)))
        .outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(HS.mayWatch(Requests.of("/api/keys/members/k1", Map.of(), Map.of("token", admin)),
        PRIVATE).allowed()).isTrue();
  }

  @Test
  void uploadsNeedTheAdminRoleOrTheStaticToken() throws Exception {
    assertThat(HS.mayUpload(Requests.bearer("/api/channels", hs(b -> {}))).outcome())
        .isEqualTo(Outcome.FORBIDDEN);
    assertThat(HS.mayDelete(Requests.bearer("/api/channels/x", hs(b -> {})), "x").outcome())
        .isEqualTo(Outcome.FORBIDDEN);
    String admin = hs(b -> b.claim("roles", List.of("viewer", "admin")));
    assertThat(HS.mayUpload(Requests.bearer("/api/channels", admin)).allowed()).isTrue();
    assertThat(HS.mayModerate(Requests.bearer("/api/channels/members/chat", admin), PRIVATE)
        .allowed()).isTrue();
    assertThat(HS.mayUpload(Requests.bearer("/api/channels", "static-admin-token")).allowed())
        .isTrue();
    assertThat(HS.mayWatch(Requests.bearer(PLAYLIST, "static-admin-token"), PRIVATE).allowed())
        .isTrue();
    assertThat(HS.mayUpload(Requests.anonymous("/api/channels")).outcome())
        .isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(HS.mayUpload(Requests.bearer("/api/channels", "static-admin-tokeN")).outcome())
        .isEqualTo(Outcome.UNAUTHENTICATED);
  }

  @Test
  void chatRequiresLoginWhenAsked() throws Exception {
    JwtAccessPolicy strict = JwtAccessPolicy.builder().hs256Secret(SECRET)
        .chatRequiresLogin(true).build();
    assertThat(strict.mayChat(Requests.anonymous("/ws/chat"), PUBLIC).outcome())
        .isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(strict.mayChat(Requests.bearer("/ws/chat", hs(b -> {})), PUBLIC).allowed())
        .isTrue();
    // and anonymous chat elsewhere still refuses a bad token instead of ignoring it
    assertThat(HS.mayChat(Requests.bearer("/ws/chat", "x.y.z"), PUBLIC).outcome())
        .isEqualTo(Outcome.UNAUTHENTICATED);
  }

  static Stream<Arguments> hostileTokens() throws Exception {
    String good = hs(b -> {});
    String[] parts = good.split("\\.");
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String noneHeader = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
        .getBytes(StandardCharsets.UTF_8));
    return Stream.of(
        Arguments.of("alg none", new PlainJWT(claims().build()).serialize(), "rejected"),
        Arguments.of("alg none, signature kept", noneHeader + "." + parts[1] + "." + parts[2],
            "not a JSON Web Token"),
        Arguments.of("wrong secret", sign(new MACSigner(SECRET.replace('a', 'b')),
            JWSAlgorithm.HS256, null, claims().build()), "signature"),
        Arguments.of("payload changed, signature kept", parts[0] + "."
            + b64.encodeToString(claims().subject("mallory").build().toString()
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[2], "signature"),
        Arguments.of("RS256 on an HS256 server", sign(new RSASSASigner(rsa), JWSAlgorithm.RS256,
            "rsa-1", claims().build()), "rejected"),
        Arguments.of("expired beyond the skew", hs(b -> b.expirationTime(
            Date.from(Instant.now().minusSeconds(120)))), "Expired"),
        Arguments.of("not yet valid", hs(b -> b.notBeforeTime(
            Date.from(Instant.now().plusSeconds(120)))), "before"),
        Arguments.of("no exp", hs(b -> b.expirationTime(null)), "exp"),
        Arguments.of("wrong issuer", hs(b -> b.issuer("https://evil.example.com")), "iss"),
        Arguments.of("wrong audience", hs(b -> b.audience("someone-else")), "aud"),
        Arguments.of("no audience", hs(b -> b.audience((String) null)), "aud"),
        Arguments.of("truncated", good.substring(0, good.length() - 10), "signature"),
        Arguments.of("two parts", parts[0] + "." + parts[1], "not a JSON Web Token"),
        Arguments.of("not base64", "!!!." + parts[1] + "." + parts[2], "not a JSON Web Token"),
        Arguments.of("not JSON", b64.encodeToString("hello".getBytes(StandardCharsets.UTF_8))
            + "." + parts[1] + "." + parts[2], "not a JSON Web Token"),
        Arguments.of("64 KB long", "a".repeat(64 * 1024), "longer than"),
        Arguments.of("roles not strings", hs(b -> b.claim("roles", 42)), "wrong types"),
        Arguments.of("empty", ".", "not a JSON Web Token"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileTokens")
  void hostileTokensAreRefusedWith401AndAReason(String what, String token, String reason) {
    AccessDecision d = watch(token);
    assertThat(d.outcome()).as(what).isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(d.reason()).as(what).containsIgnoringCase(reason).hasSizeLessThan(400);
    if (token.length() > 20) {
      assertThat(d.reason()).as(what).doesNotContain(token);
    }
    assertThat(HS.mayUpload(Requests.bearer("/api/channels", token)).outcome()).as(what)
        .isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(HS.chatName(Requests.bearer("/ws/chat", token))).as(what).isEmpty();
  }

  @Test
  void aTokenExpiredWithinTheSkewStillCounts() throws Exception {
    assertThat(watch(hs(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(10)))))
        .allowed()).isTrue();
  }

  @Test
  void aJwksServerRefusesHmacTokensSignedWithItsPublicKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
    JwtAccessPolicy policy = JwtAccessPolicy.builder().jwksFile(file).build();
    JWTClaimsSet c = claims().build();
    assertThat(policy.mayWatch(Requests.bearer(PLAYLIST, sign(new RSASSASigner(rsa),
        JWSAlgorithm.RS256, "rsa-1", c)), PRIVATE).allowed()).isTrue();
    assertThat(policy.mayWatch(Requests.bearer(PLAYLIST, sign(new ECDSASigner(ec),
        JWSAlgorithm.ES256, "ec-1", c)), PRIVATE).allowed()).isTrue();
    // the classic confusion: the public key, known to all, used as an HMAC secret
    for (byte[] publicBytes : List.of(rsa.toPublicJWK().toJSONString()
        .getBytes(StandardCharsets.UTF_8), rsa.toRSAPublicKey().getEncoded())) {
      String confused = sign(new MACSigner(pad(publicBytes)), JWSAlgorithm.HS256, "rsa-1", c);
      AccessDecision d = policy.mayWatch(Requests.bearer(PLAYLIST, confused), PRIVATE);
      assertThat(d.outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
    }
    // an RS256 token from a key not in the set
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    assertThat(policy.mayWatch(Requests.bearer(PLAYLIST, sign(new RSASSASigner(stranger),
        JWSAlgorithm.RS256, "rsa-1", c)), PRIVATE).outcome())
        .isEqualTo(Outcome.UNAUTHENTICATED);
  }

  private static byte[] pad(byte[] b) {
    return b.length >= 32 ? b : java.util.Arrays.copyOf(b, 32);
  }

  @Test
  void aRewrittenJwksFileBringsNewKeysIn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, new JWKSet(rsa.toPublicJWK()).toString());
    JwtAccessPolicy policy = JwtAccessPolicy.builder().jwksFile(file).build();
    RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    String withNext = sign(new RSASSASigner(next), JWSAlgorithm.RS256, "rsa-2", claims().build());
    assertThat(policy.mayWatch(Requests.bearer(PLAYLIST, withNext), PRIVATE).allowed()).isFalse();

    Files.writeString(file, new JWKSet(List.<JWK>of(rsa.toPublicJWK(), next.toPublicJWK()))
        .toString());
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
    assertThat(policy.mayWatch(Requests.bearer(PLAYLIST, withNext), PRIVATE).allowed()).isTrue();

    // a broken rewrite keeps the last good set in use
    Files.writeString(file, "{ not json");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(4)));
    String another = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1",
        claims().subject("bob").build());
    assertThat(policy.mayWatch(Requests.bearer(PLAYLIST, another), PRIVATE).allowed()).isTrue();
  }

  @Test
  void aJwksUrlIsFetchedAgainWhenATokenNamesANewKey() throws Exception {
    AtomicReference<String> served = new AtomicReference<>(new JWKSet(rsa.toPublicJWK())
        .toString());
    AtomicInteger fetches = new AtomicInteger();
    HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwks.start();
    try {
      JwtAccessPolicy policy = JwtAccessPolicy.builder().jwks(URI.create("http://127.0.0.1:"
          + jwks.getAddress().getPort() + "/jwks.json")).build();
      String first = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims().build());
      assertThat(policy.mayWatch(Requests.bearer(PLAYLIST, first), PRIVATE).allowed()).isTrue();
      assertThat(fetches.get()).isEqualTo(1);

      RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
      served.set(new JWKSet(List.<JWK>of(rsa.toPublicJWK(), next.toPublicJWK())).toString());
      String second = sign(new RSASSASigner(next), JWSAlgorithm.RS256, "rsa-2",
          claims().build());
      // the set is cached: an unknown key id makes it fetched again, at most every 5 s
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      boolean allowed = false;
      while (!allowed && System.nanoTime() < deadline) {
        allowed = policy.mayWatch(Requests.bearer(PLAYLIST, second), PRIVATE).allowed();
        if (!allowed) {
          Thread.sleep(500);
        }
      }
      assertThat(allowed).as("the new key id is accepted after the set changed").isTrue();
      assertThat(fetches.get()).isBetween(2, 4);
    } finally {
      jwks.stop(0);
    }
  }

  @Test
  void badConfigurationIsRefusedWithWhatToDo(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> JwtAccessPolicy.builder().hs256Secret("short"))
        .hasMessageContaining("at least 32");
    assertThatThrownBy(() -> JwtAccessPolicy.builder().build())
        .hasMessageContaining("secret or a JWK set");
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[]");
    assertThatThrownBy(() -> JwtAccessPolicy.builder().jwksFile(bad))
        .hasMessageContaining("keys");
    assertThatThrownBy(() -> JwtAccessPolicy.builder().jwks(URI.create("ftp://x/jwks")))
        .hasMessageContaining("http");
  }

  @Test
  void tokensMadeByJwtTokensAreAccepted() {
    String token = JwtTokens.hs256(SECRET).subject("bob").name("Bob").role("admin")
        .issuer("https://id.example.com").audience("hlskit").ttl(Duration.ofMinutes(5)).sign();
    VerifiedToken v = HS.verify(token);
    assertThat(v.name()).contains("Bob");
    assertThat(v.isAdmin()).isTrue();
    assertThat(v.expiresAt()).isBetween(Instant.now().plusSeconds(290),
        Instant.now().plusSeconds(301));
    assertThatThrownBy(() -> HS.verify(JwtTokens.hs256(SECRET).sign()))
        .isInstanceOf(InvalidTokenException.class);
  }
}
