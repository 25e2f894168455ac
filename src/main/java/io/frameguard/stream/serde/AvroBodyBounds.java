package io.frameguard.stream.serde;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Checks an Avro binary body against its writer schema before anything is decoded. Avro's decoders
 * allocate whatever a length prefix declares and only then find the bytes missing, so a 100-byte
 * record that declares a 1.5 GB {@code bytes} field costs 1.5 GB of heap (or an OutOfMemoryError
 * that kills the stream thread on every retry). This walk allocates nothing: every string and bytes
 * length, every array and map block count and block size, and every union and enum index is checked
 * against the schema and the bytes actually left. A body that passes decodes with allocations bounded
 * by its own size.
 */
final class AvroBodyBounds {
    private static final int MAX_DEPTH = 64;

    private final byte[] buf;
    private final int end;
    private int pos;

    private AvroBodyBounds(byte[] buf, int offset, int end) {
        this.buf = buf;
        this.pos = offset;
        this.end = end;
    }

    /**
     * @throws MalformedBodyException naming the first field whose declared size does not fit
     */
    static void check(Schema writer, byte[] buf, int offset, int length) {
        new AvroBodyBounds(buf, offset, offset + length).walk(writer, writer.getName(), 0);
    }

    /**
     * Checks the body {@code bytes[offset..]} against {@code writer}, then decodes it with
     * {@code reader}; any failure is a {@link SerializationException} whose message starts
     * "undecodable Avro" and names {@code writerName}.
     */
    static <T> T decode(SpecificDatumReader<T> reader, Schema writer, String writerName, byte[] bytes, int offset) {
        try {
            check(writer, bytes, offset, bytes.length - offset);
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null));
        } catch (MalformedBodyException e) {
            throw new SerializationException("undecodable Avro: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("undecodable Avro (" + writerName + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /** A body that cannot be decoded within its own bytes. */
    static final class MalformedBodyException extends RuntimeException {
        MalformedBodyException(String message) {
            super(message, null, false, false);
        }
    }

    private void walk(Schema s, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedBodyException("nested deeper than " + MAX_DEPTH + " at " + path);
        }
        switch (s.getType()) {
            case NULL -> { }
            case BOOLEAN -> skip(1, path);
            case INT, LONG -> readVarLong(path);
            case FLOAT -> skip(4, path);
            case DOUBLE -> skip(8, path);
            case FIXED -> skip(s.getFixedSize(), path);
            case STRING, BYTES -> skip(declaredLength(path), path);
            case ENUM -> index(s.getEnumSymbols().size(), "enum symbol", path);
            case UNION -> {
                int branch = index(s.getTypes().size(), "union branch", path);
                walk(s.getTypes().get(branch), path, depth + 1);
            }
            case RECORD -> {
                for (Schema.Field f : s.getFields()) {
                    walk(f.schema(), path + "." + f.name(), depth + 1);
                }
            }
            case ARRAY -> blocks(s.getElementType(), null, path, depth);
            case MAP -> blocks(s.getValueType(), Schema.create(Schema.Type.STRING), path, depth);
        }
    }

    /** Array and map blocks: a count (negative: followed by the block's byte size), items, until 0. */
    private void blocks(Schema item, Schema key, String path, int depth) {
        while (true) {
            long count = readVarLong(path);
            if (count == 0) {
                return;
            }
            if (count < 0) {
                count = -count;
                long size = readVarLong(path);
                if (size < 0 || size > end - pos) {
                    throw new MalformedBodyException(path + " declares a block of " + size + " bytes, only " + (end - pos) + " left");
                }
            }
            // Every item takes at least one byte except items of empty types, which no FrameGuard schema has:
            // a count above the bytes left is a lie, whatever the item type, and is refused before any item is read.
            if (count > end - pos) {
                throw new MalformedBodyException(path + " declares " + count + " entries, only " + (end - pos) + " bytes left");
            }
            for (long i = 0; i < count; i++) {
                if (key != null) {
                    walk(key, path + "[key]", depth + 1);
                }
                walk(item, path + "[]", depth + 1);
            }
        }
    }

    private int declaredLength(String path) {
        long length = readVarLong(path);
        if (length < 0 || length > end - pos) {
            throw new MalformedBodyException(path + " declares " + length + " bytes, only " + (end - pos) + " left");
        }
        return (int) length;
    }

    private int index(int size, String what, String path) {
        long i = readVarLong(path);
        if (i < 0 || i >= size) {
            throw new MalformedBodyException(path + " has " + what + " " + i + " of " + size);
        }
        return (int) i;
    }

    private void skip(int n, String path) {
        if (n > end - pos) {
            throw new MalformedBodyException(path + " needs " + n + " bytes, only " + (end - pos) + " left");
        }
        pos += n;
    }

    /** A zig-zag varint of at most 10 bytes. */
    private long readVarLong(String path) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw new MalformedBodyException(path + " ends inside a number");
            }
            int b = buf[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new MalformedBodyException(path + " has a number longer than 10 bytes");
    }
}
