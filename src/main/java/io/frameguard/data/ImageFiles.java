package io.frameguard.data;

import io.frameguard.FrameGuardException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

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

    /**
     * Grayscale bytes encoded as a PNG in memory. The encoder writes to a memory-cached stream:
     * {@code ImageIO.write} to an {@code OutputStream} would create and delete a temporary file for
     * every image (ImageIO's disk cache), which on a stream thread costs more than the encoding.
     */
    public static byte[] png(byte[] pixels, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(fromGray(pixels, width, height));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
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
