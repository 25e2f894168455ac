package io.frameguard.harness.chaos;

import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The kinds of bad record a line can send, each with the dead-letter reason the detector must give
 * it. {@link #RGB_FRAME} is the one kind that is not rejected: a 3-channel frame for a 1-channel
 * model is converted to gray and scored (documented in the README).
 */
public enum Poison {
    RANDOM_BYTES("undecodable"),
    TRUNCATED_AVRO("undecodable"),
    EMPTY_VALUE("undecodable"),
    NULL_VALUE("null_value"),
    NULL_KEY("null_key"),
    UNKNOWN_SCHEMA("unknown_schema"),
    OVERSIZED("oversized"),
    PIXEL_LENGTH("bad_shape"),
    ZERO_SIZE("bad_shape"),
    BAD_CHANNELS("bad_shape"),
    WRONG_SIZE("wrong_size"),
    GIF_AS_PNG("unsupported_encoding"),
    CORRUPT_PNG("undecodable_image"),
    CORRUPT_JPEG("undecodable_image"),
    /** {@code pixels} declares 1.5 × 10⁹ bytes in a record of about 100. */
    BYTES_LENGTH_BOMB("undecodable"),
    /** {@code frame_id} declares 2 × 10⁹ bytes of text. */
    STRING_LENGTH_BOMB("undecodable"),
    /** {@code attributes} declares a million entries in three bytes. */
    MAP_ENTRIES_BOMB("undecodable"),
    /** {@code attributes} declares one entry in a block of 2 GB. */
    MAP_BLOCK_BOMB("undecodable"),
    RGB_FRAME(null);

    private final String reason;

    Poison(String reason) {
        this.reason = reason;
    }

    /** The dead-letter reason code, or null for a kind that is scored. */
    public String reason() {
        return reason;
    }

    /** A record key and value. */
    public record Bytes(byte[] key, byte[] value) {
    }

    /**
     * This kind of record, made from a valid frame {@code valid} (28×28 RAW_U8 gray) and the wire
     * encoding {@code encode}; {@code maxFrameBytes} is the detector's {@code max.frame.bytes}.
     */
    public Bytes make(ImageFrame valid, Function<ImageFrame, byte[]> encode, int maxFrameBytes, Random random) {
        byte[] key = valid.getSourceId().getBytes(StandardCharsets.UTF_8);
        byte[] good = encode.apply(valid);
        String id = valid.getFrameId();
        return switch (this) {
            case RANDOM_BYTES -> {
                byte[] b = new byte[64 + random.nextInt(512)];
                random.nextBytes(b);
                b[0] = 0x7F; // never the single-object marker 0xC3 0x01
                yield new Bytes(key, b);
            }
            case TRUNCATED_AVRO -> new Bytes(key, Arrays.copyOf(good, good.length / 2));
            case EMPTY_VALUE -> new Bytes(key, new byte[0]);
            case NULL_VALUE -> new Bytes(key, null);
            case NULL_KEY -> new Bytes(null, good);
            case UNKNOWN_SCHEMA -> {
                byte[] b = good.clone();
                b[2] ^= 0x5A; // first byte of the schema fingerprint
                yield new Bytes(key, b);
            }
            case OVERSIZED -> new Bytes(key, new byte[maxFrameBytes + 1 + random.nextInt(100)]);
            case PIXEL_LENGTH -> new Bytes(key, encode.apply(with(valid, id).setPixels(ByteBuffer.wrap(new byte[100])).build()));
            case ZERO_SIZE -> new Bytes(key, encode.apply(with(valid, id).setWidth(0).setHeight(0)
                    .setPixels(ByteBuffer.allocate(0)).build()));
            case BAD_CHANNELS -> new Bytes(key, encode.apply(with(valid, id).setChannels(2)
                    .setPixels(ByteBuffer.wrap(new byte[28 * 28 * 2])).build()));
            case WRONG_SIZE -> new Bytes(key, encode.apply(with(valid, id).setWidth(14).setHeight(14)
                    .setPixels(ByteBuffer.wrap(new byte[14 * 14])).build()));
            case GIF_AS_PNG -> new Bytes(key, encode.apply(with(valid, id).setEncoding(Encoding.PNG)
                    .setPixels(ByteBuffer.wrap("GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1))).build()));
            case CORRUPT_PNG -> new Bytes(key, encode.apply(with(valid, id).setEncoding(Encoding.PNG)
                    .setPixels(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 1, 2})).build()));
            case CORRUPT_JPEG -> new Bytes(key, encode.apply(with(valid, id).setEncoding(Encoding.JPEG)
                    .setPixels(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0})).build()));
            case BYTES_LENGTH_BOMB -> new Bytes(key, rewritten(good, valid, 7, e -> {
                e.writeLong(1_500_000_000L);
                e.writeFixed(new byte[16]);
            }));
            case STRING_LENGTH_BOMB -> new Bytes(key, rewritten(good, valid, 0, e -> {
                e.writeLong(2_000_000_000L);
                e.writeFixed(new byte[8]);
            }));
            case MAP_ENTRIES_BOMB -> new Bytes(key, rewritten(good, valid, 9, e -> {
                e.writeLong(1_000_000);
                e.writeString("k");
            }));
            case MAP_BLOCK_BOMB -> new Bytes(key, rewritten(good, valid, 9, e -> {
                e.writeLong(-1);
                e.writeLong(Integer.MAX_VALUE);
            }));
            case RGB_FRAME -> {
                byte[] gray = valid.getPixels().duplicate().array();
                byte[] rgb = new byte[gray.length * 3];
                for (int i = 0; i < gray.length; i++) {
                    rgb[3 * i] = gray[i];
                    rgb[3 * i + 1] = gray[i];
                    rgb[3 * i + 2] = gray[i];
                }
                yield new Bytes(key, encode.apply(with(valid, id).setChannels(3).setPixels(ByteBuffer.wrap(rgb)).build()));
            }
        };
    }

    private interface Tail {
        void write(BinaryEncoder e) throws IOException;
    }

    /**
     * The single-object header of {@code good}, the first {@code fields} fields of {@code valid} in
     * schema order (frame_id, source_id, capture_time, width, height, channels, encoding, pixels,
     * label, attributes), then what {@code tail} writes in place of the rest.
     */
    private static byte[] rewritten(byte[] good, ImageFrame valid, int fields, Tail tail) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(good, 0, 10);
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            Object[] values = {valid.getFrameId(), valid.getSourceId(), valid.getCaptureTime().toEpochMilli(), valid.getWidth(),
                valid.getHeight(), valid.getChannels(), valid.getEncoding().ordinal(), valid.getPixels(), null};
            for (int i = 0; i < fields; i++) {
                switch (i) {
                    case 0, 1 -> e.writeString(values[i].toString());
                    case 2 -> e.writeLong((Long) values[i]);
                    case 3, 4, 5 -> e.writeInt((Integer) values[i]);
                    case 6 -> e.writeEnum((Integer) values[i]);
                    case 7 -> e.writeBytes(((ByteBuffer) values[i]).duplicate());
                    default -> e.writeIndex(0); // label: null
                }
            }
            tail.write(e);
            e.flush();
            return out.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static ImageFrame.Builder with(ImageFrame valid, String id) {
        return ImageFrame.newBuilder(valid).setFrameId(id);
    }
}
