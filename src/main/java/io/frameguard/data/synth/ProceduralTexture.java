package io.frameguard.data.synth;

import io.frameguard.data.Raster;
import java.util.Random;

/**
 * A stand-in foreign material when no other photographs are at hand: a few crossing sinusoidal
 * fibres plus grain, in a random colour on RGB images. Unlike any photograph of the inspected
 * surface, so a pasted patch of it is a change of texture.
 */
final class ProceduralTexture {
    private ProceduralTexture() {
    }

    static Raster draw(int width, int height, int channels, double unit, Random random) {
        int waves = 3;
        double[] fx = new double[waves];
        double[] fy = new double[waves];
        double[] phase = new double[waves];
        for (int k = 0; k < waves; k++) {
            double angle = Math.PI * random.nextDouble();
            double period = unit * (2.5 + 5 * random.nextDouble());
            fx[k] = 2 * Math.PI * Math.cos(angle) / period;
            fy[k] = 2 * Math.PI * Math.sin(angle) / period;
            phase[k] = 2 * Math.PI * random.nextDouble();
        }
        float[] colour = new float[channels];
        for (int c = 0; c < channels; c++) {
            colour[c] = channels == 1 ? 1f : 0.5f + 0.5f * random.nextFloat();
        }
        Raster r = Raster.blank(width, height, channels);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0;
                for (int k = 0; k < waves; k++) {
                    v += Math.sin(fx[k] * x + fy[k] * y + phase[k]);
                }
                float value = (float) (0.5 + 0.15 * v + 0.08 * random.nextGaussian());
                for (int c = 0; c < channels; c++) {
                    r.set(x, y, c, Math.max(0f, Math.min(1f, value * colour[c])));
                }
            }
        }
        return r;
    }
}
