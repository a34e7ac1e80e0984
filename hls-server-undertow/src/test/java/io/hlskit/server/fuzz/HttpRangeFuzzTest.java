package io.hlskit.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hlskit.server.internal.HttpRange;

/**
 * {@code Range} headers of any shape against objects of any length: never an exception, and a
 * partial answer always lies inside the object.
 */
class HttpRangeFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void rangesStayInsideTheObject(FuzzedDataProvider data) {
    long length = data.consumeLong(0, Long.MAX_VALUE / 2);
    String header = data.consumeRemainingAsString();
    HttpRange.Parsed parsed = HttpRange.parse(header, length);
    assertThat(parsed).isNotNull();
    switch (parsed.kind()) {
      case PARTIAL -> {
        HttpRange r = parsed.range().orElseThrow();
        assertThat(r.start()).isBetween(0L, length - 1);
        assertThat(r.end()).isBetween(r.start(), length - 1);
        assertThat(r.length()).isEqualTo(r.end() - r.start() + 1);
      }
      default -> assertThat(parsed.range()).isEmpty();
    }
  }
}
