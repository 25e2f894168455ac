package io.frameguard.experiment;

import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import java.util.List;
import java.util.Map;

/** digit-1-vs-9: dense autoencoder on training 1s; test 1s against 9s, MSE score, μ+3σ threshold. */
final class DigitVsDigitExperiment implements Experiment {
    public String name() {
        return "digit-1-vs-9";
    }

    public String description() {
        return "dense AE trained on 1s; test 1s vs 9s (MSE, mean+3sd threshold)";
    }

    public ExperimentReport run(ExperimentContext ctx) {
        long t0 = System.nanoTime();
        ImageSet train = ctx.mnist(Split.TRAIN).filter("1"::equals);
        ImageSet test = ctx.mnist(Split.TEST).filter(l -> l.equals("1") || l.equals("9"));
        if (ctx.quick()) {
            train = train.head(1500);
            test = test.firstPerLabel(200);
        }
        var run = ctx.trainAndEvaluate(name(), "dense", ModelSpec.defaults(ModelFamily.DENSE), train, List.of("1"),
                test, "mnist/test 1 vs 9", new ThresholdStrategy.MeanStd(3));
        return new ExperimentReport(name(), List.of(run.result()), Map.of(), (System.nanoTime() - t0) / 1e9);
    }
}
