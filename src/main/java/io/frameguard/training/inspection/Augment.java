package io.frameguard.training.inspection;

import io.frameguard.data.Raster;
import java.util.Random;

/**
 * The augmentations that keep a normal surface normal: the eight flips and quarter turns of a
 * square crop. Brightness and scale are left alone: on a line they can be what a defect is.
 */
final class Augment {
    private Augment() {
    }

    /** One of the eight symmetries of the square, at random; the crop must be square. */
    static Raster random(Raster r, Random random) {
        int s = r.width();
        int c = r.channels();
        int op = random.nextInt(8);
        Raster out = Raster.blank(s, s, c);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int sx = (op & 1) == 0 ? x : s - 1 - x;
                int sy = (op & 2) == 0 ? y : s - 1 - y;
                if ((op & 4) != 0) {
                    int t = sx;
                    sx = sy;
                    sy = t;
                }
                for (int k = 0; k < c; k++) {
                    out.set(x, y, k, r.get(sx, sy, k));
                }
            }
        }
        return out;
    }
}
