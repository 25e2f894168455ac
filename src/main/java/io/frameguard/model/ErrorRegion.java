package io.frameguard.model;

import java.awt.Rectangle;

/**
 * Where in an image the reconstruction error is, from its per-pixel error map: the one definition
 * the stream's anomaly events and the reports' boxes share.
 */
public final class ErrorRegion {
    /** Pixels with at least this share of the largest error make up the region. */
    public static final double REGION_SHARE = 0.5;

    private ErrorRegion() {
    }

    /**
     * The bounding box, in map pixels, of the pixels whose error is at least half the largest; null
     * if the map is all zero.
     */
    public static Rectangle of(float[] err, int width, int height) {
        float max = 0;
        for (float v : err) {
            max = Math.max(max, v);
        }
        if (!(max > 0)) {
            return null;
        }
        float cut = (float) (max * REGION_SHARE);
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (err[y * width + x] >= cut) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
}
