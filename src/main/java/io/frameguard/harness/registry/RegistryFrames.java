package io.frameguard.harness.registry;

import io.frameguard.avro.ImageFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Frames as another producer writes them to a Schema Registry shop: with the writer schema of its
 * own release, framed with that schema's registry id. For the tests and chaos scenarios of schema
 * evolution through a registry.
 */
public final class RegistryFrames {
    /** The field a producer's next release adds to {@code ImageFrame} in {@link #newer}, and the value it writes. */
    public static final String ADDED_FIELD = "exposure_us";
    public static final long ADDED_VALUE = 250L;

    private RegistryFrames() {
    }

    /** {@code current} with one more field, {@value #ADDED_FIELD}, defaulted: what a producer's next release writes. */
    public static Schema newer(Schema current) {
        return new Schema.Parser().parse(current.toString()
                .replaceFirst("\\]\\}$", ",{\"name\":\"" + ADDED_FIELD + "\",\"type\":\"long\",\"default\":0}]}"));
    }

    /** {@code frame} written with {@code writer} (the current schema or {@link #newer}) in the registry wire format under {@code id}. */
    public static byte[] encode(Schema writer, int id, ImageFrame frame) {
        GenericRecord r = new GenericData.Record(writer);
        for (Schema.Field field : writer.getFields()) {
            Object v = field.name().equals(ADDED_FIELD) ? ADDED_VALUE : frame.get(field.name());
            if (v instanceof Instant i) {
                v = i.toEpochMilli();
            } else if (v instanceof Enum<?> e) {
                v = new GenericData.EnumSymbol(field.schema(), e.name());
            }
            r.put(field.name(), v);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(writer).write(r, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
