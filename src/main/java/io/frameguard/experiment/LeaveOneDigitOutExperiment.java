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
import java.util.stream.IntStream;

/**
 * leave-one-digit-out: for each digit d, a VAE trained on the other nine; AUROC of d on the test set.
 * Scored by distance to the nearest training codes ({@link ScoreFunction#LATENT_KNN}): the
 * reconstruction probability ranks a held-out 1 as the most normal image there is, because a 1 has
 * so little ink (run with {@code --score vae-nll} to see it).
 */
final class LeaveOneDigitOutExperiment implements Experiment {
    public String name() {
        return "leave-one-digit-out";
    }

    public String description() {
        return "VAE on nine digits, scored by distance to the nearest training codes; AUROC of the tenth; mean";
    }

    public ExperimentReport run(ExperimentContext ctx) {
        long t0 = System.nanoTime();
        List<EvaluationResult> runs = new ArrayList<>();
        Map<String, Object> perDigit = new LinkedHashMap<>();
        int digits = ctx.quick() ? 2 : 10;
        for (int d = 0; d < digits; d++) {
            String held = Integer.toString(d);
            List<String> normal = IntStream.range(0, 10).mapToObj(Integer::toString).filter(l -> !l.equals(held)).toList();
            ImageSet train = ctx.mnist(Split.TRAIN).filter(normal::contains);
            ImageSet test = ctx.mnist(Split.TEST);
            if (ctx.quick()) {
                train = train.head(3000);
                test = test.firstPerLabel(50);
            }
            var run = ctx.trainAndEvaluate(name(), "without-" + held, ModelSpec.defaults(ModelFamily.VAE),
                    ScoreFunction.LATENT_KNN, train, normal,
                    test, "mnist/test", new ThresholdStrategy.MeanStd(3));
            runs.add(run.result());
            perDigit.put(held, run.result().auroc());
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("mean_auroc", runs.stream().mapToDouble(EvaluationResult::auroc).average().orElseThrow());
        summary.put("auroc_per_digit", perDigit);
        return new ExperimentReport(name(), runs, summary, (System.nanoTime() - t0) / 1e9);
    }
}
