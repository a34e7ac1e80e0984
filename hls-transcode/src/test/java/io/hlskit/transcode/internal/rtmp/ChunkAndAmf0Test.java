package io.hlskit.transcode.internal.rtmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.transcode.internal.rtmp.amf0.Amf0;
import io.hlskit.transcode.internal.rtmp.amf0.Amf0Exception;
import io.hlskit.transcode.internal.rtmp.chunk.ChunkReader;
import io.hlskit.transcode.internal.rtmp.chunk.ChunkWriter;
import io.hlskit.transcode.internal.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The chunk layer and AMF0, each alone: what one side writes the other reads, limits hold. */
class ChunkAndAmf0Test {
  @Test
  void messagesSplitIntoChunksReadBackWholeInAnyPieces() {
    ChunkWriter writer = new ChunkWriter();
    writer.chunkSize(100);
    ByteBuf wire = Unpooled.buffer();
    byte[] big = new byte[1000];
    new Random(1).nextBytes(big);
    // a chunk size first, as publishers send, then media on two streams and a far timestamp
    writer.write(RtmpMessage.control(RtmpMessage.SET_CHUNK_SIZE, 100), wire);
    writer.write(new RtmpMessage(RtmpMessage.VIDEO, 1, 40, 6, big), wire);
    writer.write(new RtmpMessage(RtmpMessage.AUDIO, 1, 0x1_0000_0000L - 5, 400, new byte[] {1, 2}),
        wire);
    writer.write(new RtmpMessage(RtmpMessage.VIDEO, 1, 80, 65_599, new byte[300]), wire);
    byte[] bytes = new byte[wire.readableBytes()];
    wire.readBytes(bytes);
    for (int piece : new int[] {1, 7, 129, bytes.length}) {
      ChunkReader reader = new ChunkReader(1 << 20);
      List<RtmpMessage> got = new ArrayList<>();
      ByteBuf in = Unpooled.buffer();
      for (int i = 0; i < bytes.length; i += piece) {
        in.writeBytes(bytes, i, Math.min(piece, bytes.length - i));
        reader.read(in, got::add);
        in.discardReadBytes();
      }
      assertThat(got).hasSize(4);
      assertThat(reader.chunkSize()).isEqualTo(100);
      assertThat(got.get(1).payload()).isEqualTo(big);
      assertThat(got.get(1).timestamp()).isEqualTo(40);
      assertThat(got.get(2).timestamp()).isEqualTo(0xFFFF_FFFBL);
      assertThat(got.get(2).chunkStream()).isEqualTo(400);
      assertThat(got.get(3).chunkStream()).isEqualTo(65_599);
      assertThat(got.get(3).payload()).hasSize(300);
    }
  }

  @Test
  void absurdChunkSizesAndOversizedMessagesAreRefused() {
    ChunkWriter writer = new ChunkWriter();
    ByteBuf wire = Unpooled.buffer();
    writer.write(RtmpMessage.control(RtmpMessage.SET_CHUNK_SIZE, 0x7FFF_FFFFL), wire);
    assertThatThrownBy(() -> new ChunkReader(1 << 20).read(wire, m -> { }))
        .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("chunk size");
    ByteBuf huge = Unpooled.buffer();
    writer.write(new RtmpMessage(RtmpMessage.VIDEO, 1, 0, 6, new byte[2048]), huge);
    assertThatThrownBy(() -> new ChunkReader(1024).read(huge, m -> { }))
        .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("more than the 1024");
    ByteBuf continuation = Unpooled.wrappedBuffer(new byte[] {(byte) 0xC6, 1, 2, 3});
    assertThatThrownBy(() -> new ChunkReader(1024).read(continuation, m -> { }))
        .isInstanceOf(RtmpProtocolException.class).hasMessageContaining("full header");
  }

  @Test
  void amf0CommandsRoundTripAndBadBytesSayWhy() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("app", "live");
    props.put("tcUrl", "rtmp://127.0.0.1/live");
    props.put("fpad", false);
    props.put("list", List.of(1.0, "two", Amf0.NULL));
    byte[] bytes = Amf0.encode("connect", 1.0, props, Amf0.UNDEFINED);
    assertThat(Amf0.decodeAll(bytes)).containsExactly("connect", 1.0, props, Amf0.UNDEFINED);
    assertThatThrownBy(() -> Amf0.decodeAll(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(Amf0Exception.class).hasMessageContaining("cut short");
    byte[] deep = new byte[200];
    Arrays.fill(deep, (byte) 0x0A); // strict arrays in strict arrays...
    assertThatThrownBy(() -> Amf0.decodeAll(deep)).isInstanceOf(Amf0Exception.class);
    assertThatThrownBy(() -> Amf0.decodeAll(new byte[] {0x11}))
        .hasMessageContaining("AMF3");
  }

  @Test
  void theStreamKeyGivesChannelAndCredentials() {
    PublishRequest r = PublishRequest.of("live", "news?key=ab%2Fc&token=", "1.2.3.4:5");
    assertThat(r.channel()).isEqualTo("news");
    assertThat(r.key()).hasValue("ab/c");
    assertThat(r.token()).isEmpty();
    PublishRequest obs = PublishRequest.of("live?key=k1", "news", "1.2.3.4:5");
    assertThat(obs.app()).isEqualTo("live");
    assertThat(obs.key()).hasValue("k1");
  }

  /** Seeds for the fuzz target: a publisher's real opening, chunked as FFmpeg sends it. */
  @Test
  void seedCorpusHoldsAPublisherOpening() throws Exception {
    Path folder = Path.of("src/test/resources/io/hlskit/transcode/internal/rtmp/"
        + "RtmpParsersFuzzTestInputs/chunksAndCommands");
    ChunkWriter writer = new ChunkWriter();
    ByteBuf wire = Unpooled.buffer();
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("app", "live");
    props.put("type", "nonprivate");
    props.put("tcUrl", "rtmp://127.0.0.1:1935/live");
    writer.write(new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0, 3,
        Amf0.encode("connect", 1.0, props)), wire);
    writer.write(RtmpMessage.control(RtmpMessage.SET_CHUNK_SIZE, 4096), wire);
    writer.chunkSize(4096);
    writer.write(new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, 0, 3,
        Amf0.encode("createStream", 2.0, Amf0.NULL)), wire);
    writer.write(new RtmpMessage(RtmpMessage.COMMAND_AMF0, 1, 0, 8,
        Amf0.encode("publish", 3.0, Amf0.NULL, "news?key=0123", "live")), wire);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("width", 640.0);
    meta.put("height", 360.0);
    meta.put("videocodecid", 7.0);
    writer.write(new RtmpMessage(RtmpMessage.DATA_AMF0, 1, 0, 4,
        Amf0.encode("@setDataFrame", "onMetaData", meta)), wire);
    writer.write(new RtmpMessage(RtmpMessage.VIDEO, 1, 0, 6, new byte[] {0x17, 0, 0, 0, 0}),
        wire);
    byte[] seed = new byte[wire.readableBytes()];
    wire.readBytes(seed);
    Path file = folder.resolve("publisher-opening");
    if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), seed)) {
      Files.createDirectories(folder);
      Files.write(file, seed);
    }
    List<RtmpMessage> got = new ArrayList<>();
    new ChunkReader(1 << 20).read(Unpooled.wrappedBuffer(seed), got::add);
    assertThat(got).hasSize(6);
  }
}
