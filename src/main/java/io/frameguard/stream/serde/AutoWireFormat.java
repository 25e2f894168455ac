package io.frameguard.stream.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Reads either format, told apart by the first byte ({@code 00}: Schema Registry, {@code C3 01}:
 * single-object), so a topic can move from one to the other while the detector runs. Writes with
 * the registry format when a registry is configured, single-object otherwise.
 */
final class AutoWireFormat implements WireFormat {
    private final SingleObjectWireFormat singleObject = new SingleObjectWireFormat();
    private final ConfluentWireFormat confluent;

    AutoWireFormat(ConfluentWireFormat confluent) {
        this.confluent = confluent;
    }

    @Override
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        Serde<T> so = singleObject.serde(type);
        Serde<T> cf = confluent == null ? null : confluent.serde(type);
        Deserializer<T> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == ConfluentWireFormat.MAGIC) {
                if (cf == null) {
                    throw new SerializationException("Schema Registry framed (starts 00) but schema.registry.url is not set");
                }
                return cf.deserializer().deserialize(topic, bytes);
            }
            return so.deserializer().deserialize(topic, bytes);
        };
        return Serdes.serdeFrom((cf == null ? so : cf).serializer(), de);
    }

    @Override
    public void register(String topic, Class<? extends SpecificRecord> type) {
        if (confluent != null) {
            confluent.register(topic, type);
        }
    }
}
