package io.frameguard.training.inspection;

import io.frameguard.data.Raster;
import java.util.List;
import java.util.Random;

/**
 * The synthetic anomalies the segmentation network learns from, after DRAEM: an irregular region
 * from thresholded Perlin noise, filled with something that does not belong there and blended in.
 * Fillings: another part of the normal images turned and re-lit, a procedural noise texture, a
 * local gain, a local blur, a local directional blur. None of them is a defect kind of the test generator
 * ({@code data synth}); the network learns "locally unlike the rest", not the test's shapes.
 */
public final class AnomalySynthesis {
    private final List<Raster> normals;

    /** @param normals the training images, source of the displaced-texture filling */
    public AnomalySynthesis(List<Raster> normals) {
        this.normals = normals;
    }

    /**
     * Edges of the blended region are softened by a box mean of 0 (hard, as in DRAEM) to this many
     * pixels, drawn evenly; a region too thin for its box keeps a hard edge. A network trained on hard
     * edges only learns to find the edge: one trained so on gravel scored its validation crops with a
     * uniform disc painted in at 0.97–0.99, the same discs with their edges ramped over 1¼ pixels at
     * 0.2–0.55, the clean crops at 0.15. Stains, smudges and lighting faults have soft edges.
     */
    static final int MAX_FEATHER = 4;

    /**
     * A crop with an anomaly blended in, and the anomaly's mask (1 channel, 0 or 1): the pixels blended
     * in at half weight or more. A soft edge changes a rim of pixels outside the mask a little.
     */
    public record Sample(Raster image, Raster mask) {
    }

    public Sample apply(Raster clean, Random random) {
        int w = clean.width();
        int h = clean.height();
        float[] region = region(w, h, random);
        int kind = random.nextInt(FILLINGS);
        Raster filling = filling(clean, kind, random);
        // photometric fillings are subtle already; textures are blended in part, as DRAEM does
        float opacity = kind >= 2 ? 1f : 0.5f + 0.5f * random.nextFloat();
        float[] alpha = feathered(region, w, h, random.nextInt(MAX_FEATHER + 1));
        Raster out = clean.copy();
        int c = clean.channels();
        float[] mask = new float[w * h];
        for (int p = 0; p < w * h; p++) {
            if (alpha[p] > 0) {
                mask[p] = alpha[p] >= 0.5f ? 1 : 0;
                float a = opacity * alpha[p];
                for (int k = 0; k < c; k++) {
                    int i = p * c + k;
                    out.pixels()[i] = (1 - a) * clean.pixels()[i] + a * filling.pixels()[i];
                }
            }
        }
        return new Sample(out, new Raster(w, h, 1, mask));
    }

    /**
     * The region with its edge softened by a box mean of {@code radius} pixels: the blending weight of
     * each pixel. The hard region where softening would leave no pixel at one half or more (a region
     * thinner than the box).
     */
    static float[] feathered(float[] region, int w, int h, int radius) {
        if (radius == 0) {
            return region;
        }
        float[] soft = boxBlur(new Raster(w, h, 1, region), radius).pixels();
        for (float v : soft) {
            if (v >= 0.5f) {
                return soft;
            }
        }
        return region;
    }

    /** Thresholded Perlin noise, kept inside a random window so that most regions stay small. */
    private static float[] region(int w, int h, Random random) {
        for (int attempt = 0; ; attempt++) {
            int cell = 1 << (2 + random.nextInt(3)); // 4, 8 or 16 pixels per noise cell
            float[] noise = Perlin.field(w, h, cell, random);
            int bw = Math.max(5, (int) (w * (0.06 + 0.34 * random.nextDouble())));
            int bh = Math.max(5, (int) (h * (0.06 + 0.34 * random.nextDouble())));
            int x0 = random.nextInt(w - bw + 1);
            int y0 = random.nextInt(h - bh + 1);
            float threshold = 0.15f + 0.25f * random.nextFloat();
            float[] region = new float[w * h];
            int area = 0;
            for (int y = y0; y < y0 + bh; y++) {
                for (int x = x0; x < x0 + bw; x++) {
                    if (noise[y * w + x] > threshold) {
                        region[y * w + x] = 1;
                        area++;
                    }
                }
            }
            if (area >= 6 || attempt > 20) {
                return region;
            }
        }
    }

