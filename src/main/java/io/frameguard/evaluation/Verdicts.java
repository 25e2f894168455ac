package io.frameguard.evaluation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A detector's verdict on each frame of a run, in order, beside the frame's id and its label (null
 * when it has none): what {@code replay} judges and the live detector writes to its scores topic.
 * The frames' labels are paired with the verdicts here, for an evaluation or a comparison of two
 * models on the same frames.
 *
 * @param thresholds the threshold each frame was judged by (thresholds move on a live detector)
 */
public record Verdicts(String[] frameIds, String[] labels, double[] scores, double[] thresholds, boolean[] anomaly) {

    public Verdicts {
        int n = frameIds.length;
        if (labels.length != n || scores.length != n || thresholds.length != n || anomaly.length != n) {
            throw new IllegalArgumentException("frame ids, labels, scores, thresholds and verdicts differ in length");
        }
    }

    public int size() {
        return frameIds.length;
    }

    /** Frames judged anomalous. */
    public long flagged() {
        return IntStream.range(0, size()).filter(i -> anomaly[i]).count();
    }

    /** Whether any frame has a label: without one, the metrics that need labels cannot be computed. */
    public boolean labelled() {
        return IntStream.range(0, size()).anyMatch(i -> labels[i] != null);
    }

    /** The labelled frames' scores with their labels, in order; frames without a label are left out. */
    public LabelledScores labelledScores(Collection<String> normalLabels) {
        int[] idx = labelledFrames();
        return LabelledScores.of(IntStream.of(idx).mapToObj(i -> labels[i]).toArray(String[]::new),
                IntStream.of(idx).mapToDouble(i -> scores[i]).toArray(), normalLabels);
    }

    /**
     * The verdicts against the labels; frames without a label are left out. The reported threshold
     * is the mean threshold the labelled frames were judged by (NaN without any).
     */
    public EvaluationResult evaluate(String model, String dataset, List<String> normalLabels, String strategy,
                                     Double scoredPerSecond) {
        int[] idx = labelledFrames();
        boolean[] flagged = new boolean[idx.length];
        double thresholdSum = 0;
        for (int k = 0; k < idx.length; k++) {
            flagged[k] = anomaly[idx[k]];
            thresholdSum += thresholds[idx[k]];
        }
        return Evaluator.evaluate(model, dataset, normalLabels, labelledScores(normalLabels), flagged, strategy,
                idx.length == 0 ? Double.NaN : thresholdSum / idx.length,
                new EvaluationResult.Timings(null, scoredPerSecond));
    }

    /** Where these verdicts and {@code other}'s, on the same frames in the same order, differ. */
    public Agreement agreement(Verdicts other) {
        if (other.size() != size()) {
            throw new IllegalArgumentException(size() + " verdicts cannot be compared with " + other.size());
        }
        List<Agreement.Disagreement> differ = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (anomaly[i] != other.anomaly[i]) {
                differ.add(new Agreement.Disagreement(frameIds[i], labels[i], scores[i], anomaly[i], other.scores[i],
                        other.anomaly[i]));
            }
        }
        return new Agreement(1 - (double) differ.size() / size(), differ.size(),
                differ.stream().limit(Agreement.LISTED).toList());
    }

    private int[] labelledFrames() {
        return IntStream.range(0, size()).filter(i -> labels[i] != null).toArray();
    }
}
