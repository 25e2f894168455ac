package io.frameguard.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The 2×2-block layout of the convolutional hourglass's output: an image of {@code h×w} pixels as
 * {@code [n, 4, h/2, w/2]}, channel {@code 2·dy + dx} holding pixel {@code (2y + dy, 2x + dx)}.
 * Predicting blocks at half resolution spares the network every full-resolution layer, the
 * slowest ones in DL4J on a CPU; these two reshapes are all it costs.
 */
public final class BlockLayout {
    /** Channels of the block layout: one per pixel of a 2×2 block. */
    public static final int CHANNELS = 4;

    private BlockLayout() {
    }

    /** {@code [n, h·w]} (or {@code [n, 1, h, w]}) row-major images to {@code [n, 4, h/2, w/2]} blocks. */
    public static INDArray toBlocks(INDArray images, int height, int width) {
        long n = images.size(0);
        return images.reshape('c', n, height / 2, 2, width / 2, 2)
                .permute(0, 2, 4, 1, 3)
                .dup('c')
                .reshape('c', n, CHANNELS, height / 2, width / 2);
    }

    /** {@code [n, 4, h/2, w/2]} blocks back to {@code [n, h·w]} row-major images. */
    public static INDArray toImages(INDArray blocks) {
        long n = blocks.size(0);
        long h2 = blocks.size(2);
        long w2 = blocks.size(3);
        return blocks.reshape('c', n, 2, 2, h2, w2)
                .permute(0, 3, 1, 4, 2)
                .dup('c')
                .reshape('c', n, 4 * h2 * w2);
    }

    /** Whether a network output is in this layout rather than whole images. */
    public static boolean isBlocks(INDArray output, int pixelsPerImage) {
        return output.rank() == 4 && output.size(1) == CHANNELS
                && output.size(2) * output.size(3) * CHANNELS == pixelsPerImage;
    }
}
