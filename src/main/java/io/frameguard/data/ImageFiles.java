package io.frameguard.data;

import io.frameguard.FrameGuardException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * Reads PNG/JPEG (and anything else ImageIO decodes) into the model's grayscale input: converted
 * to luminance and resized to {@code width × height} with bilinear interpolation.
 *
 * <p>A folder is read as a labelled set: images directly in it get the label {@value #UNLABELLED},
 * images in a sub-folder get the sub-folder's name ({@code dir/1/a.png} has label "1").
 */
public final class ImageFiles {
    public static final String UNLABELLED = "unlabelled";

    private ImageFiles() {
    }

    /** Reads every image below {@code dir}; any file that is not an image is an error naming it. */
    public static ImageSet readFolder(Path dir, int width, int height) {
        if (!Files.isDirectory(dir)) {
            throw new FrameGuardException(dir + " is not a folder of images");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new FrameGuardException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new FrameGuardException(dir + " holds no image files");
        }
        int n = width * height;
        byte[] pixels = new byte[files.size() * n];
        String[] labels = new String[files.size()];
        List<String> unreadable = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try {
                System.arraycopy(readGray(f, width, height), 0, pixels, i * n, n);
            } catch (FrameGuardException e) {
                unreadable.add(dir.relativize(f).toString());
                continue;
            }
            Path parent = dir.relativize(f).getParent();
            labels[i] = parent == null ? UNLABELLED : parent.toString();
        }
        if (!unreadable.isEmpty()) {
            throw new FrameGuardException(dir + ": " + unreadable.size() + " file(s) are not readable images: "
                    + String.join(", ", unreadable.subList(0, Math.min(5, unreadable.size())))
                    + (unreadable.size() > 5 ? ", ..." : ""));
        }
        return new ImageSet(dir.toString(), width, height, pixels, labels);
    }

    /** One image file as {@code width × height} grayscale bytes. */
    public static byte[] readGray(Path file, int width, int height) {
        try {
            return decodeGray(Files.readAllBytes(file), width, height, file.toString());
        } catch (IOException e) {
            throw new FrameGuardException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Encoded image bytes as {@code width × height} grayscale bytes; {@code what} names it in errors. */
    public static byte[] decodeGray(byte[] encoded, int width, int height, String what) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new FrameGuardException(what + " is not a decodable image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new FrameGuardException(what + " is not a PNG/JPEG image");
        }
        return toGray(img, width, height);
    }

    /** Draws {@code img} into a {@code width × height} 8-bit gray image and returns its bytes. */
    public static byte[] toGray(BufferedImage img, int width, int height) {
        BufferedImage gray = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        byte[] out = new byte[width * height];
        gray.getRaster().getDataElements(0, 0, width, height, out);
        return out;
    }

    /** Grayscale bytes as a PNG-encodable image (for reports and anomaly maps). */
    public static BufferedImage fromGray(byte[] pixels, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, width, height, pixels);
        return img;
    }

    /** Per thread, one deflater per level, reset for each image: a new one allocates ~256 KB of zlib state. */
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * Grayscale bytes encoded as an 8-bit grayscale PNG in memory: signature, IHDR, one zlib IDAT
     * with filter type 0 on every row, IEND (PNG specification, 2nd edition, clauses 5, 11.2 and 9),
     * compressed at zlib's fastest level.
     */
    public static byte[] png(byte[] pixels, int width, int height) {
        return png(pixels, width, height, Deflater.BEST_SPEED);
    }

    /**
     * {@link #png(byte[], int, int)} at a given zlib level, 0 (stored, not compressed) to 9. Written
     * here rather than by ImageIO, whose PNG writer spent ~80 µs on each 28×28 image (writer lookup,
     * adaptive row filters, stream layers); any PNG decoder reads the result (the tests decode it with
     * ImageIO).
     */
    public static byte[] png(byte[] pixels, int width, int height, int level) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(pixels.length + " pixels for a " + width + "x" + height + " image");
        }
        if (level < Deflater.NO_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("zlib level must be 0 to 9, got " + level);
        }
        byte[] rows = new byte[height * (width + 1)];
        for (int y = 0; y < height; y++) {
            System.arraycopy(pixels, y * width, rows, y * (width + 1) + 1, width);
        }
        Deflater[] perLevel = DEFLATERS.get();
        if (perLevel[level] == null) {
            perLevel[level] = new Deflater(level);
        }
        Deflater deflater = perLevel[level];
        deflater.reset();
        deflater.setInput(rows);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(rows.length / 2 + 64);
        byte[] buf = new byte[rows.length + 64];
        while (!deflater.finished()) {
            compressed.write(buf, 0, deflater.deflate(buf));
        }
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8)   // bit depth
                .put((byte) 0)   // colour type: grayscale
                .put((byte) 0)   // compression: zlib
                .put((byte) 0)   // filter method 0
                .put((byte) 0);  // no interlace
        ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.size() + 64);
        out.writeBytes(PNG_SIGNATURE);
        chunk(out, "IHDR", header.array());
        chunk(out, "IDAT", compressed.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A PNG chunk: length, type, data, and the CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    public static void writePng(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
