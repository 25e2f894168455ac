package io.frameguard.stream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.config.RegistrySettings;
import io.frameguard.stream.serde.registry.RegistryUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

public class ConfluentWireFormatTest {
    private final RegistryStub registry = stub();
    private final RegistrySettings settings = new RegistrySettings(registry.url(), "", "", "", "JKS", 1_500);
    private final Serde<ImageFrame> serde = WireFormat.confluent(settings).serde(ImageFrame.class);

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void shouldFrameWithMagicByteAndBigEndianIdAndRoundTrip() {
        ImageFrame f = frame("f1");
        byte[] bytes = serde.serializer().serialize("frames", f);
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(1);
        assertThat(serde.deserializer().deserialize("frames", bytes)).isEqualTo(f);
    }

    @Test
    void shouldResolveAnOlderWriterSchemaAgainstTheReaderSchema() throws IOException {
        Schema old = new Schema.Parser().parse(ImageFrame.getClassSchema().toString().replaceFirst(
                ",\\{\"name\":\"attributes\".*\\}\\]\\}$", "]}"));
        assertThat(old.getField("attributes")).isNull();
        GenericRecord r = new GenericData.Record(old);
        r.put("frame_id", "old-1");
        r.put("source_id", "line-1");
        r.put("capture_time", 5L);
        r.put("width", 1);
        r.put("height", 1);
        r.put("channels", 1);
        r.put("encoding", new GenericData.EnumSymbol(old.getField("encoding").schema(), "RAW_U8"));
        r.put("pixels", ByteBuffer.wrap(new byte[] {7}));
        ImageFrame back = serde.deserializer().deserialize("frames", confluent(registry.add(old), old, r));
        assertThat(back.getFrameId()).isEqualTo("old-1");
        assertThat(back.getAttributes()).isEmpty();
    }

    @Test
    void shouldRefuseAnIdTheRegistryDoesNotKnowNamingTheId() {
        byte[] bytes = serde.serializer().serialize("frames", frame("f"));
        bytes[4] = 42;
        assertThatThrownBy(() -> serde.deserializer().deserialize("frames", bytes)).isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("unknown schema id 42");
    }

    @Test
    void shouldCheckTheBodyAgainstTheWriterSchemaBeforeDecoding() throws IOException {
        byte[] valid = serde.serializer().serialize("frames", frame("f"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(valid, 0, 5);
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        e.writeString("f1");
        e.writeString("s");
        e.writeLong(0);
        e.writeInt(2);
        e.writeInt(2);
        e.writeInt(1);
        e.writeEnum(0);
        e.writeLong(1_500_000_000L);       // pixels: declares 1.5 GB, carries none
        e.flush();
        assertThatThrownBy(() -> serde.deserializer().deserialize("frames", out.toByteArray()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("ImageFrame.pixels declares 1500000000 bytes");
    }

    @Test
    void shouldWaitWithBackOffForARegistryThatIsBrieflyDown() {
        byte[] bytes = serde.serializer().serialize("frames", frame("f"));
        Serde<ImageFrame> fresh = WireFormat.confluent(settings).serde(ImageFrame.class); // an empty id cache
        registry.unavailableFor.set(3);
        assertThat(fresh.deserializer().deserialize("frames", bytes).getFrameId()).isEqualTo("f");
    }

    @Test
    void shouldGiveARecordBackAsRetriableNeverAsBadWhenTheRegistryStaysDown() {
        byte[] bytes = serde.serializer().serialize("frames", frame("f"));
        Serde<ImageFrame> fresh = WireFormat.confluent(settings).serde(ImageFrame.class);
        registry.unavailableFor.set(1_000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> fresh.deserializer().deserialize("frames", bytes))
                .isInstanceOf(RegistryUnavailableException.class).isNotInstanceOf(SerializationException.class)
                .hasMessageContaining("answered 503");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(700L, 5_000L);
        assertThat(registry.calls.get()).isGreaterThan(3);
    }

    @Test
    void shouldTellTheFormatsApartByTheirFirstBytesInAutoMode() {
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), Map.of("wire.format", "auto", "schema.registry.url", registry.url()));
        Serde<ImageFrame> auto = WireFormat.from(c).serde(ImageFrame.class);
        byte[] registered = serde.serializer().serialize("frames", frame("via-registry"));
        byte[] singleObject = new SingleObjectWireFormat().serde(ImageFrame.class).serializer().serialize("frames", frame("so"));
        assertThat(auto.deserializer().deserialize("frames", registered).getFrameId()).isEqualTo("via-registry");
        assertThat(auto.deserializer().deserialize("frames", singleObject).getFrameId()).isEqualTo("so");
        assertThat(auto.serializer().serialize("frames", frame("x"))[0]).as("writes registry framing").isZero();
    }

    @Test
    void shouldRefuseConfluentFormatWithoutARegistryUrlNamingTheKey() {
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("wire.format", "confluent")))
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> FrameGuardConfig.load(null, Map.of(), Map.of("schema.registry.url", "registry:8081")))
                .hasMessageContaining("schema.registry.url");
    }

    /** {@code r} in the Schema Registry wire format: 0x00, the 4-byte big-endian {@code id}, Avro binary. */
    public static byte[] confluent(int id, Schema schema, GenericRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(r, e);
        e.flush();
        return out.toByteArray();
    }

    static ImageFrame frame(String id) {
        return ImageFrame.newBuilder().setFrameId(id).setSourceId("line-1").setCaptureTime(Instant.ofEpochMilli(5)).setWidth(1)
                .setHeight(1).setChannels(1).setEncoding(Encoding.RAW_U8).setPixels(ByteBuffer.wrap(new byte[] {1})).build();
    }

    private static RegistryStub stub() {
        try {
            return new RegistryStub();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
