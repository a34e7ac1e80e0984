package io.hlskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsEveryKindOfValue() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\\\"\"], \"b\": {}} ");

    assertThat(v).isEqualTo(Map.of("a", java.util.Arrays.asList(new BigDecimal("1"),
        new BigDecimal("-2.5e3"), true, false, null, "xé\n\""), "b", Map.of()));
  }

  @Test
  void refusesMalformedInputWithTheOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessageContaining("offset 7");
    assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ']'");
    assertThatThrownBy(() -> Json.parse("\"tab\there\"")).hasMessageContaining("control");
    assertThatThrownBy(() -> Json.parse("01")).hasMessageContaining("end of input");
    assertThatThrownBy(() -> Json.parse("[".repeat(100) + "]".repeat(100)))
        .hasMessageContaining("nested deeper");
    assertThatThrownBy(() -> Json.parse("")).hasMessageContaining("a value");
  }

  @Test
  void numbersTooLargeOrSmallToComputeWithAreRefused() {
    // found by fuzzing: parsed at once, then seconds of arithmetic in the reader
    assertThatThrownBy(() -> Json.parse("{\"d\":12.1e10000005}"))
        .hasMessageContaining("offset 5").hasMessageContaining("at most 100 digits");
    assertThatThrownBy(() -> Json.parse("1e-10000005")).hasMessageContaining("at most 100");
    assertThat((BigDecimal) Json.parse("1" + "0".repeat(99))).isEqualByComparingTo("1e99");
    assertThat((BigDecimal) Json.parse("1.5e-90")).isEqualByComparingTo("1.5e-90");
  }

  @Property(tries = 300)
  void stringsRoundTrip(@ForAll String s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(s, List.of(s));

    assertThat(Json.parse(Json.write(m))).isEqualTo(m);
  }
}
