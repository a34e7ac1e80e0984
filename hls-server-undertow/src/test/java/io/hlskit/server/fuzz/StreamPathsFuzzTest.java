package io.hlskit.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hlskit.server.internal.StreamPaths;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Request paths under {@code /streams} as an attacker writes them, decoded the way a server
 * would: whatever comes back as a key is {@code channel/file...} of plain segments and, resolved
 * under a store's folder, stays inside it.
 */
class StreamPathsFuzzTest {
  private static final Path ROOT = Path.of("/srv/streams");

  @FuzzTest(maxDuration = "30s")
  void keysNeverLeaveTheStore(FuzzedDataProvider data) {
    String raw = data.consumeRemainingAsString();
    String decoded;
    try {
      decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = raw; // a server refuses what it cannot decode; take it literally instead
    }
    Optional<String> key = StreamPaths.key("/streams" + raw, decoded);
    if (key.isEmpty()) {
      return;
    }
    String k = key.get();
    assertThat(k).doesNotStartWith("/").doesNotContain("\\", "\u0000", "//");
    assertThat(k.split("/")).hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(segment -> assertThat(segment).isNotEmpty().doesNotStartWith("."));
    Path resolved = ROOT.resolve(k).normalize();
    assertThat(resolved.startsWith(ROOT)).as("%s stays in %s", resolved, ROOT).isTrue();
    assertThat(resolved).isNotEqualTo(ROOT);
  }
}
