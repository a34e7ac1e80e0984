package io.hlskit.transcode.internal.rtmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hlskit.transcode.internal.rtmp.amf0.Amf0;
import io.hlskit.transcode.internal.rtmp.chunk.ChunkReader;
import io.hlskit.transcode.internal.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * The RTMP chunk reader and the AMF0 decoder on arbitrary bytes, fed in arbitrary pieces: they
 * hand on messages or throw an {@link RtmpProtocolException}, never anything else; no message
 * is longer than the limit, and what they hold stays bounded.
 *
 * <p>Replayed on {@code RtmpParsersFuzzTestInputs} with the unit tests; fuzzed with {@code
 * JAZZER_FUZZ=1} (see benchmarks/RELIABILITY.md).
 */
class RtmpParsersFuzzTest {
  private static final int MAX_MESSAGE = 64 * 1024;

  @FuzzTest(maxDuration = "30s")
  void chunksAndCommands(FuzzedDataProvider data) {
    ChunkReader reader = new ChunkReader(MAX_MESSAGE);
    List<RtmpMessage> messages = new ArrayList<>();
    ByteBuf pending = Unpooled.buffer();
    try {
      while (data.remainingBytes() > 0) {
        int piece = data.consumeInt(1, 4096);
        pending.writeBytes(data.consumeBytes(piece));
        reader.read(pending, messages::add);
        pending.discardReadBytes();
        assertThat(pending.readableBytes()).as("bytes held back for a chunk cut short")
            .isLessThanOrEqualTo(ChunkReader.MAX_CHUNK_SIZE + 18 + 4096);
      }
    } catch (RtmpProtocolException e) {
      assertThat(e.getMessage()).isNotBlank();
    } finally {
      pending.release();
    }
    for (RtmpMessage m : messages) {
      assertThat(m.payload().length).isLessThanOrEqualTo(MAX_MESSAGE);
      if (m.type() == RtmpMessage.COMMAND_AMF0 || m.type() == RtmpMessage.DATA_AMF0) {
        try {
          List<Object> values = Amf0.decodeAll(m.payload());
          // what was decoded encodes again, and reads back the same
          assertThat(Amf0.decodeAll(Amf0.encode(values.toArray()))).hasSameSizeAs(values);
        } catch (RtmpProtocolException e) {
          assertThat(e.getMessage()).isNotBlank();
        } catch (IllegalArgumentException e) {
          // a value AMF0 cannot write back (a key longer than 64 KB): not what a peer sends
          assertThat(e.getMessage()).contains("AMF0");
        }
      }
    }
  }
}
