package io.frameguard.experiment;

import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.evaluation.LabelledScores;
import io.frameguard.evaluation.Metrics;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * holdout-5-fashion: trained on every training digit but 5; test 100 of each test digit plus 100
 * Fashion-MNIST images; threshold = the largest held-out normal training score.
 */
final class HoldoutFashionExperiment implements Experiment {
    static final String HOLDOUT = "5";
    static final String FASHION = "fashion";

    public String name() {
        return "holdout-5-fashion";
    }

    public String description() {
        return "dense AE on all digits but 5; test 100 per digit + 100 Fashion-MNIST (max threshold)";
    }

    public ExperimentReport run(ExperimentContext ctx) {
        long t0 = System.nanoTime();
        List<String> normal = List.of("0", "1", "2", "3", "4", "6", "7", "8", "9");
        ImageSet train = ctx.mnist(Split.TRAIN).filter(normal::contains);
        int perLabel = ctx.quick() ? 30 : 100;
        if (ctx.quick()) {
            train = train.head(3000);
        }
        ImageSet test = ctx.mnist(Split.TEST).firstPerLabel(perLabel)
                .concat(ctx.fashion(Split.TEST).head(perLabel).relabel(FASHION));
        var run = ctx.trainAndEvaluate(name(), "dense", ModelSpec.defaults(ModelFamily.DENSE), train, normal, test,
                "mnist/test + fashion-mnist/test", new ThresholdStrategy.Max(0));
        var r = run.result();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("auroc_fashion", aurocAgainstNormal(run.scored(), FASHION::equals));
        summary.put("auroc_holdout_digit", aurocAgainstNormal(run.scored(), HOLDOUT::equals));
        summary.put("accuracy_normal", r.normalAccuracy());
        var stats5 = r.perLabel().get(HOLDOUT);
        var statsF = r.perLabel().get(FASHION);
        summary.put("accuracy_holdout_digit", (double) stats5.flagged() / stats5.n());
        summary.put("accuracy_fashion", (double) statsF.flagged() / statsF.n());
        return new ExperimentReport(name(), List.of(r), summary, (System.nanoTime() - t0) / 1e9);
    }

    /** AUROC of one kind of anomaly against the normal images only. */
    static double aurocAgainstNormal(LabelledScores s, Predicate<String> kind) {
        int[] keep = IntStream.range(0, s.size()).filter(i -> !s.anomaly()[i] || kind.test(s.labels()[i])).toArray();
        double[] scores = IntStream.of(keep).mapToDouble(i -> s.scores()[i]).toArray();
        boolean[] anomaly = new boolean[keep.length];
        for (int j = 0; j < keep.length; j++) {
            anomaly[j] = s.anomaly()[keep[j]];
        }
        return Metrics.auroc(scores, anomaly);
    }
}
