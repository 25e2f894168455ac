package io.frameguard.stream.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding: {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of
 * the writer schema, then the Avro binary body. Any Avro library decodes it given the schema.
 * A record written with a known older or newer schema (by fingerprint: {@link SchemaHistory}) is
 * resolved against the current one. Decoding fails with a {@link SerializationException} on bad
 * bytes or an unknown fingerprint, and
 * never allocates more than the record's own size, whatever lengths its body declares.
 */
public final class SingleObjectWireFormat implements WireFormat {
    private final SchemaHistory history;

    /** Reads the current schemas and every released one in {@code schemas/history/}. */
    public SingleObjectWireFormat() {
        this(SchemaHistory.released());
    }

    public SingleObjectWireFormat(SchemaHistory history) {
        this.history = history;
    }

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        BinaryMessageEncoder<T> encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
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
        BoundedDecoder<T> decoder = new BoundedDecoder<>(schema, history.writersOf(schema));
        Deserializer<T> de = decoder::decode;
        return Serdes.serdeFrom(ser, de);
    }

    /**
     * Decodes with Avro's own datum reader, but only after {@link AvroBodyBounds} has checked every
     * declared length in the body against the bytes present, so no record can make it allocate more
     * than its own size.
     */
    private static final class BoundedDecoder<T> {
        private static final int HEADER = 10;
        private final Schema schema;
        private final long fingerprint;
        private final Map<Long, Schema> writers = new LinkedHashMap<>();
        private final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();

        BoundedDecoder(Schema schema, Map<Long, Schema> history) {
            this.schema = schema;
            this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
            writers.put(fingerprint, schema);
            history.forEach(writers::putIfAbsent);
            writers.forEach((fp, w) -> readers.put(fp, new SpecificDatumReader<>(w, schema)));
        }

        T decode(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < HEADER || (bytes[0] & 0xff) != 0xC3 || bytes[1] != 0x01) {
                throw new SerializationException("not Avro single-object encoded: expected C3 01 and an 8-byte fingerprint, got "
                        + bytes.length + " bytes" + (bytes.length >= 2 ? String.format(" starting %02X %02X", bytes[0], bytes[1]) : ""));
            }
            long fp = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            Schema writer = writers.get(fp);
            if (writer == null) {
                // printed as the 8 bytes stand on the wire, as a hex dump of the record shows them
                throw new SerializationException(String.format("unknown schema fingerprint %016x; this detector reads %s %016x%s",
                        Long.reverseBytes(fp), schema.getFullName(), Long.reverseBytes(fingerprint), older()));
            }
            SpecificDatumReader<T> reader = readers.get(fp);
            return AvroBodyBounds.decode(reader, writer, "writer " + writer.getFullName(), bytes, HEADER);
        }

        private String older() {
            String others = writers.keySet().stream().filter(f -> f != fingerprint).map(f -> String.format("%016x", Long.reverseBytes(f)))
                    .collect(java.util.stream.Collectors.joining(", "));
            return others.isEmpty() ? "" : " (current), and from schemas/history " + others;
        }
    }
}
