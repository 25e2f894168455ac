package io.frameguard.evaluation;

import java.util.Collection;

/**
 * Scores with ground truth: for each image its label, its score and whether it is an anomaly
 * (its label is not one of the normal labels).
 */
public record LabelledScores(String[] labels, double[] scores, boolean[] anomaly) {

    public LabelledScores {
        if (labels.length != scores.length || labels.length != anomaly.length) {
            throw new IllegalArgumentException("labels, scores and anomaly flags differ in length");
        }
    }

    public static LabelledScores of(String[] labels, double[] scores, Collection<String> normalLabels) {
        boolean[] anomaly = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            anomaly[i] = !normalLabels.contains(labels[i]);
        }
        return new LabelledScores(labels, scores, anomaly);
    }

    public int size() {
        return scores.length;
    }
}
