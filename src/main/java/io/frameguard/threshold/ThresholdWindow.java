package io.frameguard.threshold;

import io.frameguard.avro.ThresholdState;
import io.frameguard.threshold.ThresholdStrategy;
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
public final class ThresholdWindow {
    private ThresholdWindow() {
    }

    public static ThresholdState warmStart(String modelId, String source, double[] calibration, int size, ThresholdStrategy strategy,
                                    long now) {
        List<Double> sample = new ArrayList<>(Math.min(size, calibration.length));
        double step = Math.max(1.0, (double) calibration.length / size);
        for (double i = 0; i < calibration.length && sample.size() < size; i += step) {
            sample.add(calibration[(int) i]);
        }
        java.util.Collections.shuffle(sample, new Random(42));
        double[] window = sample.stream().mapToDouble(Double::doubleValue).toArray();
        return new ThresholdState(source, strategy.name(), sample, window.length % size, 0L,
                strategy.threshold(window), Instant.ofEpochMilli(now), modelId);
    }

    /**
     * Normal scores between two recomputations of a source's threshold. The threshold moves at fixed
     * counts of normal scores, never at batch boundaries, so verdicts and thresholds depend only on
     * the source's frames in order: a run that crashed and recovered, or ran with other batch sizes,
     * judges every frame as an uninterrupted run does, up to the float rounding of a score (a dense
     * model scores batches of up to 8 frames in plain Java and larger ones through ND4J; the two
     * agree to about 1e-6 of a score).
     */
    public static final int REFRESH_EVERY = 16;

    /**
     * Judges one source's frames in order, each by the threshold in force when its turn comes, and
     * learns from them: a labelled frame adds its score when its label is one of {@code normalLabels};
     * an unlabelled frame adds its score when it is under the threshold and the threshold itself when
     * it is over (what is known of it: at least that high). So anomalies cannot raise the threshold,
     * and a quantile does not sink while more frames than its budget alarm: it settles a little under
     * the scores' true quantile (normal frames over it at two to three times the budget, in
     * ThresholdWindowTest's simulation) where leaving flagged frames out lowered it at every
     * recomputation. The threshold is recomputed after every {@link #REFRESH_EVERY}-th score added.
     * Non-finite scores are neither
     * judged nor added. The serving topology and replay both judge through here.
     */
    public static Judged judge(ThresholdState state, double[] scores, String[] labels, java.util.Set<String> normalLabels,
                        ThresholdStrategy strategy, int size, long now) {
        boolean fixed = strategy instanceof ThresholdStrategy.Fixed;
        double threshold = state.getThreshold();
        double[] thresholds = new double[scores.length];
        boolean[] anomaly = new boolean[scores.length];
        List<Double> window = null;
        int next = state.getNext();
        long updates = state.getUpdates();
        for (int i = 0; i < scores.length; i++) {
            thresholds[i] = threshold;
            if (!Double.isFinite(scores[i])) {
                continue;
            }
            anomaly[i] = scores[i] > threshold;
            // a labelled frame is normal by its label; an unlabelled one over the threshold enters at
            // the threshold (censored), neither left out, which lowered every recomputation until a
            // large share of normal frames alarmed, nor at its score, which would let anomalies raise it
            boolean labelled = labels[i] != null;
            if ((labelled && !normalLabels.contains(labels[i])) || fixed) {
                continue;
            }
            double learned = !labelled && anomaly[i] ? threshold : scores[i];
            if (window == null) {
                window = new ArrayList<>(state.getWindow());
            }
            if (window.size() < size) {
                window.add(learned);
                next = window.size() % size;
            } else {
                window.set(next, learned);
                next = (next + 1) % size;
            }
            updates++;
            if (updates % REFRESH_EVERY == 0) {
                threshold = strategy.threshold(unboxed(window));
            }
        }
        ThresholdState after = window == null ? state
                : new ThresholdState(state.getSourceId(), strategy.name(), window, next, updates, threshold,
                Instant.ofEpochMilli(now), state.getModelId());
        return new Judged(thresholds, anomaly, after);
    }

    /** The window's scores as an array: a plain loop, where a boxed stream was the recomputation's largest cost. */
    private static double[] unboxed(List<Double> window) {
        double[] a = new double[window.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = window.get(i);
        }
        return a;
    }

    /** Judges frame {@code i} by {@code thresholds[i]} alone and learns nothing: there is no state after it. */
    public static Judged judgeFixed(double[] thresholds, double[] scores) {
        boolean[] anomaly = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            anomaly[i] = Double.isFinite(scores[i]) && scores[i] > thresholds[i];
        }
        return new Judged(thresholds.clone(), anomaly, null);
    }

    /** The verdicts of a judged group of frames, the threshold each was judged by, and the source's state after it. */
    public record Judged(double[] thresholds, boolean[] anomaly, ThresholdState next) {
    }
}
