package io.hlskit.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.util.DateUtils;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
  @Test
  void datesAreImfFixdatesAsUndertowWritesThem() {
    assertThat(HttpDates.format(Instant.parse("1994-11-06T08:49:37.250Z")))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    for (String s : new String[] {"2026-01-01T00:00:00Z", "2026-11-28T15:22:29Z",
        "2000-02-29T23:59:59Z", "2026-11-28T15:22:29Z"}) {
      Instant i = Instant.parse(s);
      assertThat(HttpDates.format(i)).isEqualTo(DateUtils.toDateString(Date.from(i)));
      assertThat(DateUtils.parseDate(HttpDates.format(i))).isEqualTo(Date.from(i));
    }
  }
}
