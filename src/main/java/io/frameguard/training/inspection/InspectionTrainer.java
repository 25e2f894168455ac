package io.frameguard.training.inspection;

import io.frameguard.data.Raster;
import io.frameguard.model.inspection.InspectionNetwork;
import io.frameguard.model.inspection.RasterTensors;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.training.Versions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * Trains an {@link InspectionNetwork} from a few large normal images: every step draws random
 * square crops (flipped or turned), blends a synthetic anomaly ({@link AnomalySynthesis}) into half
 * of them, and fits the reconstruction to the clean crop and the segmentation to the anomaly mask.
 */
public final class InspectionTrainer {

    /**
     * @param tile crop side in pixels, a multiple of {@link InspectionNetwork#ALIGN}
     * @param width the network's map count
     * @param steps gradient steps
     * @param batch crops per step
     * @param validateEvery every so many steps, the network so far is judged on the validation set
     *     ({@link InspectionTraining}); 0: only once trained
     */
    public record Options(int tile, int width, int steps, int batch, double learningRate, long seed, int validateEvery) {
        public Options {
            if (validateEvery < 0) {
                throw new IllegalArgumentException("validateEvery must be 0 or more, got " + validateEvery);
            }
        }

        /** Options judged on validation only once trained. */
        public Options(int tile, int width, int steps, int batch, double learningRate, long seed) {
            this(tile, width, steps, batch, learningRate, seed, 0);
        }

        public Options withValidateEvery(int steps) {
            return new Options(tile, width, this.steps, batch, learningRate, seed, steps);
        }

        public static Options defaults() {
            return new Options(64, DEFAULT_WIDTH, 3000, 16, 2e-3, 42L);
        }

        /** A few hundred small steps: for tests, not for a line. */
        public static Options quick() {
            return new Options(64, 8, 300, 8, 2e-3, 42L);
        }
    }

    /** The network's map count unless told otherwise ({@code train --channels}). */
    public static final int DEFAULT_WIDTH = 24;

    /** The trained network and how many crops it saw. */
    public record Result(ComputationGraph network, int patches, double seconds, double lastLoss) {
    }

    /**
     * A bundle of a trained network, before calibration (smoothing 1, no calibration scores): the
     * caller chooses the smoothing and calibrates on held-out normal images.
     */
    public static InspectionBundle bundle(Result r, Options o, int channels, String dataset, int trainImages) {
        String id = "draem-" + dataset + "-" + Integer.toHexString(Arrays.hashCode(r.network().params().toFloatVector()));
        return new InspectionBundle(r.network(), new InspectionBundle.Metadata(InspectionBundle.KIND,
                InspectionBundle.FORMAT_VERSION, id, "draem", o.tile(), channels, o.width(), 1, null, dataset, trainImages,
                r.patches(), o.steps(), o.seed(), r.seconds(), Versions.current(), Instant.now().toString()));
    }

    /** Called with the network during training, every {@link Options#validateEvery} steps. */
    @FunctionalInterface
    public interface Checkpoint {
        void at(int step, ComputationGraph network);
    }

    public static Result train(List<Raster> normals, int channels, Options o, PrintWriter log) {
        return train(normals, channels, o, log, null);
    }

    /** Trains, and hands the network to {@code checkpoint} (when not null) every {@code o.validateEvery()} steps before the last. */
    public static Result train(List<Raster> normals, int channels, Options o, PrintWriter log, Checkpoint checkpoint) {
        for (Raster r : normals) {
            if (r.width() < o.tile() || r.height() < o.tile()) {
                throw new IllegalArgumentException("training image of " + r.width() + "x" + r.height()
                        + " is smaller than the tile " + o.tile() + "x" + o.tile());
            }
        }
        List<Raster> images = normals.stream().map(r -> r.withChannels(channels)).toList();
        ComputationGraph net = InspectionNetwork.build(channels, o.width(), o.tile(), o.learningRate(), o.seed());
        AnomalySynthesis synthesis = new AnomalySynthesis(images);
        Random random = new Random(o.seed());
        long start = System.nanoTime();
        double loss = Double.NaN;
        for (int step = 1; step <= o.steps(); step++) {
            List<Raster> inputs = new ArrayList<>(o.batch());
            List<Raster> clean = new ArrayList<>(o.batch());
            List<Raster> masks = new ArrayList<>(o.batch());
            for (int b = 0; b < o.batch(); b++) {
                Raster src = images.get(random.nextInt(images.size()));
                Raster crop = Augment.random(src.crop(random.nextInt(src.width() - o.tile() + 1),
                        random.nextInt(src.height() - o.tile() + 1), o.tile(), o.tile()), random);
                clean.add(crop);
                if (b % 2 == 0) {
                    AnomalySynthesis.Sample s = synthesis.apply(crop, random);
                    inputs.add(s.image());
                    masks.add(s.mask());
                } else {
                    inputs.add(crop);
                    masks.add(Raster.blank(o.tile(), o.tile(), 1));
                }
            }
            INDArray x = RasterTensors.batch(inputs);
            MultiDataSet data = new MultiDataSet(new INDArray[] {x},
                    new INDArray[] {RasterTensors.batch(clean), RasterTensors.twoClass(masks)});
            net.fit(data);
            if (step % 250 == 0 || step == o.steps()) {
                loss = net.score();
                if (log != null) {
                    log.printf("step %,d/%,d  loss %.4f  (%.0f s)%n", step, o.steps(), loss, (System.nanoTime() - start) / 1e9);
                    log.flush();
                }
            }
            if (checkpoint != null && o.validateEvery() > 0 && step % o.validateEvery() == 0 && step < o.steps()) {
                checkpoint.at(step, net);
            }
        }
        return new Result(net, o.steps() * o.batch(), (System.nanoTime() - start) / 1e9, loss);
    }
}
