package io.frameguard.stream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SingleObjectWireFormatTest {
    private final Serde<ImageFrame> serde = new SingleObjectWireFormat().serde(ImageFrame.class);
    private final Deserializer<ImageFrame> frames = serde.deserializer();

    @Test
    void shouldRoundTripAValidFrame() {
        ImageFrame f = ImageFrame.newBuilder().setFrameId("f1").setSourceId("line-1").setCaptureTime(java.time.Instant.ofEpochMilli(5))
                .setWidth(2).setHeight(2).setChannels(1).setEncoding(Encoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})).setAttributes(Map.of("exposure", "3ms")).build();
        ImageFrame back = frames.deserialize("frames", serde.serializer().serialize("frames", f));
        assertThat(back).isEqualTo(f);
    }

    @Test
    void shouldRefuseAPixelsLengthBombWithoutAllocatingIt() throws IOException {
        byte[] bomb = frame(e -> {
            e.writeLong(1_500_000_000L);   // pixels: declares 1.5 GB
            e.writeFixed(new byte[16]);    // ... and carries 16 bytes
        }, false);
        assertThat(bomb.length).isLessThan(110);
        long allocated = allocatedWhile(() -> assertThatThrownBy(() -> frames.deserialize("frames", bomb))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("ImageFrame.pixels declares 1500000000 bytes"));
        assertThat(allocated).as("bytes allocated while rejecting the bomb").isLessThan(1 << 20);
    }

    @Test
    void shouldRefuseAStringLengthBomb() throws IOException {
        byte[] bomb = header(e -> {
            e.writeLong(2_000_000_000L);   // frame_id: declares 2 GB of text
            e.writeFixed(new byte[8]);
        });
        long allocated = allocatedWhile(() -> assertThatThrownBy(() -> frames.deserialize("frames", bomb))
                .hasMessageContaining("ImageFrame.frame_id declares 2000000000 bytes"));
        assertThat(allocated).isLessThan(1 << 20);
    }

    @Test
    void shouldRefuseAMapThatDeclaresAMillionEntries() throws IOException {
        byte[] bomb = frame(e -> {
            e.writeBytes(new byte[] {1, 2, 3, 4});
            e.writeIndex(0);               // label: null
            e.writeLong(1_000_000);        // attributes: a million entries in 3 bytes
            e.writeString("k");
        }, true);
        long allocated = allocatedWhile(() -> assertThatThrownBy(() -> frames.deserialize("frames", bomb))
                .hasMessageContaining("ImageFrame.attributes declares 1000000 entries"));
        assertThat(allocated).isLessThan(1 << 20);
    }

    @Test
    void shouldRefuseAMapBlockThatDeclaresMoreBytesThanRemain() throws IOException {
        byte[] bomb = frame(e -> {
            e.writeBytes(new byte[] {1, 2, 3, 4});
            e.writeIndex(0);
            e.writeLong(-1);               // one entry, in a block of ...
            e.writeLong(Integer.MAX_VALUE); // ... 2 GB
        }, true);
        assertThatThrownBy(() -> frames.deserialize("frames", bomb)).hasMessageContaining("declares a block of 2147483647 bytes");
    }

    @Test
    void shouldRefuseArrayLengthBombsAndDeepNestingInAnySchema() throws IOException {
        Schema arrays = SchemaBuilder.array().items().array().items().longType();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        e.writeLong(1);
        e.writeLong(50_000_000);           // inner array: 50 million longs in a few bytes
        e.flush();
        byte[] body = out.toByteArray();
        assertThatThrownBy(() -> AvroBodyBounds.check(arrays, body, 0, body.length))
                .hasMessageContaining("declares 50000000 entries");

        Schema deep = SchemaBuilder.array().items().longType();
        for (int i = 0; i < 100; i++) {
            deep = Schema.createArray(deep);
        }
        byte[] ones = new byte[100];
        Arrays.fill(ones, (byte) 2);       // zig-zag 1: one item per level
        Schema nested = deep;
        assertThatThrownBy(() -> AvroBodyBounds.check(nested, ones, 0, ones.length)).hasMessageContaining("nested deeper than 64");
    }

    @Test
    void shouldNameTheKnownFingerprintWhenTheWriterSchemaIsUnknown() {
        byte[] bytes = serde.serializer().serialize("frames", ImageFrame.newBuilder().setFrameId("f").setSourceId("s")
                .setCaptureTime(java.time.Instant.EPOCH).setWidth(1).setHeight(1).setChannels(1).setEncoding(Encoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(new byte[1])).build());
        bytes[2] ^= 0x55;
        byte[] unknown = bytes;
        assertThatThrownBy(() -> frames.deserialize("frames", unknown)).hasMessageStartingWith("unknown schema fingerprint")
                .hasMessageContaining("io.frameguard.avro.ImageFrame 3cca86413f128dcb");
    }

    interface Body {
        void write(BinaryEncoder e) throws IOException;
    }

    /** The single-object header of the current ImageFrame schema, then what {@code rest} writes. */
    private byte[] header(Body rest) throws IOException {
        byte[] valid = serde.serializer().serialize("frames", ImageFrame.newBuilder().setFrameId("f").setSourceId("s")
                .setCaptureTime(java.time.Instant.EPOCH).setWidth(1).setHeight(1).setChannels(1).setEncoding(Encoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(new byte[1])).build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(valid, 0, 10);
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
        rest.write(e);
        e.flush();
        return out.toByteArray();
    }

    /** A frame's fields up to pixels (or, with {@code afterPixels}, up to attributes), then {@code rest}. */
    private byte[] frame(Body rest, boolean afterPixels) throws IOException {
        return header(e -> {
            e.writeString("f1");
            e.writeString("line-1");
            e.writeLong(0);
            e.writeInt(2);
            e.writeInt(2);
            e.writeInt(1);
            e.writeEnum(0);
            rest.write(e);
        });
    }

    private static long allocatedWhile(Runnable r) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        r.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
