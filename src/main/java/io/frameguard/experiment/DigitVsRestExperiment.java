package io.frameguard.experiment;

import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.ScoreFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * digit-1-vs-rest: conv, denoising and superres autoencoders trained on 1s, as in the reference,
 * and FrameGuard's dense one; every other test digit is an anomaly; μ+3σ threshold. Reference
 * accuracies (normal / anomaly): conv 98.68 / 97.13, denoising 98.68 / 97.59, superres 98.59 / 84.85.
 *
 * <p>The dense run trains with {@value #DENSE_DROPOUT} dropout and scores by {@link ScoreFunction#LOG_MSE}.
 * On 1s its plain MSE ranks the other digits best of all families, but μ+3σ of that skewed score
 * left 1.6 % of held-out training 1s above the cut; the log of a slightly blurrier (dropout) model's
 * error left 0.9–1.3 % in three seeds. Both were chosen on those held-out images, not on the test
 * split (README).
 */
final class DigitVsRestExperiment implements Experiment {
    static final List<ModelFamily> FAMILIES =
            List.of(ModelFamily.CONV, ModelFamily.DENOISING, ModelFamily.SUPERRES, ModelFamily.DENSE);
    static final double DENSE_DROPOUT = 0.1;

    public String name() {
        return "digit-1-vs-rest";
    }

    public String description() {
        return "conv, denoising, superres and dense AEs trained on 1s; all other digits anomalous (mean+3sd)";
    }

    public ExperimentReport run(ExperimentContext ctx) {
        long t0 = System.nanoTime();
        ImageSet train = ctx.mnist(Split.TRAIN).filter("1"::equals);
        ImageSet test = ctx.mnist(Split.TEST);
        if (ctx.quick()) {
            train = train.head(1000);
            test = test.firstPerLabel(40);
        }
        List<EvaluationResult> runs = new ArrayList<>();
        Map<String, Object> best = new LinkedHashMap<>();
        for (ModelFamily family : ctx.familiesOr(FAMILIES)) {
            ModelSpec spec = ModelSpec.defaults(family);
            ScoreFunction score = family.defaultScore();
            if (family == ModelFamily.DENSE) {
                spec = spec.withDropout(DENSE_DROPOUT);
                score = ScoreFunction.LOG_MSE;
            }
            var run = ctx.trainAndEvaluate(name(), family.cliName(), spec, score, train, List.of("1"),
                    test, "mnist/test", new ThresholdStrategy.MeanStd(3));
            runs.add(run.result());
        }
        EvaluationResult top = runs.stream()
                .max((a, b) -> Double.compare(a.normalAccuracy() + a.anomalyAccuracy(), b.normalAccuracy() + b.anomalyAccuracy()))
                .orElseThrow();
        best.put("best_family", top.model().split("-")[0]);
        best.put("best_normal_accuracy", top.normalAccuracy());
        best.put("best_anomaly_accuracy", top.anomalyAccuracy());
        return new ExperimentReport(name(), runs, best, (System.nanoTime() - t0) / 1e9);
    }
}
