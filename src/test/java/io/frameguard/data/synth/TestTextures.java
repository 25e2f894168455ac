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
}
