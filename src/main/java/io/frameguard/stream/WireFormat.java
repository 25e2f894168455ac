package io.frameguard.stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * How FrameGuard's Avro records are put on the wire. Today: Avro single-object encoding
 * ({@link SingleObjectWireFormat}), decodable with the {@code .avsc} files alone. A schema-registry
 * format can be added as another implementation without touching the topology.
 */
public interface WireFormat {
    <T extends SpecificRecord> Serde<T> serde(Class<T> type);

    static WireFormat named(String name) {
        if (name.equals("single-object")) {
            return new SingleObjectWireFormat();
        }
        throw new IllegalArgumentException("unknown wire format " + name);
    }
}
