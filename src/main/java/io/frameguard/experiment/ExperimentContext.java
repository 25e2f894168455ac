package io.frameguard.experiment;

import io.frameguard.data.Datasets;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.EvaluationResult.Timings;
import io.frameguard.evaluation.Evaluator;
import io.frameguard.evaluation.HtmlReport;
import io.frameguard.evaluation.LabelledScores;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer;
import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * What experiments share: datasets, where to write bundles and reports, the quick switch, and the
 * one train-then-evaluate step every experiment is made of.
 *
 * @param datasets dataset loader
 * @param outDir bundles and reports go below it, one folder per experiment
 * @param quick small variant for tests
 * @param families families to run in experiments that compare several; empty: the experiment's own list
 * @param score score function for every run instead of the experiment's own choice, or null
 * @param inspectionWidth the inspection network's width (maps) in texture, or null for its default
 * @param inspectionSteps the inspection network's gradient steps in texture, or null for its default
 * @param inspectionValidateEvery in texture, judge the inspection network on validation every so many steps (0: once trained)
 * @param out progress and tables
 */
public record ExperimentContext(Datasets datasets, Path outDir, boolean quick,
                                List<ModelFamily> families, ScoreFunction score, Integer inspectionWidth, Integer inspectionSteps,
                                int inspectionValidateEvery, PrintWriter out) {

    /** The experiment's own families, or those chosen with {@code --families}. */
    public List<ModelFamily> familiesOr(List<ModelFamily> defaults) {
        return families.isEmpty() ? defaults : families;
    }

    public ImageSet mnist(Split split) {
        return datasets.load("mnist", split);
    }

    public ImageSet fashion(Split split) {
        return datasets.load("fashion-mnist", split);
    }

    /**
     * Epochs for a family: full runs train to early stopping within the family's budget
     * ({@link TrainingOptions#defaultEpochs}; the VAE 10, as leave-one-digit-out trains ten), quick
     * runs a couple of epochs.
     */
    public TrainingOptions options(ModelSpec spec) {
        ModelFamily family = spec.family();
        int full = family == ModelFamily.VAE ? 10 : TrainingOptions.defaultEpochs(family);
        int epochs = quick ? 2 : full;
        return new TrainingOptions(epochs, TrainingOptions.defaultBatchSize(family), 0.1, quick ? 2 : 4, false);
    }

    /** A trained model and its evaluation on one test set. */
    public record Run(ModelBundle bundle, Scorer scorer, LabelledScores scored, EvaluationResult result) {
    }

    /** {@link #trainAndEvaluate(String, String, ModelSpec, ScoreFunction, ImageSet, List, ImageSet, String, ThresholdStrategy)} with the family's default score. */
    public Run trainAndEvaluate(String experiment, String runName, ModelSpec spec, ImageSet normalTrain,
                                List<String> normalLabels, ImageSet test, String testName,
                                ThresholdStrategy strategy) {
        return trainAndEvaluate(experiment, runName, spec, spec.family().defaultScore(), normalTrain, normalLabels,
                test, testName, strategy);
    }

    /**
     * Trains {@code spec} on {@code normalTrain}, scores {@code test} with {@code score} (or the
     * context's {@link #score} when set), thresholds with {@code strategy} on the bundle's held-out
     * calibration scores, and writes the bundle and an HTML report into {@code outDir/experiment/runName}.
     */
    public Run trainAndEvaluate(String experiment, String runName, ModelSpec spec, ScoreFunction score,
                                ImageSet normalTrain, List<String> normalLabels, ImageSet test, String testName,
                                ThresholdStrategy strategy) {
        ScoreFunction chosen = this.score != null ? this.score : score;
        out.printf("%n== %s / %s: train %s on %,d images of %s, score %s ==%n", experiment, runName, spec.family(),
                normalTrain.size(), normalLabels, chosen);
        out.flush();
        ModelBundle bundle = new Trainer(out).train(spec, chosen, options(spec), normalTrain, "mnist", normalLabels);
        Path dir = outDir.resolve(experiment).resolve(runName);
        bundle.save(dir.resolve("model.bundle"));
        Scorer scorer = new Scorer(bundle);
        long t0 = System.nanoTime();
        double[] scores = scorer.scoreAll(test, 256);
        double perSecond = test.size() / ((System.nanoTime() - t0) / 1e9);
        LabelledScores scored = LabelledScores.of(test.labels(), scores, normalLabels);
        double threshold = strategy.threshold(bundle.metadata().calibration().scores());
        EvaluationResult result = Evaluator.evaluate(bundle.modelId(), testName, normalLabels, scored,
                strategy.name(), threshold, new Timings(bundle.metadata().training().trainSeconds(), perSecond))
                .withExperiment(experiment);
        HtmlReport.write(dir.resolve("report"), experiment + " / " + runName, result, scored, test, scorer);
        out.printf("%s / %s: AUROC %.4f  normal accuracy %.4f  anomaly accuracy %.4f  (%s threshold %.5f)  report %s%n",
                experiment, runName, result.auroc(), result.normalAccuracy(), result.anomalyAccuracy(),
                strategy.name(), threshold, dir.resolve("report/index.html"));
        out.flush();
        return new Run(bundle, scorer, scored, result);
    }
}
