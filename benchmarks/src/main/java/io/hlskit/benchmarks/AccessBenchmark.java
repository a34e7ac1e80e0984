package io.hlskit.benchmarks;

import io.hlskit.core.access.AccessDecision;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.access.AccessRequest;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import io.hlskit.server.JwtAccessPolicy;
import io.hlskit.server.JwtTokens;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the access check adds to each request, on its own: the default policy and the JWT policy
 * on a public channel (no token read), and the JWT policy on a private channel with a token
 * checked before (remembered) and with a token never seen (HS256 verified). A segment request
 * costs the server about a millisecond of CPU ({@code serving.sh}), so these say what share of
 * it access takes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessBenchmark {
  private static final String SECRET = "a-benchmark-secret-of-at-least-32-bytes";

  private final ChannelMetadata open = ChannelMetadata.builder("open").build();
  private final ChannelMetadata members = ChannelMetadata.builder("members")
      .visibility(Visibility.PRIVATE).build();
  private AccessPolicy defaultPolicy;
  private JwtAccessPolicy jwt;
  private AccessRequest anonymous;
  private AccessRequest withToken;
  private String[] fresh;
  private int next;

  @Setup
  public void setUp() {
    defaultPolicy = AccessPolicy.readOnly();
    jwt = JwtAccessPolicy.builder().hs256Secret(SECRET).build();
    anonymous = request(null);
    withToken = request(JwtTokens.hs256(SECRET).subject("bench").sign());
    // tokens the policy has not seen: each differs in its subject
    fresh = new String[200_000];
    for (int i = 0; i < fresh.length; i++) {
      fresh[i] = JwtTokens.hs256(SECRET).subject("viewer-" + i).sign();
    }
  }

  private static AccessRequest request(String token) {
    return new AccessRequest() {
      @Override
      public Optional<String> header(String name) {
        return token != null && name.equalsIgnoreCase("Authorization")
            ? Optional.of("Bearer " + token) : Optional.empty();
      }

      @Override
      public Optional<String> queryParameter(String name) {
        return Optional.empty();
      }

      @Override
      public String path() {
        return "/streams/members/360p/seg_00000.ts";
      }

      @Override
      public String remoteAddress() {
        return "127.0.0.1";
      }
    };
  }

  @Benchmark
  public AccessDecision defaultPolicyPublicChannel() {
    return defaultPolicy.mayWatch(anonymous, open);
  }

  @Benchmark
  public AccessDecision jwtPolicyPublicChannel() {
    return jwt.mayWatch(anonymous, open);
  }

  @Benchmark
  public AccessDecision jwtPolicyPrivateChannelRememberedToken() {
    return jwt.mayWatch(withToken, members);
  }

  @Benchmark
  public AccessDecision jwtPolicyPrivateChannelNewToken() {
    String token = fresh[next++ % fresh.length];
    return jwt.mayWatch(request(token), members);
  }
}
