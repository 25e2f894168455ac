package io.frameguard.stream.serde;

import io.frameguard.stream.serde.registry.RegistryUnavailableException;
import io.frameguard.stream.serde.registry.SchemaRegistryClient;
import io.frameguard.stream.serde.registry.UnknownSchemaIdException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The Confluent Schema Registry wire format: {@code 0x00}, the writer schema's 4-byte big-endian
 * registry id, then the Avro binary body; what Confluent's serializers, Kafka Connect, ksqlDB and
 * Flink read and write. Values are written under the topic-name subject strategy
 * ({@code <topic>-value}); a record is read with its writer schema (fetched by id, cached) resolved
 * against FrameGuard's reader schema, so producers may evolve their schema compatibly.
 *
 * <p>A registry that cannot be reached is never the record's fault: decoding retries with back-off
 * for up to {@code retryMaxMs}, then throws {@link RegistryUnavailableException}, which Kafka
 * Streams turns into a replaced stream thread that re-reads the record from the last commit. Only
 * a registry that answers "no such id" sends a record to the dead-letter topic.
 */
public final class ConfluentWireFormat implements WireFormat {
    static final byte MAGIC = 0x00;
    static final int HEADER = 5;

    private final SchemaRegistryClient registry;
    private final long retryMaxMs;

    public ConfluentWireFormat(SchemaRegistryClient registry, long retryMaxMs) {
        this.registry = registry;
        this.retryMaxMs = retryMaxMs;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema);
        Reader<T> reader = new Reader<>(schema);
        return Serdes.serdeFrom((topic, value) -> value == null ? null : encode(writer, value, registry.register(subject(topic), schema)),
                reader::decode);
    }

    @Override
    public void register(String topic, Class<? extends SpecificRecord> type) {
        registry.register(subject(topic), SpecificData.get().getSchema(type));
    }

    static String subject(String topic) {
        return topic + "-value";
    }

    private static <T> byte[] encode(SpecificDatumWriter<T> writer, T value, int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, e);
            e.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes one type: a resolving datum reader per writer schema id, each built once. */
    private final class Reader<T> {
        private final Schema readerSchema;
        private final Map<Integer, SpecificDatumReader<T>> byWriter = new ConcurrentHashMap<>();

        Reader(Schema readerSchema) {
            this.readerSchema = readerSchema;
        }

        T decode(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < HEADER || bytes[0] != MAGIC) {
                throw new SerializationException("not Schema Registry framed: expected 00 and a 4-byte schema id, got "
                        + bytes.length + " bytes" + (bytes.length >= 1 ? String.format(" starting %02X", bytes[0]) : ""));
            }
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            Schema writer;
            try {
                writer = writerSchema(id);
            } catch (UnknownSchemaIdException e) {
                throw new SerializationException(e.getMessage() + "; this detector reads " + readerSchema.getFullName());
            }
            SpecificDatumReader<T> reader = byWriter.computeIfAbsent(id, k -> new SpecificDatumReader<>(writer, readerSchema));
            return AvroBodyBounds.decode(reader, writer, "writer schema id " + id, bytes, HEADER);
        }

        /** Retries an unreachable registry with doubling back-off, up to retryMaxMs; then gives up for this attempt. */
        private Schema writerSchema(int id) {
            long deadline = System.currentTimeMillis() + retryMaxMs;
            long backoff = 50;
            while (true) {
                try {
                    return registry.schema(id);
                } catch (RegistryUnavailableException e) {
                    if (System.currentTimeMillis() + backoff > deadline) {
                        throw e;
                    }
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                    backoff = Math.min(backoff * 2, 2_000);
                }
            }
        }
    }
}
