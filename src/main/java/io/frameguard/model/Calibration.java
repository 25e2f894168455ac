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
}
