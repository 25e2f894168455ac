package io.frameguard.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * A set of same-sized grayscale 8-bit images with one label each, stored row-major in one array.
 * Labels are strings so that sets from different sources can be mixed ("3", "fashion").
 *
 * @param name where the images came from, for messages and provenance
 * @param width image width in pixels
 * @param height image height in pixels
 * @param pixels {@code size() * width * height} bytes, image after image
 * @param labels one label per image
 */
public record ImageSet(String name, int width, int height, byte[] pixels, String[] labels) {

    public ImageSet {
        Objects.requireNonNull(name, "name");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if ((long) labels.length * width * height != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes do not hold "
                    + labels.length + " images of " + width + "x" + height);
        }
    }

    public int size() {
        return labels.length;
    }

    public int pixelsPerImage() {
        return width * height;
    }

    /** A copy of image {@code i}'s pixels. */
    public byte[] image(int i) {
        int n = pixelsPerImage();
        return Arrays.copyOfRange(pixels, i * n, (i + 1) * n);
    }

    public String label(int i) {
        return labels[i];
    }

    /** The images at the given positions, in that order. */
    public ImageSet subset(int[] indices) {
        int n = pixelsPerImage();
        byte[] px = new byte[indices.length * n];
        String[] lb = new String[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(pixels, indices[j] * n, px, j * n, n);
            lb[j] = labels[indices[j]];
        }
        return new ImageSet(name, width, height, px, lb);
    }

    public ImageSet filter(Predicate<String> labelFilter) {
        return subset(IntStream.range(0, size()).filter(i -> labelFilter.test(labels[i])).toArray());
    }

    /** The first {@code perLabel} images of each label, in their original order. */
    public ImageSet firstPerLabel(int perLabel) {
        Map<String, Integer> seen = new TreeMap<>();
        return subset(IntStream.range(0, size())
                .filter(i -> seen.merge(labels[i], 1, Integer::sum) <= perLabel)
                .toArray());
    }

    public ImageSet head(int count) {
        return subset(IntStream.range(0, Math.min(count, size())).toArray());
    }

    /** The same images under another label, e.g. all of Fashion-MNIST as "fashion". */
    public ImageSet relabel(String label) {
        String[] lb = new String[size()];
        Arrays.fill(lb, label);
        return new ImageSet(name, width, height, pixels, lb);
    }

    public ImageSet concat(ImageSet other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("cannot mix " + width + "x" + height + " images of " + name
                    + " with " + other.width + "x" + other.height + " images of " + other.name);
        }
        byte[] px = Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, px, pixels.length, other.pixels.length);
        String[] lb = Arrays.copyOf(labels, labels.length + other.labels.length);
        System.arraycopy(other.labels, 0, lb, labels.length, other.labels.length);
        return new ImageSet(name + "+" + other.name, width, height, px, lb);
    }

    /** Label → count, in label order. */
    public Map<String, Integer> labelCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String l : labels) {
            counts.merge(l, 1, Integer::sum);
        }
        return new LinkedHashMap<>(counts);
    }

    public Set<String> distinctLabels() {
        return labelCounts().keySet();
    }
}
