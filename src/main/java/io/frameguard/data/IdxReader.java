package io.frameguard.data;

import io.frameguard.FrameGuardException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST: unsigned-byte image files (magic 0x00000803)
 * and label files (magic 0x00000801), plain or gzip-compressed (detected from the content).
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Reads an image file and its label file into one set named {@code name}. */
    public static ImageSet read(String name, Path images, Path labels) {
        Images img = readImages(images);
        int[] lab = readLabels(labels);
        if (lab.length != img.count) {
            throw new FrameGuardException(labels + " has " + lab.length + " labels but " + images + " has "
                    + img.count + " images");
        }
        String[] names = new String[lab.length];
        for (int i = 0; i < lab.length; i++) {
            names[i] = Integer.toString(lab[i]);
        }
        return new ImageSet(name, img.cols, img.rows, img.pixels, names);
    }

    record Images(int count, int rows, int cols, byte[] pixels) {
    }

    static Images readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new FrameGuardException(file + " is not an IDX image file (magic 0x%08x, expected 0x%08x)"
                        .formatted(magic, IMAGES_MAGIC));
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
                throw new FrameGuardException(file + " declares an impossible size: " + count + " images of "
                        + rows + "x" + cols);
            }
            byte[] pixels = new byte[count * rows * cols];
            readFully(in, pixels, file);
            return new Images(count, rows, cols, pixels);
        } catch (EOFException e) {
            throw new FrameGuardException(file + " is truncated: its header is incomplete");
        } catch (IOException e) {
            throw ioError(file, e);
        }
    }

    static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new FrameGuardException(file + " is not an IDX label file (magic 0x%08x, expected 0x%08x)"
                        .formatted(magic, LABELS_MAGIC));
            }
            int count = in.readInt();
            if (count < 0) {
                throw new FrameGuardException(file + " declares a negative label count " + count);
            }
            byte[] raw = new byte[count];
            readFully(in, raw, file);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (EOFException e) {
            throw new FrameGuardException(file + " is truncated: its header is incomplete");
        } catch (IOException e) {
            throw ioError(file, e);
        }
    }

    private static void readFully(DataInputStream in, byte[] into, Path file) throws IOException {
        int read = in.readNBytes(into, 0, into.length);
        if (read < into.length) {
            throw new FrameGuardException(file + " is truncated: expected " + into.length + " data bytes, found "
                    + read);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw);
    }

    private static FrameGuardException ioError(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new FrameGuardException(file + " does not exist (run: frameguard data fetch)", e);
        }
        return new FrameGuardException("cannot read " + file + ": " + e.getMessage(), e);
    }
}
