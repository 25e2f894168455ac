package io.frameguard.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.Architectures;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.Preprocessing;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The dense families' gradient computed directly is DL4J's gradient. */
class DenseGradientTest {
    private final ImageSet digits = TestData.mnist(Split.TRAIN).head(300);
    private final Preprocessing prep = Preprocessing.unitScale(28, 28);

    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"DENSE", "SHALLOW"})
    void shouldComputeDl4jsGradientAndScore(ModelFamily family) {
        MultiLayerNetwork dl4j = Architectures.build(ModelSpec.defaults(family));
        MultiLayerNetwork direct = Architectures.build(ModelSpec.defaults(family));
        // a few steps first, so that the comparison is not at the initial weights only (biases 0)
        INDArray warm = prep.toInput(digits.pixels(), 0, 100);
        for (int i = 0; i < 3; i++) {
            dl4j.fit(new DataSet(warm, warm));
        }
        direct.setParams(dl4j.params().dup());
        DenseGradient gradient = DenseGradient.of(direct);
        assertThat(gradient).isNotNull();

        for (int[] batch : new int[][] {{100, 128}, {228, 72}}) { // two sizes: the buffers are reallocated
            INDArray x = prep.toInput(digits.pixels(), batch[0], batch[1]);
            dl4j.setInput(x);
            dl4j.setLabels(x);
            dl4j.computeGradientAndScore();
            double score = gradient.compute(x, x);

            assertThat(score).as("score").isCloseTo(dl4j.score(), offset(1e-6 * dl4j.score()));
            INDArray expected = dl4j.getFlattenedGradients();
            double largest = expected.amaxNumber().doubleValue();
            assertThat(largest).as("a gradient to compare").isGreaterThan(1e-4);
            assertThat(expected.sub(direct.getFlattenedGradients()).amaxNumber().doubleValue())
                    .as("largest difference from DL4J's gradient, of " + largest).isLessThan(1e-5 * largest);
        }
    }

    @Test
    void shouldLeaveOtherNetworksToDl4j() {
        assertThat(DenseGradient.of(Architectures.build(ModelSpec.defaults(ModelFamily.CONV)))).isNull();
        assertThat(DenseGradient.of(Architectures.build(ModelSpec.defaults(ModelFamily.VAE)))).isNull();
        MultiLayerConfiguration conf = Architectures.configuration(ModelSpec.defaults(ModelFamily.DENSE));
        ((BaseLayer) conf.getConf(1).getLayer()).setIDropout(new Dropout(0.9));
        MultiLayerNetwork withDropout = new MultiLayerNetwork(conf);
        withDropout.init();
        assertThat(DenseGradient.of(withDropout)).isNull();
    }
}
