package io.frameguard.data.synth;

import io.frameguard.data.Raster;

/**
 * The look of a smear: every pixel averaged with its neighbours along one direction, as when wet
 * material or a wiping tool drags the surface. A directional blur reads as a smear to a person;
 * an isotropic one on a fine texture reads as a mere focus problem.
 */
final class MotionBlur {
    private MotionBlur() {
    }

    /**
     * {@code image} averaged over {@code length} pixels along {@code angle} (samples outside clamp to
     * the border) at the pixels where {@code weight} (one per pixel) is above ½, {@code image} itself
     * elsewhere: a defect's blend takes its look only under its mask, and a long smear over a whole
     * 256×256 frame costs a hundred samples a pixel.
     */
    static Raster along(Raster image, double angle, double length, float[] weight) {
        int w = image.width();
        int h = image.height();
        int ch = image.channels();
        int taps = Math.max(2, (int) Math.ceil(length)) + 1;
        int[] ox = new int[taps];
        int[] oy = new int[taps];
        for (int t = 0; t < taps; t++) {
            double d = (t / (taps - 1.0) - 0.5) * length;
            ox[t] = (int) Math.round(d * Math.cos(angle));
            oy[t] = (int) Math.round(d * Math.sin(angle));
        }
        Raster out = image.copy();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (weight[y * w + x] <= 0.5f) {
                    continue;
                }
                for (int c = 0; c < ch; c++) {
                    double sum = 0;
                    for (int t = 0; t < taps; t++) {
                        sum += image.get(Math.max(0, Math.min(w - 1, x + ox[t])), Math.max(0, Math.min(h - 1, y + oy[t])), c);
                    }
                    out.set(x, y, c, (float) (sum / taps));
                }
            }
        }
        return out;
    }
}
