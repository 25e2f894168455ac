package io.frameguard.training;

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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Splitting a minibatch's gradient across workers takes the same steps as fitting it on one thread. */
class DataParallelFitTest {
    private final ImageSet digits = TestData.mnist(Split.TRAIN).head(600);
    private final Preprocessing prep = Preprocessing.unitScale(28, 28);

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void shouldTakeTheSameStepsAsASingleThreadedFit(int workers) {
        MultiLayerNetwork single = Architectures.build(ModelSpec.defaults(ModelFamily.DENSE));
        single.addListeners(new SubnormalGuard()); // as Trainer does
        MultiLayerNetwork split = Architectures.build(ModelSpec.defaults(ModelFamily.DENSE));
        split.setParams(single.params().dup());
        double singleLoss = 0;
        double splitLoss = 0;
        try (DataParallelFit parallel = new DataParallelFit(split, workers)) {
            for (int start = 0; start < digits.size(); start += 100) {
                // 100 rows: parts of unequal size when split in 3
                INDArray x = prep.toInput(digits.pixels(), start, 100);
                single.fit(new DataSet(x, x));
                singleLoss = single.score();
                splitLoss = parallel.fit(x, x);
            }
        }
        assertThat(single.params().sub(split.params()).amaxNumber().doubleValue())
                .as("largest parameter difference after 6 Adam steps").isLessThan(1e-5);
        assertThat(splitLoss).isCloseTo(singleLoss, offset(1e-5));
        assertThat(single.params().sub(Architectures.build(ModelSpec.defaults(ModelFamily.DENSE)).params())
                .amaxNumber().doubleValue()).as("the parameters moved").isGreaterThan(1e-3);
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
