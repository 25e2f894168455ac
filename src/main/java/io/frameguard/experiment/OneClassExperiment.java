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
 * one-class: for each digit d, a model trained on d only, tested on the whole MNIST test set; AUROC
 * per digit and mean, for each family in {@link #FAMILIES}. Published means: Deep SVDD 0.948,
 * OCGAN 0.975, GEOM 0.980. Scored by squared error per unit of ink ({@link ScoreFunction#MSE_PER_INK}):
 * a model of one digit reconstructs a sparser digit's few strokes well, and plain error calls it
 * normal.
 */
final class OneClassExperiment implements Experiment {
    static final List<ModelFamily> FAMILIES = List.of(ModelFamily.DENSE, ModelFamily.CONV);

    public String name() {
        return "one-class";
    }

    public String description() {
        return "for each digit, train on it alone; AUROC on the full test set; dense and conv";
    }

    public ExperimentReport run(ExperimentContext ctx) {
        long t0 = System.nanoTime();
        List<EvaluationResult> runs = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        String bestFamily = null;
        double bestMean = -1;
        int digits = ctx.quick() ? 2 : 10;
        for (ModelFamily family : ctx.familiesOr(ctx.quick() ? List.of(ModelFamily.DENSE) : FAMILIES)) {
            Map<String, Object> perDigit = new LinkedHashMap<>();
            double sum = 0;
            for (int d = 0; d < digits; d++) {
                String digit = Integer.toString(d);
                ImageSet train = ctx.mnist(Split.TRAIN).filter(digit::equals);
                ImageSet test = ctx.mnist(Split.TEST);
                if (ctx.quick()) {
                    train = train.head(1000);
                    test = test.firstPerLabel(50);
                }
                var run = ctx.trainAndEvaluate(name(), family.cliName() + "-" + digit, ModelSpec.defaults(family),
                        ScoreFunction.MSE_PER_INK, train, List.of(digit), test, "mnist/test",
                        new ThresholdStrategy.MeanStd(3));
                runs.add(run.result());
                perDigit.put(digit, run.result().auroc());
                sum += run.result().auroc();
            }
            double mean = sum / digits;
            summary.put("mean_auroc_" + family.cliName(), mean);
            summary.put("auroc_per_digit_" + family.cliName(), perDigit);
            if (mean > bestMean) {
                bestMean = mean;
                bestFamily = family.cliName();
            }
        }
        summary.put("mean_auroc", bestMean);
        summary.put("best_family", bestFamily);
        return new ExperimentReport(name(), runs, summary, (System.nanoTime() - t0) / 1e9);
    }
}
