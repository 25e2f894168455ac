package io.frameguard.model.inspection;

/**
 * The structural dissimilarity of an image and its reconstruction, pixel by pixel: (1 − SSIM) / 2
 * over a {@value #WINDOW}×{@value #WINDOW} window (Wang et al. 2004, with the constants for values
 * in [0, 1]), averaged over channels. The anomaly map of the SSIM-scored autoencoder of Bergmann et
 * al. (2019): a blur, a missing texture or a local change of brightness or contrast shows in it
 * where a per-pixel squared error would drown in the texture's own reconstruction error.
 */
public final class SsimMap {
    /** Side of the square window the local means, variances and covariance are taken over. */
    public static final int WINDOW = 7;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;

    private SsimMap() {
    }

    /**
     * @param image the frame's planes, {@code channels × height × width}, values in [0, 1]
     * @param reconstruction the reconstruction's planes, laid out as {@code image}
     * @return {@code width × height} values in [0, 1], row-major; 0 where the two agree
     */
    public static float[] dissimilarity(float[][] image, float[][] reconstruction, int width, int height) {
        float[] out = new float[width * height];
        for (int c = 0; c < image.length; c++) {
            float[] x = image[c];
            float[] y = reconstruction[c];
            double[] xy = new double[x.length];
            double[] xx = new double[x.length];
            double[] yy = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                xy[i] = (double) x[i] * y[i];
                xx[i] = (double) x[i] * x[i];
                yy[i] = (double) y[i] * y[i];
            }
            double[] mx = boxMean(toDouble(x), width, height);
            double[] my = boxMean(toDouble(y), width, height);
            double[] mxx = boxMean(xx, width, height);
            double[] myy = boxMean(yy, width, height);
            double[] mxy = boxMean(xy, width, height);
            for (int i = 0; i < out.length; i++) {
                double vx = Math.max(0, mxx[i] - mx[i] * mx[i]);
                double vy = Math.max(0, myy[i] - my[i] * my[i]);
                double cov = mxy[i] - mx[i] * my[i];
                double ssim = (2 * mx[i] * my[i] + C1) * (2 * cov + C2) / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
                out[i] += (float) ((1 - ssim) / 2 / image.length);
            }
        }
        return out;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double[] boxMean(double[] v, int w, int h) {
        return InspectionScorer.boxMeans(v, w, h, WINDOW);
    }
}
