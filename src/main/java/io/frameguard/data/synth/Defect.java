package io.frameguard.data.synth;

import io.frameguard.data.Raster;

/**
 * One synthetic defect drawn into an image.
 *
 * @param image the clean image with the defect, same size and channels as the clean one
 * @param mask one channel, same size: 1 on every pixel the defect changed, 0 elsewhere
 * @param kind what was drawn
 */
public record Defect(Raster image, Raster mask, DefectKind kind) {
    /** Pixels inside the mask. */
    public int maskArea() {
        int n = 0;
        for (float v : mask.pixels()) {
            if (v > 0.5f) {
                n++;
            }
        }
        return n;
    }
}
