package io.frameguard.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One evaluation in the JSON contract shared by {@code evaluate}, {@code experiment}, {@code replay}
 * and {@code demo}. Accuracies are fractions; the anomaly class is the positive class.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationResult(
        // every key of the contract is written; a plain evaluate has no experiment: null
        @JsonInclude(JsonInclude.Include.ALWAYS) String experiment,
        String model,
        String dataset,
        List<String> normal,
        @JsonProperty("n_normal") int nNormal,
        @JsonProperty("n_anomaly") int nAnomaly,
        double auroc,
        double auprc,
        @JsonProperty("f1_max") double f1Max,
        Threshold threshold,
        @JsonProperty("normal_accuracy") double normalAccuracy,
        @JsonProperty("anomaly_accuracy") double anomalyAccuracy,
        Confusion confusion,
        @JsonProperty("per_label") Map<String, LabelStats> perLabel,
        Timings timings) {

    public record Threshold(String strategy, double value) {
    }

    /** Counts at the threshold, anomaly = positive. */
    public record Confusion(@JsonProperty("true_positive") long truePositive,
                            @JsonProperty("false_positive") long falsePositive,
                            @JsonProperty("true_negative") long trueNegative,
                            @JsonProperty("false_negative") long falseNegative) {
        public double precision() {
            return truePositive + falsePositive == 0 ? Double.NaN : (double) truePositive / (truePositive + falsePositive);
        }

        public double recall() {
            return truePositive + falseNegative == 0 ? Double.NaN : (double) truePositive / (truePositive + falseNegative);
        }
    }

    public record LabelStats(int n, int flagged, @JsonProperty("mean_score") double meanScore) {
    }

    public record Timings(@JsonProperty("train_s") Double trainSeconds,
                          @JsonProperty("score_images_per_s") Double scoreImagesPerSecond) {
    }

    public EvaluationResult withExperiment(String name) {
        return new EvaluationResult(name, model, dataset, normal, nNormal, nAnomaly, auroc, auprc, f1Max, threshold,
                normalAccuracy, anomalyAccuracy, confusion, perLabel, timings);
    }
}
