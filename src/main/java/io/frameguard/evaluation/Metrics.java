package io.frameguard.evaluation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Threshold-free ranking metrics of anomaly scores, anomalies being the positive class. Ties are
 * handled exactly: tied scores share rank (AUROC) and form one step (AUPRC, F1).
 */
public final class Metrics {
    private Metrics() {
    }

    /** Area under the ROC curve: the probability that a random anomaly outscores a random normal. */
    public static double auroc(double[] scores, boolean[] anomaly) {
        int n = scores.length;
        Integer[] idx = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(i -> scores[i]))
                .toArray(Integer[]::new);
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (anomaly[idx[k]]) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Area under the precision-recall curve as average precision (step-wise, no interpolation). */
    public static double auprc(double[] scores, boolean[] anomaly) {
        long pos = countTrue(anomaly);
        if (pos == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double prevRecall = 0;
        for (long[] step : cumulativeCounts(scores, anomaly)) {
            long tp = step[0];
            long fp = step[1];
            double recall = (double) tp / pos;
            double precision = (double) tp / (tp + fp);
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
        }
        return ap;
    }

    /** The best F1 over all thresholds "flag scores ≥ t". */
    public static double f1Max(double[] scores, boolean[] anomaly) {
        long pos = countTrue(anomaly);
        if (pos == 0) {
            return Double.NaN;
        }
        double best = 0;
        for (long[] step : cumulativeCounts(scores, anomaly)) {
            long tp = step[0];
            long fp = step[1];
            double f1 = 2.0 * tp / (2.0 * tp + fp + (pos - tp));
            best = Math.max(best, f1);
        }
        return best;
    }

    /** ROC curve points (false positive rate, true positive rate), from (0,0) to (1,1). */
    public static double[][] rocCurve(double[] scores, boolean[] anomaly) {
        long pos = countTrue(anomaly);
        long neg = anomaly.length - pos;
        long[][] steps = cumulativeCounts(scores, anomaly);
        double[][] pts = new double[steps.length + 1][];
        pts[0] = new double[] {0, 0};
        for (int g = 0; g < steps.length; g++) {
            long tp = steps[g][0];
            long fp = steps[g][1];
            pts[g + 1] = new double[] {neg == 0 ? 0 : (double) fp / neg, pos == 0 ? 0 : (double) tp / pos};
        }
        return pts;
    }

    private static int[][] groupsByDescendingScore(double[] scores) {
        int n = scores.length;
        int[] idx = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
        return IntStream.range(0, n)
                .filter(i -> i == 0 || scores[idx[i]] != scores[idx[i - 1]])
                .mapToObj(start -> {
                    int end = start;
                    while (end + 1 < n && scores[idx[end + 1]] == scores[idx[start]]) {
                        end++;
                    }
                    return Arrays.copyOfRange(idx, start, end + 1);
                })
                .toArray(int[][]::new);
    }

    /** For each group of tied scores, highest first: {@code {tp, fp}} when flagging it and every higher group. */
    private static long[][] cumulativeCounts(double[] scores, boolean[] anomaly) {
        int[][] groups = groupsByDescendingScore(scores);
        long[][] steps = new long[groups.length][];
        long tp = 0;
        long fp = 0;
        for (int g = 0; g < groups.length; g++) {
            for (int k : groups[g]) {
                if (anomaly[k]) {
                    tp++;
                } else {
                    fp++;
                }
            }
            steps[g] = new long[] {tp, fp};
        }
        return steps;
    }

    private static long countTrue(boolean[] a) {
        long c = 0;
        for (boolean b : a) {
            if (b) {
                c++;
            }
        }
        return c;
    }
}
