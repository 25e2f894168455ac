package io.frameguard.evaluation;

import io.frameguard.evaluation.EvaluationResult.Confusion;
import io.frameguard.evaluation.EvaluationResult.LabelStats;
import io.frameguard.evaluation.EvaluationResult.Threshold;
import io.frameguard.evaluation.EvaluationResult.Timings;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Computes an {@link EvaluationResult} from labelled scores and a threshold. */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * @param scored the scored test images with ground truth
     * @param strategy name of the strategy that produced {@code threshold}
     * @param threshold scores strictly above it are flagged
     */
    public static EvaluationResult evaluate(String model, String dataset, List<String> normal, LabelledScores scored,
                                            String strategy, double threshold, Timings timings) {
        boolean[] flagged = new boolean[scored.size()];
        for (int i = 0; i < flagged.length; i++) {
            flagged[i] = scored.scores()[i] > threshold;
        }
        return evaluate(model, dataset, normal, scored, flagged, strategy, threshold, timings);
    }

    /**
     * The same, with each image's verdict given: for live detectors whose threshold moves, where
     * {@code threshold} is only reported (e.g. the mean threshold over the frames).
     */
    public static EvaluationResult evaluate(String model, String dataset, List<String> normal, LabelledScores scored,
                                            boolean[] flaggedByDetector, String strategy, double threshold,
                                            Timings timings) {
        double[] s = scored.scores();
        boolean[] anomaly = scored.anomaly();
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        Map<String, int[]> counts = new TreeMap<>(Evaluator::labelOrder);
        Map<String, double[]> sums = new TreeMap<>(Evaluator::labelOrder);
        for (int i = 0; i < s.length; i++) {
            boolean flagged = flaggedByDetector[i];
            if (anomaly[i]) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
            int[] c = counts.computeIfAbsent(scored.labels()[i], k -> new int[2]);
            c[0]++;
            c[1] += flagged ? 1 : 0;
            sums.computeIfAbsent(scored.labels()[i], k -> new double[1])[0] += s[i];
        }
        Map<String, LabelStats> perLabel = new TreeMap<>(Evaluator::labelOrder);
        counts.forEach((label, c) -> perLabel.put(label, new LabelStats(c[0], c[1], sums.get(label)[0] / c[0])));
        int nNormal = (int) (tn + fp);
        int nAnomaly = (int) (tp + fn);
        return new EvaluationResult(null, model, dataset, normal, nNormal, nAnomaly,
                Metrics.auroc(s, anomaly), Metrics.auprc(s, anomaly), Metrics.f1Max(s, anomaly),
                new Threshold(strategy, threshold),
                nNormal == 0 ? Double.NaN : (double) tn / nNormal,
                nAnomaly == 0 ? Double.NaN : (double) tp / nAnomaly,
                new Confusion(tp, fp, tn, fn), perLabel, timings);
    }

    /** Digits in numeric order, then other labels alphabetically. */
    static int labelOrder(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit) && !a.isEmpty();
        boolean nb = b.chars().allMatch(Character::isDigit) && !b.isEmpty();
        if (na && nb) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return na ? -1 : nb ? 1 : a.compareTo(b);
    }
}
