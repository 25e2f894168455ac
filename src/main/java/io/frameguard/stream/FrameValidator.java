package io.frameguard.stream;

import io.frameguard.FrameGuardException;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import io.frameguard.data.ImageFiles;
import io.frameguard.data.Luma;
import io.frameguard.data.Raster;
import io.frameguard.stream.DeadLetter.Reason;
import java.nio.ByteBuffer;

/**
 * Checks a decoded frame against the model's input and brings it to the model's form: 8-bit RAW_U8
 * with the model's channels, {@code width × height} (digit models) or any size from
 * {@code width × height} up to {@value #MAX_SIDE} a side (inspection models, which are fully
 * convolutional). For a gray model, RGB frames (RAW_U8 with 3 channels, or colour PNG/JPEG) are
 * converted to their BT.601 luma ({@link Luma}); an RGB model refuses gray frames. Frames of
 * another size are rejected, never resized: a camera sending the wrong size is a fault to see, not
 * to hide.
 */
public final class FrameValidator {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    /** A frame side above this is refused before its pixels are decoded (a 100-byte PNG can declare 65535 × 65535). */
    public static final int MAX_SIDE = 8192;

    private final int width;
    private final int height;
    private final boolean anySize;
    private final int channels;

    /** Frames of exactly {@code width × height}, converted to gray. */
    public FrameValidator(int width, int height) {
        this(width, height, false, 1);
    }

    /**
     * @param anySize whether frames of any size at least {@code width × height} are taken (inspection
     *     models), or exactly that size
     * @param channels 1: frames become gray; 3: frames must be colour and stay so
     */
    public FrameValidator(int width, int height, boolean anySize, int channels) {
        this.width = width;
        this.height = height;
        this.anySize = anySize;
        this.channels = channels;
    }

    /** The validator for a model's input. */
    public static FrameValidator of(BatchScorer model) {
        return new FrameValidator(model.width(), model.height(), model.anyFrameSize(), model.channels());
    }

    /** The frame in model form (the same object when it already is), or why it cannot be scored. */
    public ImageFrame normalize(ImageFrame f) throws InvalidFrameException {
        byte[] px = bytes(f.getPixels());
        Pixels out = switch (f.getEncoding()) {
            case RAW_U8 -> raw(f, px);
            case PNG -> encoded(f, px, PNG_MAGIC, "PNG");
            case JPEG -> encoded(f, px, JPEG_MAGIC, "JPEG");
        };
        if (out.bytes() == px && f.getEncoding() == Encoding.RAW_U8) {
            return f;
        }
        return ImageFrame.newBuilder(f).setEncoding(Encoding.RAW_U8).setChannels(channels).setWidth(out.width())
                .setHeight(out.height()).setPixels(ByteBuffer.wrap(out.bytes())).build();
    }

    /** A frame's pixels in model form: 8-bit, the model's channel count, row-major. */
    private record Pixels(byte[] bytes, int width, int height) {
    }

    private Pixels raw(ImageFrame f, byte[] px) throws InvalidFrameException {
        int w = f.getWidth();
        int h = f.getHeight();
        int c = f.getChannels();
        if (w <= 0 || h <= 0) {
            throw new InvalidFrameException(Reason.BAD_SHAPE, describe(f) + " has no pixels: " + w + "x" + h);
        }
        if (c != 1 && c != 3) {
            throw new InvalidFrameException(Reason.BAD_SHAPE, describe(f) + " has " + c + " channels; 1 (gray) or 3 (RGB) are supported");
        }
        if ((long) w * h * c != px.length) {
            throw new InvalidFrameException(Reason.BAD_SHAPE, describe(f) + " has " + px.length + " pixel bytes, "
                    + w + "x" + h + "x" + c + " needs " + (long) w * h * c);
        }
        requireModelSize(f, w, h);
        if (c == channels) {
            return new Pixels(px, w, h);
        }
        if (channels == 3) {
            throw new InvalidFrameException(Reason.BAD_SHAPE, describe(f) + " is gray; model expects RGB (3 channels)");
        }
        return new Pixels(Luma.of(px), w, h);
    }

