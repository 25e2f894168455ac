package io.frameguard.data.synth;

import io.frameguard.data.Raster;
import io.frameguard.data.synth.DefectShapes.Polyline;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws one small, local synthetic defect into a copy of a clean image, with its ground-truth mask.
 *
 * <p>Sizes are in units of 1/64 of the image's shorter side, so a defect covers about the same
 * fraction of any image (roughly 0.5–6 % of a 64×64 crop) and sits fully inside it; line widths
 * grow only with the square root of that unit, because a scratch stays thin on a sharper camera.
 * Every kind is drawn as a soft weight field (see {@link DefectShapes}) blended between the clean
 * image and how the defect looks at full strength. The mask is where the weight exceeds 0.5, and
 * the blend fades to nothing exactly there: pixels outside the mask are the clean ones, bit for bit.
 *
 * <p>A defect is drawn to be visible, on a flat surface as on a busy one: the pixels under its mask
 * change by at least {@link #MIN_VISIBLE_CHANGE} on average, and by at least
 * {@link #MIN_CONTRAST_RATIO} of the surface's own variation around it ({@link #contrastRatio}). A
 * draw that changes less (a smear over a flat part of the surface, which blurring leaves as it was;
 * a 15 % brightness change among stones whose pixels spread over a third of the range) is drawn
 * again, elsewhere, with new parameters and a strength that grows with each attempt
 * ({@link #strength}), {@link #ATTEMPTS} draws in all; where none is visible (a flat black image,
 * which neither blurring nor re-lighting changes) the draw that came closest, its change over the
 * change it needed, is kept. A mask over pixels that do not stand out would label as a defect what
 * neither a person nor a detector can see.
 *
 * <p>Works on gray and RGB images and keeps their channels. The result depends only on the image,
 * the kind, the foreign textures and the state of the {@link Random} passed in.
 */
public final class DefectGenerator {
    private final List<Raster> foreignTextures;

    /**
     * @param foreignTextures images whose patches {@link DefectKind#FOREIGN_TEXTURE} pastes in (other
     *     materials than the one inspected); empty means a procedural texture is drawn instead
     */
    public DefectGenerator(List<Raster> foreignTextures) {
        this.foreignTextures = List.copyOf(foreignTextures);
    }

    /**
     * The least mean absolute change of the pixels under a defect's mask, on the 0–1 scale: 0.03 is
     * about 8 gray levels of 255, on a flat mid-gray surface a step of 6 % contrast, which a person sees.
     */
    public static final float MIN_VISIBLE_CHANGE = 0.03f;
    /**
     * The least mean change under a defect's mask over the standard deviation of the surface around
     * it ({@link #contrastRatio}): at half the surface's own spread a change starts to show; below it,
     * a smear or re-lighting on gravel hides among the stones (a person looking at them finds none).
     */
    public static final float MIN_CONTRAST_RATIO = 0.5f;
    /** Draws of one defect at most, before the one that came closest to visible is kept. */
    static final int ATTEMPTS = 20;
    /** How much stronger each new draw makes a kind with a strength ({@link #strength}). */
    private static final double STRENGTH_STEP = 0.15;

    /**
     * {@code clean} with one defect of {@code kind}, visible unless no draw of {@link #ATTEMPTS} was;
     * {@code clean} itself is left untouched.
     */
    public Defect apply(Raster clean, DefectKind kind, Random random) {
        Defect best = null;
        float bestShare = -1;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Defect d = draw(clean, kind, strength(attempt), random);
            float change = meanChangeUnderMask(clean, d);
            float needed = Math.max(MIN_VISIBLE_CHANGE, MIN_CONTRAST_RATIO * localContrast(clean, d.mask()));
            if (change >= needed) {
                return d;
            }
            float share = change / needed;
            if (share > bestShare) {
                best = d;
                bestShare = share;
            }
        }
        return best;
    }

    /**
     * How strongly attempt {@code attempt} (from 0) draws a kind that has a strength: 1 for the first,
     * then {@link #STRENGTH_STEP} more for each attempt (3.85 for the last). A smear drags over that
     * many times its first length; a brightness change scales its step (up to ±90 %); marks (scratch,
     * spot, crack) come that much closer to their full tone. Holes and foreign textures have none and
     * are only drawn again elsewhere.
     */
    static double strength(int attempt) {
        return 1 + STRENGTH_STEP * attempt;
    }

    /** The mean absolute difference between {@code clean} and the defect's image over the mask's pixels and channels. */
    public static float meanChangeUnderMask(Raster clean, Defect d) {
        int c = clean.channels();
        float[] mask = d.mask().pixels();
        double sum = 0;
        long n = 0;
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] > 0.5f) {
                for (int k = p * c; k < p * c + c; k++) {
                    sum += Math.abs(d.image().pixels()[k] - clean.pixels()[k]);
                }
                n += c;
            }
        }
        return n == 0 ? 0 : (float) (sum / n);
    }

    /**
     * How far a defect stands out from the surface around it: the mean change under its mask
     * ({@link #meanChangeUnderMask}) over the standard deviation of the clean image in the mask's
     * bounding box grown by a tenth of the image's shorter side (at least 2 pixels). A change a tenth
     * of the way from black to white is plain on a flat surface; among stones whose pixels spread over
     * a third of the range it competes with the surface's own variation. {@link Float#POSITIVE_INFINITY}
     * on a flat surface; 0 for an empty mask.
     */
    public static float contrastRatio(Raster clean, Defect d) {
        float change = meanChangeUnderMask(clean, d);
        float contrast = localContrast(clean, d.mask());
        return contrast < 1e-6 ? (change > 0 ? Float.POSITIVE_INFINITY : 0) : change / contrast;
    }

    /**
     * The standard deviation of {@code clean} over every channel in the bounding box of {@code mask}'s
     * pixels above ½, grown by a tenth of the image's shorter side (at least 2 pixels); 0 for an empty
     * mask, whose change is 0 too.
     */
    static float localContrast(Raster clean, Raster mask) {
        int w = clean.width();
        int h = clean.height();
        float[] m = mask.pixels();
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int p = 0; p < m.length; p++) {
            if (m[p] > 0.5f) {
                x0 = Math.min(x0, p % w);
                x1 = Math.max(x1, p % w);
                y0 = Math.min(y0, p / w);
                y1 = Math.max(y1, p / w);
            }
        }
        if (x1 < 0) {
            return 0;
        }
        int grow = Math.max(2, Math.min(w, h) / 10);
        int c = clean.channels();
        double sum = 0;
        double squares = 0;
        long n = 0;
        for (int y = Math.max(0, y0 - grow); y <= Math.min(h - 1, y1 + grow); y++) {
            for (int x = Math.max(0, x0 - grow); x <= Math.min(w - 1, x1 + grow); x++) {
                for (int k = 0; k < c; k++) {
                    double v = clean.get(x, y, k);
                    sum += v;
                    squares += v * v;
                    n++;
                }
            }
        }
        double mean = sum / n;
        return (float) Math.sqrt(Math.max(0, squares / n - mean * mean));
    }

    /** One draw of {@code kind} at {@code strength} ({@link #strength}), visible or not. */
    Defect draw(Raster clean, DefectKind kind, double strength, Random random) {
        int w = clean.width();
        int h = clean.height();
        double unit = Math.min(w, h) / 64.0;
        float[] weight = new float[w * h];
        Raster look = switch (kind) {
            case SCRATCH -> scratch(clean, weight, unit, strength, random);
            case SPOT -> spot(clean, weight, unit, strength, random);
            case CRACK -> crack(clean, weight, unit, strength, random);
            case FOREIGN_TEXTURE -> foreign(clean, weight, unit, random);
            case HOLE -> hole(clean, weight, unit, random);
            case SMEAR -> smear(clean, weight, unit, strength, random);
            case BRIGHTNESS -> brightness(clean, weight, unit, strength, random);
        };
        return blend(clean, look, weight, kind);
    }

    private Raster scratch(Raster clean, float[] weight, double unit, double strength, Random random) {
        int s = Math.min(clean.width(), clean.height());
        double length = s * (0.5 + 0.3 * random.nextDouble());
        double angle = 2 * Math.PI * random.nextDouble();
        double bend = length * (random.nextDouble() - 0.5) * 0.3;
        double halfWidth = Math.sqrt(unit) * (0.6 + 0.4 * random.nextDouble());
        int n = Math.max(8, (int) (length / 2));
        double[] xs = new double[n];
        double[] ys = new double[n];
        double[] hws = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / (n - 1.0);
            // a quadratic Bézier bulge: a tool dragged across bends the line, it does not zig-zag
            double along = (t - 0.5) * length;
            double across = 4 * t * (1 - t) * bend;
            xs[i] = along * Math.cos(angle) - across * Math.sin(angle);
            ys[i] = along * Math.sin(angle) + across * Math.cos(angle);
            hws[i] = halfWidth * (0.45 + 0.55 * Math.sin(Math.PI * t));
        }
        DefectShapes.lines(weight, clean.width(), clean.height(),
                DefectShapes.placeInside(List.of(new Polyline(xs, ys, hws)), clean.width(), clean.height(), 2, random));
        return towards(clean, tone(clean, random), closer(0.65 + 0.25 * random.nextDouble(), strength), null);
    }

    private Raster spot(Raster clean, float[] weight, double unit, double strength, Random random) {
        DefectShapes.blob(weight, clean.width(), clean.height(), unit * (3 + 2.5 * random.nextDouble()), 0.12,
                2.5 * unit, random);
        float tone = tone(clean, random);
        float[] tint = tint(clean.channels(), random);
        return towards(clean, tone, closer(0.7 + 0.25 * random.nextDouble(), strength), tint);
    }

    private Raster crack(Raster clean, float[] weight, double unit, double strength, Random random) {
        int s = Math.min(clean.width(), clean.height());
        double length = s * (0.4 + 0.2 * random.nextDouble());
        double halfWidth = Math.sqrt(unit) * (0.7 + 0.3 * random.nextDouble());
        double angle = 2 * Math.PI * random.nextDouble();
        List<Polyline> lines = new ArrayList<>();
        Polyline trunk = randomWalk(0, 0, angle, length, 1.2 * unit, halfWidth, random);
        lines.add(trunk);
        int branches = 1 + random.nextInt(2);
        for (int b = 0; b < branches; b++) {
            int at = trunk.xs().length / 4 + random.nextInt(Math.max(1, trunk.xs().length / 2));
            double turn = (0.5 + 0.6 * random.nextDouble()) * (random.nextBoolean() ? 1 : -1);
            lines.add(randomWalk(trunk.xs()[at], trunk.ys()[at], angle + turn, length * (0.25 + 0.2 * random.nextDouble()),
                    1.2 * unit, trunk.halfWidths()[at] * 0.75, random));
        }
        DefectShapes.lines(weight, clean.width(), clean.height(),
                DefectShapes.placeInside(lines, clean.width(), clean.height(), 2, random));
        Raster look = clean.copy();
        float dark = (float) ((0.1 + 0.2 * random.nextFloat()) / strength);
        float[] px = look.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] *= dark;
        }
        return look;
    }

    /** A crack's line: steps of {@code step} pixels whose heading wanders, narrowing to its tip. */
    private static Polyline randomWalk(double x, double y, double angle, double length, double step,
                                       double halfWidth, Random random) {
        int n = Math.max(3, (int) Math.round(length / step) + 1);
        double[] xs = new double[n];
        double[] ys = new double[n];
        double[] hws = new double[n];
        double heading = angle;
        xs[0] = x;
        ys[0] = y;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                heading += 0.35 * random.nextGaussian();
                xs[i] = xs[i - 1] + step * Math.cos(heading);
                ys[i] = ys[i - 1] + step * Math.sin(heading);
            }
            hws[i] = halfWidth * (1 - 0.6 * i / (n - 1.0));
        }
        return new Polyline(xs, ys, hws);
    }

    private Raster foreign(Raster clean, float[] weight, double unit, Random random) {
        DefectShapes.blob(weight, clean.width(), clean.height(), unit * (4 + 3.5 * random.nextDouble()), 0.2,
                1.5 * unit, random);
        Raster source = foreignTextures.isEmpty()
                ? ProceduralTexture.draw(clean.width(), clean.height(), clean.channels(), unit, random)
                : foreignTextures.get(random.nextInt(foreignTextures.size())).withChannels(clean.channels());
        return ForeignPatch.paste(source, clean, weight, random);
    }

    private Raster hole(Raster clean, float[] weight, double unit, Random random) {
        DefectShapes.blob(weight, clean.width(), clean.height(), unit * (3.5 + 2.5 * random.nextDouble()), 0.3,
                unit, random);
        int rim = Math.max(1, (int) Math.round(unit));
        float black = 0.02f + 0.06f * random.nextFloat();
        Raster look = clean.copy();
        for (int y = 0; y < clean.height(); y++) {
            for (int x = 0; x < clean.width(); x++) {
                if (weight[y * clean.width() + x] <= 0.5f) {
                    continue;
                }
                // the broken edge catches the light: a thin lighter rim just inside the border
                boolean edge = nearOutside(weight, clean.width(), clean.height(), x, y, rim);
                float depthNoise = (float) (0.01 * random.nextGaussian());
                for (int c = 0; c < clean.channels(); c++) {
                    float v = clean.get(x, y, c);
                    look.set(x, y, c, edge ? clamp(0.6f * v + 0.4f) : clamp(black + depthNoise));
                }
            }
        }
        return look;
    }

    private static boolean nearOutside(float[] weight, int w, int h, int x, int y, int r) {
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < w && yy < h && weight[yy * w + xx] <= 0.5f) {
                    return true;
                }
            }
        }
        return false;
    }

    private Raster smear(Raster clean, float[] weight, double unit, double strength, Random random) {
        DefectShapes.blob(weight, clean.width(), clean.height(), unit * (4 + 3 * random.nextDouble()), 0.2,
                3 * unit, random);
        double angle = Math.PI * random.nextDouble();
        return MotionBlur.along(clean, angle, unit * (5 + 4 * random.nextDouble()) * strength, weight);
    }

    private Raster brightness(Raster clean, float[] weight, double unit, double strength, Random random) {
        DefectShapes.blob(weight, clean.width(), clean.height(), unit * (4.5 + 3 * random.nextDouble()), 0.15,
                5 * unit, random);
        int sign = random.nextBoolean() ? 1 : -1;
        float factor = (float) (1 + sign * Math.min(0.9, (0.15f + 0.15f * random.nextFloat()) * strength));
        Raster look = clean.copy();
        float[] px = look.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] = clamp(px[i] * factor);
        }
        return look;
    }

    /** A blend weight towards a mark's tone, {@code strength} times as close to full: 0.7 at 2 is 0.85. */
    private static double closer(double weight, double strength) {
        return 1 - (1 - weight) / strength;
    }

    /** Bright or dark, mostly the opposite of the image's mean, so the mark stands out from it. */
    private static float tone(Raster clean, Random random) {
        double mean = 0;
        for (float v : clean.pixels()) {
            mean += v;
        }
        mean /= clean.pixels().length;
        boolean bright = random.nextDouble() < 1 - mean;
        return bright ? 0.8f + 0.15f * random.nextFloat() : 0.05f + 0.15f * random.nextFloat();
    }

    /** A colour cast for marks on RGB images (dirt, rust, stains are rarely neutral gray). */
    private static float[] tint(int channels, Random random) {
        float[] tint = new float[channels];
        for (int c = 0; c < channels; c++) {
            tint[c] = channels == 1 ? 1f : 0.7f + 0.3f * random.nextFloat();
        }
        return tint;
    }

    private static Raster towards(Raster clean, float tone, double strength, float[] tint) {
        Raster look = clean.copy();
        float[] px = look.pixels();
        for (int i = 0; i < px.length; i++) {
            float target = tint == null ? tone : tone * tint[i % clean.channels()];
            px[i] = clamp((float) (px[i] + strength * (target - px[i])));
        }
        return look;
    }

    private static Defect blend(Raster clean, Raster look, float[] weight, DefectKind kind) {
        Raster image = clean.copy();
        Raster mask = Raster.blank(clean.width(), clean.height(), 1);
        int c = clean.channels();
        for (int i = 0; i < weight.length; i++) {
            if (weight[i] <= 0.5f) {
                continue;
            }
            float v = Math.min(1f, 2 * weight[i] - 1);
            mask.pixels()[i] = 1f;
            for (int k = i * c; k < i * c + c; k++) {
                image.pixels()[k] += v * (look.pixels()[k] - image.pixels()[k]);
            }
        }
        return new Defect(image, mask, kind);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
