package io.frameguard.cli;

import io.frameguard.evaluation.EvaluationResult;
import java.io.PrintWriter;

/** The human-readable form of an evaluation, shared by evaluate, experiment, replay and demo. */
public final class EvaluationPrinter {
    private EvaluationPrinter() {
    }

    public static void print(PrintWriter w, EvaluationResult r) {
        var c = r.confusion();
        w.printf("model %s on %s, normal labels %s: %,d normal, %,d anomalous%n", r.model(), r.dataset(), r.normal(),
                r.nNormal(), r.nAnomaly());
        w.printf("AUROC %.4f   AUPRC %.4f   F1-max %.4f%n", r.auroc(), r.auprc(), r.f1Max());
        w.printf("threshold %s = %.6f: normal accuracy %.4f, anomaly accuracy %.4f, precision %.4f, recall %.4f%n",
                r.threshold().strategy(), r.threshold().value(), r.normalAccuracy(), r.anomalyAccuracy(),
                c.precision(), c.recall());
        w.printf("confusion (anomaly = positive): TP %,d  FP %,d  TN %,d  FN %,d%n", c.truePositive(),
                c.falsePositive(), c.trueNegative(), c.falseNegative());
        w.println("label        n  flagged  mean score");
        r.perLabel().forEach((label, s) -> w.printf("%-9s %5d  %7d  %10.5f%n", label, s.n(), s.flagged(), s.meanScore()));
        if (r.timings() != null && r.timings().scoreImagesPerSecond() != null) {
            w.printf("scoring: %,.0f images/s%n", r.timings().scoreImagesPerSecond());
        }
        w.flush();
    }
}
