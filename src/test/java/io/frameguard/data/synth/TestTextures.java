package io.frameguard.data.synth;

import io.frameguard.data.Raster;
import java.util.Random;

/** Procedural stand-ins for photographed surfaces: unit tests must not need the network. */
final class TestTextures {
    private TestTextures() {
    }

    /** Crossing ripples plus grain: structure at several scales, like gravel or fabric. */
    static Raster surface(int width, int height, int channels, long seed) {
        Random random = new Random(seed);
        Raster r = Raster.blank(width, height, channels);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0.5 + 0.15 * Math.sin(x * 0.7 + 0.3 * y) * Math.cos(y * 0.45) + 0.08 * random.nextGaussian();
                for (int c = 0; c < channels; c++) {
                    r.set(x, y, c, (float) Math.max(0, Math.min(1, v * (1 - 0.2 * c))));
                }
            }
        }
        return r;
    }

    /**
     * A wall of flat bricks (a faint grain) between light mortar lines 2 pixels wide: mostly flat,
     * where blurring or re-lighting a small patch may change nothing.
     */
    static Raster bricks(int width, int height, long seed) {
        Random random = new Random(seed);
        Raster r = Raster.blank(width, height, 1);
        for (int y = 0; y < height; y++) {
            int offset = (y / 16) % 2 == 0 ? 0 : 16;
            for (int x = 0; x < width; x++) {
                boolean mortar = y % 16 < 2 || (x + offset) % 32 < 2;
                r.set(x, y, 0, (float) (mortar ? 0.8 : 0.45 + 0.004 * random.nextGaussian()));
            }
        }
        return r;
    }

    /**
     * Stones: cells of {@code cell} pixels, each a flat gray drawn from 0.2 to 0.8, with a little
     * grain. Busy at the scale of a defect, its pixels spread about as gravel's do (σ ≈ 0.17); a
     * smear or brightness change that is plain on a flat surface hides in it.
     */
    static Raster stones(int width, int height, int cell, long seed) {
        Random random = new Random(seed);
        int cols = (width + cell - 1) / cell;
        int rows = (height + cell - 1) / cell;
        double[] level = new double[cols * rows];
        for (int i = 0; i < level.length; i++) {
            level[i] = 0.2 + 0.6 * random.nextDouble();
        }
        Raster r = Raster.blank(width, height, 1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = level[(y / cell) * cols + x / cell] + 0.02 * random.nextGaussian();
                r.set(x, y, 0, (float) Math.max(0, Math.min(1, v)));
            }
        }
        return r;
    }
}
