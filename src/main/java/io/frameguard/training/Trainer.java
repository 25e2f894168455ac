package io.frameguard.training;

import io.frameguard.FrameGuardException;
import io.frameguard.data.ImageSet;
import io.frameguard.dl4j.BlockLayout;
import io.frameguard.dl4j.DataParallelFit;
import io.frameguard.dl4j.Dl4jMode;
import io.frameguard.dl4j.SubnormalGuard;
import io.frameguard.model.Architectures;
import io.frameguard.model.BundleMetadata;
import io.frameguard.model.Calibration;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.Preprocessing;
import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains an autoencoder on normal images only. A seeded split of those images is held out: its
 * mean score picks the best epoch (early stopping) and its scores become the bundle's calibration.
 */
public final class Trainer {
    private final PrintWriter out;

    public Trainer(PrintWriter out) {
        this.out = out;
    }

    /** Trains and scores the family's default way ({@link ModelFamily#defaultScore}). */
    public ModelBundle train(ModelSpec spec, TrainingOptions options, ImageSet normal, String datasetName,
                             List<String> normalLabels) {
        return train(spec, spec.family().defaultScore(), options, normal, datasetName, normalLabels);
    }

    /**
     * Trains {@code spec} and calibrates {@code score} on the held-out normal images. Early stopping
     * always watches the family's default score; a score that needs the training
     * images' codes ({@link ScoreFunction#needsReferenceCodes}) gets them from the kept weights.
     */
    public ModelBundle train(ModelSpec spec, ScoreFunction score, TrainingOptions options, ImageSet normal,
                             String datasetName, List<String> normalLabels) {
        if (!score.appliesTo(spec.family())) {
            throw new FrameGuardException("score function " + score + " does not apply to " + spec.family()
                    + " models; use one of " + Arrays.stream(ScoreFunction.values()).filter(f -> f.appliesTo(spec.family()))
                    .map(ScoreFunction::cliName).toList());
        }
        if (options.workers() > 1 && !TrainingOptions.dataParallel(spec.family())) {
            throw new FrameGuardException(spec.family() + " models train on one worker (batch normalization or "
                    + "layer-wise pretraining); more workers are for dense and shallow");
        }
        if (normal.width() != spec.width() || normal.height() != spec.height()) {
            throw new FrameGuardException(normal.name() + " has " + normal.width() + "x" + normal.height()
                    + " images, the model is built for " + spec.width() + "x" + spec.height());
        }
        int nVal = (int) Math.round(normal.size() * options.validationFraction());
        if (normal.size() < 2 || nVal < 1 || nVal >= normal.size()) {
            throw new FrameGuardException("too few normal images to train on: " + normal.size());
        }
        Random random = new Random(spec.seed());
        int[] order = shuffled(normal.size(), random);
        ImageSet validation = normal.subset(Arrays.copyOfRange(order, 0, nVal));
        ImageSet train = normal.subset(Arrays.copyOfRange(order, nVal, order.length));
        Nd4j.getRandom().setSeed(spec.seed());

        ModelBundle untrained = ModelBundle.untrained(spec, Versions.current());
        MultiLayerNetwork net = untrained.network();
        net.addListeners(new SubnormalGuard()); // DataParallelFit has its own
        Preprocessing prep = untrained.metadata().preprocessing();
        if (spec.family().hourglass()) {
            Architectures.startAtMeanPixel(net, prep.toInput(train.pixels(), 0, Math.min(train.size(), 1000)).meanNumber()
                    .doubleValue());
        }
        Scorer scorer = Scorer.tracking(untrained); // scores the validation set as the weights change

        long t0 = System.nanoTime();
        INDArray bestParams = null;
        double bestVal = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        boolean plain = Dl4jMode.plain();
        if (plain && options.workers() > 1) {
            out.printf("plain DL4J (%s): net.fit on one thread, not %d workers%n", Dl4jMode.PROPERTY, options.workers());
        }
        try (DataParallelFit parallel = options.workers() > 1 && !plain ? new DataParallelFit(net, options.workers()) : null) {
            while (epoch < options.epochs() && epoch - bestEpoch < options.patience()) {
                epoch++;
                long e0 = System.nanoTime();
                double loss = runEpoch(net, parallel, spec, prep, train, options, random, epoch);
                double seconds = (System.nanoTime() - e0) / 1e9;
                double val = mean(scorer.scoreAll(validation, 1024));
                boolean improved = val < bestVal;
                if (improved) {
                    bestVal = val;
                    bestEpoch = epoch;
                    bestParams = net.params().dup();
                }
                out.printf("epoch %2d/%d  %,d images in %.1f s (%,.0f img/s, %.1f s per 60,000)  train loss %.5f"
                                + "  validation score %.5f%s%n", epoch, options.epochs(), train.size(), seconds,
                        train.size() / seconds, 60_000 * seconds / train.size(), loss, val, improved ? "  *" : "");
                out.flush();
            }
        }
        net.setParams(bestParams);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        INDArray codes = score.needsReferenceCodes() ? scorer.encodeAll(train, 1024) : null;

        BundleMetadata.Training provenance = new BundleMetadata.Training(datasetName, normalLabels, train.size(),
                validation.size(), TrainingData.sha256(normal), epoch, bestEpoch, options.batchSize(), trainSeconds);
        String id = spec.family().cliName() + "-" + datasetName.replaceAll("[^A-Za-z0-9]+", "_") + "-"
                + String.join("", normalLabels).replaceAll("[^A-Za-z0-9]+", "") + "-"
                + Integer.toHexString(Arrays.hashCode(net.params().toFloatVector())).replace("-", "");
        ModelBundle uncalibrated = new ModelBundle(net, metadata(id, spec, prep, score, null, provenance), codes);
        Calibration calibration = Calibration.of(new Scorer(uncalibrated).scoreAll(validation, 1024));
        out.printf("kept epoch %d; %s calibration on %,d held-out normal images: mean %.5f, std %.5f, max %.5f%n",
                bestEpoch, score, calibration.count(), calibration.mean(), calibration.std(), calibration.max());
        out.flush();
        return new ModelBundle(net, metadata(id, spec, prep, score, calibration, provenance), codes);
    }