    private static final int FILLINGS = 5;

    /** 0 displaced texture, 1 procedural noise, 2 gain, 3 blur, 4 directional blur. */
    private Raster filling(Raster clean, int kind, Random random) {
        int w = clean.width();
        int h = clean.height();
        int c = clean.channels();
        return switch (kind) {
            case 0 -> displaced(w, h, c, random);
            case 1 -> {
                float[] n = Perlin.field(w, h, 1 << (1 + random.nextInt(3)), random);
                float lo = random.nextFloat();
                float hi = random.nextFloat();
                Raster r = Raster.blank(w, h, c);
                for (int p = 0; p < w * h; p++) {
                    for (int k = 0; k < c; k++) {
                        r.pixels()[p * c + k] = lo + (hi - lo) * (0.5f + 0.5f * n[p]);
                    }
                }
                yield r;
            }
            case 2 -> {
                float change = 0.1f + 0.5f * random.nextFloat();
                float gain = random.nextBoolean() ? 1 - change : 1 + change;
                Raster r = clean.copy();
                for (int i = 0; i < r.pixels().length; i++) {
                    r.pixels()[i] = Math.min(1f, r.pixels()[i] * gain);
                }
                yield r;
            }
            case 3 -> boxBlur(clean, 1 + random.nextInt(4));
            default -> directionalBlur(clean, 3 + random.nextInt(6), random.nextDouble() * Math.PI);
        };
    }

    /** The mean along a line of {@code length} pixels at {@code angle} through each pixel. */
    static Raster directionalBlur(Raster r, int length, double angle) {
        int w = r.width();
        int h = r.height();
        int c = r.channels();
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        Raster out = Raster.blank(w, h, c);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    float sum = 0;
                    for (int t = 0; t < length; t++) {
                        double o = t - (length - 1) / 2.0;
                        int xx = Math.min(w - 1, Math.max(0, (int) Math.round(x + o * dx)));
                        int yy = Math.min(h - 1, Math.max(0, (int) Math.round(y + o * dy)));
                        sum += r.get(xx, yy, k);
                    }
                    out.set(x, y, k, sum / length);
                }
            }
        }
        return out;
    }

    /** A same-sized window of a training image, flipped or turned, with its contrast and level changed. */
    private Raster displaced(int w, int h, int c, Random random) {
        Raster src = normals.get(random.nextInt(normals.size()));
        Raster window = src.crop(random.nextInt(src.width() - w + 1), random.nextInt(src.height() - h + 1), w, h);
        Raster turned = Augment.random(window, random);
        float contrast = 0.5f + random.nextFloat();
        float shift = (random.nextFloat() - 0.5f) * 0.4f;
        for (int i = 0; i < turned.pixels().length; i++) {
            turned.pixels()[i] = Math.max(0f, Math.min(1f, (turned.pixels()[i] - 0.5f) * contrast + 0.5f + shift));
        }
        return turned.withChannels(c);
    }

    static Raster boxBlur(Raster r, int radius) {
        int w = r.width();
        int h = r.height();
        int c = r.channels();
        Raster out = Raster.blank(w, h, c);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    float sum = 0;
                    int n = 0;
                    for (int dy = -radius; dy <= radius; dy++) {
                        for (int dx = -radius; dx <= radius; dx++) {
                            int yy = Math.min(h - 1, Math.max(0, y + dy));
                            int xx = Math.min(w - 1, Math.max(0, x + dx));
                            sum += r.get(xx, yy, k);
                            n++;
                        }
                    }
                    out.set(x, y, k, sum / n);
                }
            }
        }
        return out;
    }
}
