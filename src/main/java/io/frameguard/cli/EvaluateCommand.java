package io.frameguard.cli;

import io.frameguard.data.LabelledRasters;
import io.frameguard.data.RasterFolder;
import io.frameguard.evaluation.InspectionEvaluation;
import io.frameguard.evaluation.InspectionReport;
import io.frameguard.model.inspection.InspectionBundle;

import io.frameguard.Json;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.EvaluationResult.Timings;
import io.frameguard.evaluation.Evaluator;
import io.frameguard.evaluation.HtmlReport;
import io.frameguard.evaluation.LabelledScores;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score a dataset's test split with a bundle: AUROC, AUPRC, F1-max, accuracies at the threshold,"
                + " per-label breakdown. The threshold comes from the bundle's held-out normal scores, never the test set.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "Model bundle file.")
    Path model;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME|DIR",
            description = "mnist, fashion-mnist or an image folder (default: ${DEFAULT-VALUE}); its test split is scored.")
    String dataset;

    @Mixin
    LabelOptions labels;

    @Mixin
    ThresholdOptions threshold;

    @Option(names = "--batch-size", defaultValue = "256", description = "Scoring batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write an HTML report with charts into DIR.")
    Path report;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (InspectionBundle.isInspectionBundle(model)) {
            return evaluateInspection(w);
        }
        ModelBundle bundle = ModelBundle.load(model);
        ImageSet test = data.datasets().load(dataset, Split.TEST);
        List<String> normal = labels.normalLabels(test);
        ThresholdStrategy strategy = threshold.strategy();
        Scorer scorer = new Scorer(bundle);
        long t0 = System.nanoTime();
        double[] scores = scorer.scoreAll(test, batchSize);
        double perSecond = test.size() / ((System.nanoTime() - t0) / 1e9);
        LabelledScores scored = LabelledScores.of(test.labels(), scores, normal);
        double t = strategy.threshold(bundle.metadata().calibration().scores());
        EvaluationResult result = Evaluator.evaluate(bundle.modelId(), dataset + "/test", normal, scored,
                strategy.name(), t, new Timings(bundle.metadata().training().trainSeconds(), perSecond));
        EvaluationPrinter.print(w, result);
        if (json != null) {
            Json.write(result, json);
            w.println("wrote " + json);
        }
        if (report != null) {
            w.println("wrote " + HtmlReport.write(report, "evaluate " + bundle.modelId(), result, scored, test, scorer));
        }
        w.flush();
        return 0;
    }

    /** An inspection bundle on a folder of frames of any size; pixel AUROC where ground_truth/ masks exist. */
    private int evaluateInspection(PrintWriter w) {
        InspectionBundle bundle = InspectionBundle.load(model);
        java.nio.file.Path dir = RasterFolder.split(dataset, "test");
        LabelledRasters test = RasterFolder.read(dir);
        List<String> normal = labels.normalLabels(new java.util.TreeSet<>(test.labels()), dir.toString());
        InspectionEvaluation e = InspectionEvaluation.of(bundle, test, normal, dataset + "/test",
                threshold.strategy(), bundle.metadata().trainSeconds());
        EvaluationPrinter.print(w, e.result());
        StringBuilder kinds = new StringBuilder();
        e.perKind().forEach((k, v) -> kinds.append(String.format(java.util.Locale.ROOT, "%s %.4f  ", k, v)));
        w.printf("image AUROC per label: %s%n", kinds.toString().trim());
        if (!Double.isNaN(e.pixelAuroc())) {
            w.printf("pixel AUROC %.4f (ground_truth masks)%n", e.pixelAuroc());
        }
        if (json != null) {
            Json.write(e.result(), json);
            w.println("wrote " + json);
        }
        if (report != null) {
            w.println("wrote " + InspectionReport.write(report, "evaluate " + bundle.metadata().modelId(), e, test));
        }
        w.flush();
        return 0;
    }
}
