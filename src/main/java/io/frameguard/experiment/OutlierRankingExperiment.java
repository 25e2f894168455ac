package io.frameguard.experiment;

import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * outlier-ranking: the shallow autoencoder trained on every training digit; ranks the test images
 * by reconstruction error. The report shows the lowest, median and highest error images: the
 * highest are the oddly written digits a person would also call outliers.
 */
final class OutlierRankingExperiment implements Experiment {
    public String name() {
        return "outlier-ranking";
    }

    public String description() {
        return "shallow AE on all digits; report shows lowest, median and highest error test images";
    }

    public ExperimentReport run(ExperimentContext ctx) {
        long t0 = System.nanoTime();
        List<String> all = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
        ImageSet train = ctx.mnist(Split.TRAIN);
        ImageSet test = ctx.mnist(Split.TEST);
        if (ctx.quick()) {
            train = train.head(3000);
            test = test.head(500);
        }
        var run = ctx.trainAndEvaluate(name(), "shallow", ModelSpec.defaults(ModelFamily.SHALLOW), train, all, test,
                "mnist/test", new ThresholdStrategy.Quantile(0.99));
        double[] s = run.scored().scores();
        int[] top = IntStream.range(0, s.length).boxed().sorted(Comparator.comparingDouble((Integer i) -> -s[i]))
                .limit(10).mapToInt(Integer::intValue).toArray();
        ctx.out().println("highest-error test images (index: label, score):");
        Map<String, Object> highest = new LinkedHashMap<>();
        for (int i : top) {
            ctx.out().printf("  %5d: %s  %.5f%n", i, test.label(i), s[i]);
            highest.put(Integer.toString(i), Map.of("label", test.label(i), "score", s[i]));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("highest_error_images", highest);
        summary.put("flagged_at_q99", run.result().perLabel().values().stream().mapToInt(x -> x.flagged()).sum());
        return new ExperimentReport(name(), List.of(run.result()), summary, (System.nanoTime() - t0) / 1e9);
    }
}
