package io.frameguard.model;

import java.util.Arrays;

/**
 * Scores of held-out normal images (never the test set), kept in the bundle. Every threshold
 * strategy is computed from these, and the online threshold store starts from them.
 *
 * @param scores the held-out normal scores, ascending
 * @param mean their mean
 * @param std their population standard deviation
 * @param max the largest
 */
public record Calibration(double[] scores, double mean, double std, double max) {

    public static Calibration of(double[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one normal score");
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElseThrow();
        double var = Arrays.stream(sorted).map(s -> (s - mean) * (s - mean)).sum() / sorted.length;
        return new Calibration(sorted, mean, Math.sqrt(var), sorted[sorted.length - 1]);
    }

    public int count() {
        return scores.length;
    }

    /**
     * These scores as they would be for frames of {@code tiles} times the calibration images' area,
     * when an image score is the largest value over its anomaly map (inspection models). A frame that
     * large holds {@code tiles} calibration-sized regions; if each region's maximum has the
     * distribution function F of these scores, the frame's has F to the power {@code tiles}, whose
     * quantile at p is F's at p^(1/tiles). The i-th of the n scores returned is that quantile at
     * p = (i + ½) / n, so a threshold strategy reads them as it reads the calibration. The tail
     * beyond the largest calibration score is not extrapolated: a large {@code tiles} needs many
     * calibration images (the frame-level quantile q needs about 1 / (1 − q^(1/tiles)) of them).
     *
     * @param tiles frame area over calibration image area; 1 or less returns the scores themselves
     */
    public double[] forArea(double tiles) {
        if (!(tiles > 1)) {
            return scores;
        }
        int n = scores.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double p = Math.pow((i + 0.5) / n, 1 / tiles);
            out[i] = scores[Math.min(n - 1, (int) (p * n))];
        }
        return out;
    }
}
