package io.frameguard.stream;

import io.frameguard.avro.ThresholdState;
import io.frameguard.evaluation.ThresholdStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The rolling window of normal scores behind one source's threshold. Starts from the bundle's
 * held-out calibration scores (a seeded, shuffled sample when there are more than fit), so the
 * first frames of a new source are judged by the offline threshold; then each normal score
 * replaces the oldest.
 */
final class ThresholdWindow {
    private ThresholdWindow() {
    }

    static ThresholdState warmStart(String source, double[] calibration, int size, ThresholdStrategy strategy, long now) {
        List<Double> sample = new ArrayList<>(Math.min(size, calibration.length));
        double step = Math.max(1.0, (double) calibration.length / size);
        for (double i = 0; i < calibration.length && sample.size() < size; i += step) {
            sample.add(calibration[(int) i]);
        }
        java.util.Collections.shuffle(sample, new Random(42));
        double[] window = sample.stream().mapToDouble(Double::doubleValue).toArray();
        return new ThresholdState(source, strategy.name(), sample, window.length % size, 0L,
                strategy.threshold(window), Instant.ofEpochMilli(now));
    }

    /**
     * Judges one source's frames, in order, by the threshold in force, then adds their normal scores:
     * labelled frames count as normal when their label is one of {@code normalLabels}; unlabelled
     * frames when they scored under the threshold. Non-finite scores are neither judged nor added.
     * The serving topology and replay both judge through here.
     */
    static Judged judge(ThresholdState state, double[] scores, String[] labels, java.util.Set<String> normalLabels,
                        ThresholdStrategy strategy, int size, long now) {
        double threshold = state.getThreshold();
        boolean[] anomaly = new boolean[scores.length];
        double[] normal = new double[scores.length];
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                continue;
            }
            anomaly[i] = scores[i] > threshold;
            if (labels[i] != null ? normalLabels.contains(labels[i]) : !anomaly[i]) {
                normal[n++] = scores[i];
            }
        }
        ThresholdState next = strategy instanceof ThresholdStrategy.Fixed ? state
                : add(state, normal, n, size, strategy, now);
        return new Judged(threshold, anomaly, next);
    }

    /** The verdicts of a judged group of frames and the source's state after it. */
    record Judged(double threshold, boolean[] anomaly, ThresholdState next) {
    }

    /** Adds normal scores, oldest overwritten first, and recomputes the threshold. */
    static ThresholdState add(ThresholdState s, double[] normalScores, int n, int size, ThresholdStrategy strategy, long now) {
        if (n == 0) {
            return s;
        }
        List<Double> window = new ArrayList<>(s.getWindow());
        int next = s.getNext();
        for (int i = 0; i < n; i++) {
            if (window.size() < size) {
                window.add(normalScores[i]);
                next = window.size() % size;
            } else {
                window.set(next, normalScores[i]);
                next = (next + 1) % size;
            }
        }
        double[] w = window.stream().mapToDouble(Double::doubleValue).toArray();
        return new ThresholdState(s.getSourceId(), strategy.name(), window, next, s.getUpdates() + n,
                strategy.threshold(w), Instant.ofEpochMilli(now));
    }
}
