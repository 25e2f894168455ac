package io.frameguard.data.synth;

import io.frameguard.data.Raster;
import java.util.Random;

/** The look of a foreign-texture defect: a patch of another material, resampled and brought near the local tone. */
final class ForeignPatch {
    private ForeignPatch() {
    }

    /** A full-size layer cut from {@code source} (already with the clean image's channels). */
    static Raster paste(Raster source, Raster clean, float[] weight, Random random) {
        // another material is seen at its own scale: resample by 0.6-1.6 so its grain differs too
        double scale = 0.6 + random.nextDouble();
        double ox = random.nextDouble() * source.width();
        double oy = random.nextDouble() * source.height();
        Raster look = Raster.blank(clean.width(), clean.height(), clean.channels());
        for (int y = 0; y < clean.height(); y++) {
            for (int x = 0; x < clean.width(); x++) {
                for (int c = 0; c < clean.channels(); c++) {
                    look.set(x, y, c, bilinear(source, ox + x * scale, oy + y * scale, c));
                }
            }
        }
        matchContrast(look, clean, weight, (random.nextBoolean() ? 1 : -1) * (0.06 + 0.08 * random.nextDouble()));
        return look;
    }

    /** Bilinear sample; the source repeats, so any offset and scale stay inside it. */
    private static float bilinear(Raster r, double x, double y, int c) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        int w = r.width();
        int h = r.height();
        int xa = Math.floorMod(x0, w), xb = Math.floorMod(x0 + 1, w), ya = Math.floorMod(y0, h), yb = Math.floorMod(y0 + 1, h);
        float top = r.get(xa, ya, c) * (1 - fx) + r.get(xb, ya, c) * fx;
        float bottom = r.get(xa, yb, c) * (1 - fx) + r.get(xb, yb, c) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /**
     * Centres the pasted patch near the mean of the clean pixels it covers (off by {@code shift}) and
     * bounds its spread, so the defect is mostly a change of material, not of brightness (which
     * {@link DefectKind#BRIGHTNESS} is for), yet never a flat blob nor a burst of noise.
     */
    private static void matchContrast(Raster look, Raster clean, float[] weight, double shift) {
        double[] lookStats = stats(look, weight);
        double[] cleanStats = stats(clean, weight);
        double targetSpread = Math.max(0.08, Math.min(0.25, Math.max(lookStats[1], cleanStats[1])));
        double spread = targetSpread / Math.max(lookStats[1], 1e-3);
        float[] px = look.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] = clamp((float) ((px[i] - lookStats[0]) * spread + cleanStats[0] + shift));
        }
    }

    /** Mean and standard deviation over all channels of the pixels inside the shape. */
    private static double[] stats(Raster r, float[] weight) {
        double sum = 0, sq = 0;
        long n = 0;
        for (int i = 0; i < weight.length; i++) {
            if (weight[i] > 0.5f) {
                for (int c = 0; c < r.channels(); c++) {
                    double v = r.pixels()[i * r.channels() + c];
                    sum += v;
                    sq += v * v;
                    n++;
                }
            }
        }
        double mean = n == 0 ? 0.5 : sum / n;
        return new double[] {mean, n == 0 ? 0 : Math.sqrt(Math.max(0, sq / n - mean * mean))};
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
