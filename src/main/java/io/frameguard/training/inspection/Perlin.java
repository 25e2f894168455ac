package io.frameguard.training.inspection;

import java.util.Random;

/** 2-D gradient (Perlin) noise on a grid of random unit gradients, values in about [-1, 1]. */
final class Perlin {
    private Perlin() {
    }

    /** A {@code w × h} field with one gradient every {@code cell} pixels. */
    static float[] field(int w, int h, int cell, Random random) {
        int gw = w / cell + 2;
        int gh = h / cell + 2;
        float[] gx = new float[gw * gh];
        float[] gy = new float[gw * gh];
        for (int i = 0; i < gx.length; i++) {
            double a = random.nextDouble() * 2 * Math.PI;
            gx[i] = (float) Math.cos(a);
            gy[i] = (float) Math.sin(a);
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            float fy = y / (float) cell;
            int y0 = (int) fy;
            float ty = fy - y0;
            for (int x = 0; x < w; x++) {
                float fx = x / (float) cell;
                int x0 = (int) fx;
                float tx = fx - x0;
                float n00 = dot(gx, gy, gw, x0, y0, tx, ty);
                float n10 = dot(gx, gy, gw, x0 + 1, y0, tx - 1, ty);
                float n01 = dot(gx, gy, gw, x0, y0 + 1, tx, ty - 1);
                float n11 = dot(gx, gy, gw, x0 + 1, y0 + 1, tx - 1, ty - 1);
                float u = fade(tx);
                float v = fade(ty);
                float top = n00 + u * (n10 - n00);
                float bottom = n01 + u * (n11 - n01);
                out[y * w + x] = (float) Math.sqrt(2) * (top + v * (bottom - top));
            }
        }
        return out;
    }

    private static float dot(float[] gx, float[] gy, int gw, int ix, int iy, float dx, float dy) {
        int i = iy * gw + ix;
        return gx[i] * dx + gy[i] * dy;
    }

    private static float fade(float t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }
}
