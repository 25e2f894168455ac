package io.frameguard.dl4j;

import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.frameguard.FrameGuardException;
import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.Architectures;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.Preprocessing;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.regularization.L2Regularization;

/** Splitting a minibatch's gradient across workers takes the same steps as fitting it on one thread. */
class DataParallelFitTest {
    private final ImageSet digits = TestData.mnist(Split.TRAIN).head(600);
    private final Preprocessing prep = Preprocessing.unitScale(28, 28);

    /** The dense family's update is plain Adam: each thread updates its own slice of the parameters. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void shouldTakeTheSameStepsAsASingleThreadedFit(int workers) {
        assertThat(DataParallelFit.slicedAdam(Architectures.build(ModelSpec.defaults(ModelFamily.DENSE)))).isTrue();
        assertSameSteps(() -> Architectures.build(ModelSpec.defaults(ModelFamily.DENSE)), workers);
    }

    /** With regularization the update is not Adam alone; it goes through the network's updater, still the same steps. */
    @Test
    void shouldTakeTheSameStepsThroughTheNetworksUpdaterWhenRegularized() {
        Supplier<MultiLayerNetwork> regularized = () -> {
            MultiLayerConfiguration conf = Architectures.configuration(ModelSpec.defaults(ModelFamily.DENSE));
            conf.getConfs().forEach(c -> ((BaseLayer) c.getLayer()).setRegularization(List.of(new L2Regularization(1e-3))));
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            return net;
        };
        assertThat(DataParallelFit.slicedAdam(regularized.get())).isFalse();
        assertSameSteps(regularized, 2);
    }

    private void assertSameSteps(Supplier<MultiLayerNetwork> build, int workers) {
        MultiLayerNetwork single = build.get();
        single.addListeners(new SubnormalGuard()); // as Trainer does
        MultiLayerNetwork split = build.get();
        split.setParams(single.params().dup());
        INDArray initial = single.params().dup();
        double singleLoss = 0;
        double splitLoss = 0;
        try (DataParallelFit parallel = new DataParallelFit(split, workers)) {
            // 100 rows: parts of unequal size when split in 3; then 2 rows, fewer than 3 workers
            for (int[] batch : new int[][] {{0, 100}, {100, 100}, {200, 100}, {300, 100}, {400, 100}, {500, 98}, {598, 2}}) {
                INDArray x = prep.toInput(digits.pixels(), batch[0], batch[1]);
                single.fit(new DataSet(x, x));
                singleLoss = single.score();
                splitLoss = parallel.fit(x, x);
                assertThat(splitLoss).as("loss of the minibatch at " + batch[0]).isCloseTo(singleLoss, offset(1e-5));
            }
        }
        assertThat(single.params().sub(split.params()).amaxNumber().doubleValue())
                .as("largest parameter difference after 7 Adam steps").isLessThan(1e-5);
        assertThat(single.params().sub(initial).amaxNumber().doubleValue()).as("the parameters moved").isGreaterThan(1e-3);
        assertThat(single.getUpdater().getStateViewArray().sub(split.getUpdater().getStateViewArray())
                .amaxNumber().doubleValue()).as("largest difference in Adam's state").isLessThan(1e-5);
    }

    @Test
    void shouldRefuseWorkersForFamiliesWithBatchStatistics() {
        assertThat(TrainingOptions.dataParallel(ModelFamily.DENSE)).isTrue();
        assertThat(TrainingOptions.dataParallel(ModelFamily.CONV)).isFalse();
        Trainer trainer = new Trainer(new PrintWriter(new StringWriter()));
        TrainingOptions twoWorkers = new TrainingOptions(1, 64, 0.1, 1, false, 2);
        assertThatThrownBy(() -> trainer.train(ModelSpec.defaults(ModelFamily.CONV), twoWorkers, digits, "mnist", List.of("all")))
                .isInstanceOf(FrameGuardException.class).hasMessageContaining("one worker");
    }
}