    private static BundleMetadata metadata(String id, ModelSpec spec, Preprocessing prep, ScoreFunction score,
                                           Calibration calibration, BundleMetadata.Training provenance) {
        return new BundleMetadata(ModelBundle.FORMAT_VERSION, id, spec, prep, score, calibration, provenance,
                Versions.current(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private double runEpoch(MultiLayerNetwork net, DataParallelFit parallel, ModelSpec spec, Preprocessing prep,
                            ImageSet train, TrainingOptions options, Random random, int epoch) {
        int[] order = shuffled(train.size(), random);
        ImageSet epochData = train.subset(order);
        int batches = (train.size() + options.batchSize() - 1) / options.batchSize();
        double lossSum = 0;
        try (ProgressBar bar = progressBar(options, "epoch " + epoch, batches)) {
            for (int b = 0; b < batches; b++) {
                int start = b * options.batchSize();
                int n = Math.min(options.batchSize(), train.size() - start);
                INDArray x = prep.toInput(epochData.pixels(), start, n);
                lossSum += parallel != null ? parallel.fit(x, x) : fitBatch(net, spec, x);
                if (bar != null) {
                    bar.step();
                    bar.setExtraMessage(String.format(" loss %.5f", lossSum / (b + 1)));
                }
            }
        }
        return lossSum / batches;
    }

    private static double fitBatch(MultiLayerNetwork net, ModelSpec spec, INDArray x) {
        ModelFamily family = spec.family();
        if (family == ModelFamily.VAE) {
            net.pretrainLayer(0, x);
            return net.getLayer(0).score();
        }
        INDArray features = x;
        if (family == ModelFamily.DENOISING) {
            features = x.add(Nd4j.randn(x.dataType(), x.shape()).muli(spec.noiseStd()));
        }
        INDArray labels = family.hourglass() ? BlockLayout.toBlocks(x, spec.height(), spec.width())
                : family.convolutional() ? x.reshape(x.size(0), 1, spec.height(), spec.width()) : x;
        net.fit(new DataSet(features, labels));
        return net.score();
    }

    private static ProgressBar progressBar(TrainingOptions options, String task, int steps) {
        if (!options.showProgress() || System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).continuousUpdate().build();
    }

    private static int[] shuffled(int n, Random random) {
        int[] a = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
