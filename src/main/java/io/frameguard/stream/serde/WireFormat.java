package io.frameguard.stream.serde;

import io.frameguard.config.FrameGuardConfig;
import io.frameguard.config.RegistrySettings;
import io.frameguard.stream.serde.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * How FrameGuard's Avro records are put on the wire ({@code wire.format}): Avro single-object
 * encoding ({@link SingleObjectWireFormat}), decodable with the {@code .avsc} files alone; the
 * Schema Registry format ({@link ConfluentWireFormat}); or {@code auto}, which reads both.
 */
public interface WireFormat {
    <T extends SpecificRecord> Serde<T> serde(Class<T> type);

    /**
     * Makes sure records of {@code type} can be written to {@code topic} before the first one is:
     * with a registry, registers the schema (so a registry that is down fails start-up, not the stream).
     */
    default void register(String topic, Class<? extends SpecificRecord> type) {
    }

    static WireFormat from(FrameGuardConfig config) {
        String url = config.getString(FrameGuardConfig.SCHEMA_REGISTRY_URL);
        ConfluentWireFormat confluent = url.isEmpty() ? null : new ConfluentWireFormat(
                new SchemaRegistryClient(RegistrySettings.from(config)), RegistrySettings.from(config).retryMaxMs());
        return switch (config.getString(FrameGuardConfig.WIRE_FORMAT)) {
            case "single-object" -> new SingleObjectWireFormat();
            case "confluent" -> confluent;
            case "auto" -> new AutoWireFormat(confluent);
            default -> throw new IllegalArgumentException("unknown wire format " + config.getString(FrameGuardConfig.WIRE_FORMAT));
        };
    }

    static WireFormat confluent(RegistrySettings settings) {
        return new ConfluentWireFormat(new SchemaRegistryClient(settings), settings.retryMaxMs());
    }
}
