package io.frameguard.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding: {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of
 * the writer schema, then the Avro binary body. Any Avro library decodes it given the schema.
 * Decoding fails with a {@link SerializationException} on bad bytes or an unknown fingerprint.
 */
public final class SingleObjectWireFormat implements WireFormat {

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        BinaryMessageEncoder<T> encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
        BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
        Serializer<T> ser = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteBuffer buf = encoder.encode(value);
                byte[] out = new byte[buf.remaining()];
                buf.get(out);
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return decoder.decode(bytes);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException(describe(e), e);
            }
        };
        return Serdes.serdeFrom(ser, de);
    }

    private static String describe(Exception e) {
        String name = e.getClass().getSimpleName();
        if (name.equals("MissingSchemaException")) {
            return "unknown schema fingerprint: " + e.getMessage();
        }
        if (name.equals("BadHeaderException")) {
            return "not Avro single-object encoded: " + e.getMessage();
        }
        return "undecodable Avro: " + (e.getMessage() == null ? name : e.getMessage());
    }
}
