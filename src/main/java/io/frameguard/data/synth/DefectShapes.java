package io.frameguard.data.synth;

import java.util.List;
import java.util.Random;

/**
 * The geometry of defects, drawn as soft blend weights in [0, 1] into a {@code width × height}
 * field. Weight 0.5 is the shape's border: {@link DefectGenerator} marks the pixels above it as the
 * defect and fades the drawing to nothing at it, so a soft edge never leaks outside the mask.
 * Drawing takes the maximum with what the field already holds, so shapes can overlap.
 */
final class DefectShapes {
    private DefectShapes() {
    }

    /** A polyline with a half width per vertex (tapering ends), in pixel coordinates of pixel centres. */
    record Polyline(double[] xs, double[] ys, double[] halfWidths) {
    }

    /**
     * An irregular blob of about {@code radius} pixels somewhere fully inside the field: a stretched,
     * rotated circle whose radius wobbles with a few random harmonics ({@code irregularity} is their
     * summed amplitude). The weight falls from 1 to 0 over {@code soft} pixels centred on the border.
     */
    static void blob(float[] w, int width, int height, double radius, double irregularity, double soft, Random random) {
        double aspect = 1 + 0.6 * random.nextDouble();
        double angle = Math.PI * random.nextDouble();
        int harmonics = 5;
        double[] amp = new double[harmonics];
        double[] phase = new double[harmonics];
        for (int k = 0; k < harmonics; k++) {
            // lower harmonics dominate: the outline wobbles rather than jitters
            amp[k] = irregularity * random.nextDouble() * 2 / (k + 2);
            phase[k] = 2 * Math.PI * random.nextDouble();
        }
        double reach = radius * (1 + 2 * irregularity) * Math.sqrt(aspect) + soft / 2 + 1;
        double cx = position(width, reach, random);
        double cy = position(height, reach, random);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double sa = Math.sqrt(aspect);
        for (int y = clampIndex(cy - reach, height); y <= clampIndex(cy + reach, height); y++) {
            for (int x = clampIndex(cx - reach, width); x <= clampIndex(cx + reach, width); x++) {
                double dx = x - cx;
                double dy = y - cy;
                double qx = (dx * cos + dy * sin) / sa;
                double qy = (-dx * sin + dy * cos) * sa;
                double rho = Math.hypot(qx, qy);
                double theta = Math.atan2(qy, qx);
                double border = 1;
                for (int k = 0; k < harmonics; k++) {
                    border += amp[k] * Math.cos((k + 2) * theta + phase[k]);
                }
                put(w, y * width + x, 0.5 + (radius * border - rho) / soft);
            }
        }
    }

    /**
     * Polylines drawn anti-aliased: full weight within a vertex's half width of the line, falling to
     * 0.5 half a pixel further out and to 0 a pixel further out, so the visible line keeps its width
     * and its edge pixels are blended.
     */
    static void lines(float[] w, int width, int height, List<Polyline> lines) {
        for (Polyline line : lines) {
            for (int i = 0; i + 1 < line.xs().length; i++) {
                segment(w, width, height, line.xs()[i], line.ys()[i], line.xs()[i + 1], line.ys()[i + 1],
                        line.halfWidths()[i], line.halfWidths()[i + 1]);
            }
        }
    }

    private static void segment(float[] w, int width, int height, double x0, double y0, double x1, double y1,
                                double hw0, double hw1) {
        double reach = Math.max(hw0, hw1) + 1.5;
        double vx = x1 - x0;
        double vy = y1 - y0;
        double len2 = Math.max(1e-12, vx * vx + vy * vy);
        for (int y = clampIndex(Math.min(y0, y1) - reach, height); y <= clampIndex(Math.max(y0, y1) + reach, height); y++) {
            for (int x = clampIndex(Math.min(x0, x1) - reach, width); x <= clampIndex(Math.max(x0, x1) + reach, width); x++) {
                double t = Math.max(0, Math.min(1, ((x - x0) * vx + (y - y0) * vy) / len2));
                double d = Math.hypot(x - x0 - t * vx, y - y0 - t * vy);
                double hw = hw0 + t * (hw1 - hw0);
                put(w, y * width + x, hw + 1 - d);
            }
        }
    }

    /**
     * Moves (and if they are too large, shrinks) the polylines so all of them, with {@code margin}
     * pixels around, lie at a random place fully inside the field.
     */
    static List<Polyline> placeInside(List<Polyline> lines, int width, int height, double margin, Random random) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (Polyline l : lines) {
            for (int i = 0; i < l.xs().length; i++) {
                minX = Math.min(minX, l.xs()[i]);
                maxX = Math.max(maxX, l.xs()[i]);
                minY = Math.min(minY, l.ys()[i]);
                maxY = Math.max(maxY, l.ys()[i]);
            }
        }
        double room = Math.min((width - 1 - 2 * margin) / Math.max(1e-9, maxX - minX),
                (height - 1 - 2 * margin) / Math.max(1e-9, maxY - minY));
        double scale = Math.max(0.05, Math.min(1, room));
        double spanX = (maxX - minX) * scale;
        double spanY = (maxY - minY) * scale;
        double ox = margin + random.nextDouble() * Math.max(0, width - 1 - 2 * margin - spanX);
        double oy = margin + random.nextDouble() * Math.max(0, height - 1 - 2 * margin - spanY);
        double fMinX = minX;
        double fMinY = minY;
        return lines.stream().map(l -> {
            double[] xs = new double[l.xs().length];
            double[] ys = new double[l.ys().length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = ox + (l.xs()[i] - fMinX) * scale;
                ys[i] = oy + (l.ys()[i] - fMinY) * scale;
            }
            return new Polyline(xs, ys, l.halfWidths());
        }).toList();
    }

    /** A centre coordinate that keeps {@code reach} pixels on both sides, or the middle when it cannot. */
    private static double position(int size, double reach, Random random) {
        double free = size - 1 - 2 * reach;
        double r = random.nextDouble();
        return free <= 0 ? (size - 1) / 2.0 : reach + r * free;
    }

    private static int clampIndex(double v, int size) {
        return (int) Math.max(0, Math.min(size - 1, Math.round(v)));
    }

    private static void put(float[] w, int i, double value) {
        float v = (float) Math.max(0, Math.min(1, value));
        if (v > w[i]) {
            w[i] = v;
        }
    }
}
