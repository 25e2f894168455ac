package io.frameguard.data;

import io.frameguard.FrameGuardException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * One image of any size with one (gray) or three (RGB) channels, as floats in [0, 1], row-major
 * with the channels interleaved: the unit of inspection imagery, where frames are large and differ
 * in size. {@link ImageSet} stays the type of the digit datasets (many same-sized gray images).
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param channels 1 or 3
 * @param pixels {@code width * height * channels} values; the record owns the array
 */
public record Raster(int width, int height, int channels, float[] pixels) {

    public Raster {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (pixels.length != width * height * channels) {
            throw new IllegalArgumentException(pixels.length + " values do not hold " + width + "x" + height + "x" + channels);
        }
    }

    public static Raster blank(int width, int height, int channels) {
        return new Raster(width, height, channels, new float[width * height * channels]);
    }

    /** 8-bit pixels, row-major, channels interleaved (RAW_U8 frames, {@link ImageSet} images). */
    public static Raster ofBytes(byte[] bytes, int offset, int width, int height, int channels) {
        float[] px = new float[width * height * channels];
        for (int i = 0; i < px.length; i++) {
            px[i] = (bytes[offset + i] & 0xff) / 255f;
        }
        return new Raster(width, height, channels, px);
    }

    /**
     * Reads a PNG or JPEG file. Gray files stay gray; colour files are read as RGB, or as gray
     * ({@link Luma}) when {@code channels} is 1. {@code channels} 0 keeps what the file has.
     */
    public static Raster read(Path file, int channels) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new FrameGuardException("cannot read image " + file + ": " + e.getMessage());
        }
        if (img == null) {
            throw new FrameGuardException("not a PNG or JPEG image: " + file);
        }
        return of(img, channels);
    }

    /** {@link #read} for a decoded image. */
    public static Raster of(BufferedImage img, int channels) {
        boolean gray = img.getColorModel().getNumColorComponents() == 1;
        int c = channels == 0 ? (gray ? 1 : 3) : channels;
        int w = img.getWidth();
        int h = img.getHeight();
        float[] px = new float[w * h * c];
        if (gray && c == 1) {
            // the raster's own samples: getRGB would apply the gray colour space's gamma
            var r = img.getRaster();
            int max = (1 << img.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = r.getSample(x, y, 0) / (float) max;
                }
            }
            return new Raster(w, h, 1, px);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                float red = ((rgb >> 16) & 0xff) / 255f;
                float green = ((rgb >> 8) & 0xff) / 255f;
                float blue = (rgb & 0xff) / 255f;
                int i = (y * w + x) * c;
                if (c == 1) {
                    px[i] = Luma.of(red, green, blue);
                } else {
                    px[i] = red;
                    px[i + 1] = green;
                    px[i + 2] = blue;
                }
            }
        }
        return new Raster(w, h, c, px);
    }

    public float get(int x, int y, int c) {
        return pixels[(y * width + x) * channels + c];
    }

    public void set(int x, int y, int c, float v) {
        pixels[(y * width + x) * channels + c] = v;
    }

    public int pixelCount() {
        return width * height;
    }

    /** The {@code w × h} window at {@code (x, y)}, a copy. */
    public Raster crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + x + "," + y + ") is outside "
                    + width + "x" + height);
        }
        float[] px = new float[w * h * channels];
        for (int row = 0; row < h; row++) {
            System.arraycopy(pixels, ((y + row) * width + x) * channels, px, row * w * channels, w * channels);
        }
        return new Raster(w, h, channels, px);
    }

    public Raster copy() {
        return new Raster(width, height, channels, pixels.clone());
    }

    /** The same image with {@code c} channels: gray to RGB repeats, RGB to gray is {@link Luma}. */
    public Raster withChannels(int c) {
        if (c == channels) {
            return this;
        }
        float[] px = new float[width * height * c];
        for (int i = 0; i < width * height; i++) {
            if (c == 3) {
                Arrays.fill(px, 3 * i, 3 * i + 3, pixels[i]);
            } else {
                px[i] = Luma.of(pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]);
            }
        }
        return new Raster(width, height, c, px);
    }

    /** 8-bit pixels, rounded and clamped, channels interleaved. */
    public byte[] toBytes() {
        byte[] out = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = (byte) Math.round(Math.max(0f, Math.min(1f, pixels[i])) * 255f);
        }
        return out;
    }

    public BufferedImage toImage() {
        BufferedImage img = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        byte[] b = toBytes();
        if (channels == 1) {
            img.getRaster().setDataElements(0, 0, width, height, b);
            return img;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                img.setRGB(x, y, ((b[i] & 0xff) << 16) | ((b[i + 1] & 0xff) << 8) | (b[i + 2] & 0xff));
            }
        }
        return img;
    }

    public void writePng(Path file) {
        ImageFiles.writePng(toImage(), file);
    }
}