    private Pixels encoded(ImageFrame f, byte[] px, byte[] magic, String format) throws InvalidFrameException {
        if (!startsWith(px, magic)) {
            String actual = startsWith(px, PNG_MAGIC) ? "PNG" : startsWith(px, JPEG_MAGIC) ? "JPEG" : sniff(px);
            if (actual != null) {
                throw new InvalidFrameException(Reason.UNSUPPORTED_ENCODING, describe(f) + " declares " + format
                        + " but carries " + actual);
            }
            throw new InvalidFrameException(Reason.UNDECODABLE_IMAGE, describe(f) + " is not a " + format + " image");
        }
        int[] declared = declaredSize(f, px, format);
        requireModelSize(f, declared[0], declared[1]);
        java.awt.image.BufferedImage img;
        try {
            img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(px));
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidFrameException(Reason.UNDECODABLE_IMAGE, describe(f) + " has a corrupt " + format + ": " + e.getMessage());
        }
        if (img == null) {
            throw new InvalidFrameException(Reason.UNDECODABLE_IMAGE, describe(f) + " has a corrupt " + format);
        }
        requireModelSize(f, img.getWidth(), img.getHeight());
        try {
            if (!anySize) {
                return new Pixels(ImageFiles.toGray(img, width, height), width, height);
            }
            if (channels == 3 && img.getColorModel().getNumColorComponents() == 1) {
                throw new InvalidFrameException(Reason.BAD_SHAPE, describe(f) + " is gray; model expects RGB (3 channels)");
            }
            return new Pixels(Raster.of(img, channels).toBytes(), img.getWidth(), img.getHeight());
        } catch (FrameGuardException e) {
            throw new InvalidFrameException(Reason.UNDECODABLE_IMAGE, e.getMessage());
        }
    }

    /**
     * The width and height an image file declares, read from its header alone: checked against the
     * model before a decoder allocates what a few hostile bytes can declare.
     */
    private static int[] declaredSize(ImageFrame f, byte[] px, String format) throws InvalidFrameException {
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(px))) {
            var readers = javax.imageio.ImageIO.getImageReaders(in);
            if (in != null && readers.hasNext()) {
                javax.imageio.ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    return new int[] {reader.getWidth(0), reader.getHeight(0)};
                } finally {
                    reader.dispose();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidFrameException(Reason.UNDECODABLE_IMAGE, describe(f) + " has a corrupt " + format + " header: " + e.getMessage());
        }
        throw new InvalidFrameException(Reason.UNDECODABLE_IMAGE, describe(f) + " has a corrupt " + format);
    }

    private void requireModelSize(ImageFrame f, int w, int h) throws InvalidFrameException {
        if (anySize) {
            if (w < width || h < height) {
                throw new InvalidFrameException(Reason.WRONG_SIZE, describe(f) + " is " + w + "x" + h + ", smaller than the model's "
                        + width + "x" + height + " tile");
            }
            if (w > MAX_SIDE || h > MAX_SIDE) {
                throw new InvalidFrameException(Reason.WRONG_SIZE, describe(f) + " is " + w + "x" + h + "; frames up to "
                        + MAX_SIDE + " pixels a side are scored");
            }
            return;
        }
        if (w != width || h != height) {
            throw new InvalidFrameException(Reason.WRONG_SIZE, describe(f) + " is " + w + "x" + h + ", model expects "
                    + width + "x" + height);
        }
    }

    static String describe(ImageFrame f) {
        return "frame " + f.getFrameId() + " from " + f.getSourceId();
    }

    private static String sniff(byte[] px) {
        if (startsWith(px, new byte[] {'G', 'I', 'F', '8'})) {
            return "GIF";
        }
        if (startsWith(px, new byte[] {'B', 'M'})) {
            return "BMP";
        }
        if (px.length > 12 && startsWith(px, new byte[] {'R', 'I', 'F', 'F'}) && px[8] == 'W' && px[9] == 'E') {
            return "WebP";
        }
        return null;
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The buffer's remaining bytes: its backing array when that is exactly them, else a copy. */
    public static byte[] bytes(ByteBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
