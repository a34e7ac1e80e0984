package io.hlskit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hlskit.core.StorageException;
import io.hlskit.core.channel.ChannelMetadata;

/**
 * {@code channel.json} as anyone with write access to a store could leave it: read, or refused
 * with a {@link StorageException} that says what is wrong; what is read writes back the same.
 */
class ChannelMetadataFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void readsOrSaysWhatIsWrong(FuzzedDataProvider data) {
    String json = data.consumeRemainingAsString();
    ChannelMetadata metadata;
    try {
      metadata = ChannelMetadata.fromJson(json);
    } catch (StorageException e) {
      assertThat(e.getMessage()).startsWith("invalid channel.json");
      return;
    }
    assertThat(ChannelMetadata.fromJson(metadata.toJson())).isEqualTo(metadata);
  }
}
