package io.frameguard.stream;

import io.frameguard.stream.serde.SingleObjectWireFormat;
import io.frameguard.avro.BufferedFrame;
import io.frameguard.avro.ImageFrame;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A frame waiting for its batch, with the headers and the position it was read with, and the serde
 * of the batch store. The store of release 0.1.0 held bare {@link ImageFrame}s: those still restore,
 * as frames with no headers and an unknown position.
 */
final class BufferedFrames {
    private BufferedFrames() {
    }

    static BufferedFrame of(ImageFrame frame, Headers headers, RecordMetadata origin) {
        Map<String, String> text = new LinkedHashMap<>();
        if (headers != null) {
            for (Header h : headers) {
                if (h.value() != null) {
                    text.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return BufferedFrame.newBuilder().setFrame(frame).setHeaders(text)
                .setTopic(origin == null ? "" : origin.topic()).setPartition(origin == null ? -1 : origin.partition())
                .setOffset(origin == null ? -1 : origin.offset()).build();
    }

    /** Writes {@link BufferedFrame}; reads it, or a 0.1.0 store's bare {@link ImageFrame}. */
    static Serde<BufferedFrame> storeSerde(SingleObjectWireFormat format) {
        Serde<BufferedFrame> buffered = format.serde(BufferedFrame.class);
        Deserializer<ImageFrame> bare = format.serde(ImageFrame.class).deserializer();
        Deserializer<BufferedFrame> de = (topic, bytes) -> {
            try {
                return buffered.deserializer().deserialize(topic, bytes);
            } catch (SerializationException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("unknown schema")) {
                    throw e;
                }
                return of(bare.deserialize(topic, bytes), null, null);
            }
        };
        return Serdes.serdeFrom(buffered.serializer(), de);
    }
}
