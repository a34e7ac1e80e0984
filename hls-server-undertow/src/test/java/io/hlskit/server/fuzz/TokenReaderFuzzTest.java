package io.hlskit.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import io.hlskit.server.InvalidTokenException;
import io.hlskit.server.JwtAccessPolicy;
import io.hlskit.server.VerifiedToken;
import java.nio.charset.StandardCharsets;

/**
 * The token reader against what an attacker sends: any text is refused with an {@link
 * InvalidTokenException} whose reason is short, printable and does not repeat the token; and
 * tokens with a real signature over a fuzzed header and claims (as a compromised or careless
 * issuer might make) are read or refused the same way, never with another exception.
 */
class TokenReaderFuzzTest {
  private static final String SECRET = "a-fuzzing-secret-of-at-least-thirty-two-bytes";
  private static final JwtAccessPolicy POLICY = JwtAccessPolicy.builder().hs256Secret(SECRET)
      .build();

  @FuzzTest(maxDuration = "30s")
  void anyTextIsRefusedCleanly(FuzzedDataProvider data) {
    String token = data.consumeRemainingAsString();
    try {
      POLICY.verify(token);
      throw new AssertionError("a token without the secret's signature was accepted: " + token);
    } catch (InvalidTokenException e) {
      checkReason(e, token);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void signedClaimsOfAnyShapeAreReadOrRefusedCleanly(FuzzedDataProvider data) throws Exception {
    String header = data.pickValue(new String[] {"{\"alg\":\"HS256\"}",
        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}",
        "{\"alg\":\"HS256\",\"typ\":\"JOSE+JSON\"}", "{\"alg\":\"HS256\",\"kid\":\"\\u0000\"}"});
    String claims = data.consumeRemainingAsString();
    String signingInput = Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
        + Base64URL.encode(claims.getBytes(StandardCharsets.UTF_8));
    Base64URL signature = new MACSigner(SECRET).sign(
        new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
        signingInput.getBytes(StandardCharsets.US_ASCII));
    String token = signingInput + "." + signature;
    try {
      VerifiedToken v = POLICY.verify(token);
      assertThat(v.expiresAt()).isNotNull();
      assertThat(v.roles()).doesNotContainNull();
    } catch (InvalidTokenException e) {
      checkReason(e, token);
    }
  }

  private static void checkReason(InvalidTokenException e, String token) {
    String reason = e.getMessage();
    assertThat(reason).isNotBlank().hasSizeLessThan(400);
    assertThat(reason.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).as(reason).isTrue();
    if (token.length() >= 24) {
      assertThat(reason).doesNotContain(token);
    }
  }
}
