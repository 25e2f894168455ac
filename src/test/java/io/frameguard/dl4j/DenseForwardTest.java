package io.frameguard.dl4j;

import io.frameguard.model.ModelSpec;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.Preprocessing;
import io.frameguard.model.ScoreFunction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.training.Versions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The dense families' own forward pass against DL4J's, and the error maps the scorer builds on it. */
class DenseForwardTest {
    private final ImageSet test = TestData.mnist(Split.TEST).head(48);

    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"DENSE", "SHALLOW"})
    void shouldComputeWhatTheNetworkOutputsForEveryBatchSize(ModelFamily family) {
        ModelBundle bundle = ModelBundle.untrained(ModelSpec.defaults(family), Versions.current());
        assertSameOutputs(bundle);
    }

    @Test
    void shouldComputeWhatTheTrainedFixtureOutputs() {
        assertSameOutputs(ModelBundle.load(TestData.FIXTURE_BUNDLE));
    }

    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"CONV", "DENOISING", "SUPERRES", "VAE"})
    void shouldLeaveOtherFamiliesToDl4j(ModelFamily family) {
        ModelBundle bundle = ModelBundle.untrained(ModelSpec.defaults(family), Versions.current());
        assertThat(DenseForward.of(bundle.network())).isNull();
    }

    /** Error maps are |input − reconstruction| image by image, and the (mse) scores are their mean squares. */
    @Test
    void shouldGiveErrorMapsWhoseMeansAreTheScores() {
        ModelBundle fixture = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        assertThat(fixture.metadata().scoreFunction()).isEqualTo(ScoreFunction.MSE);
        Preprocessing prep = fixture.metadata().preprocessing();
        INDArray input = prep.toInput(test.pixels(), 0, test.size());
        float[][] x = input.toFloatMatrix();
        Scorer scorer = new Scorer(fixture);
        float[][] reconstruction = scorer.reconstruct(input).toFloatMatrix();
        Scorer.Scores scores = scorer.score(input, true);
        assertThat(scorer.score(input)).containsExactly(scores.scores());
        for (int i = 0; i < test.size(); i++) {
            float[] map = scores.errorMap(i);
            double sum = 0;
            for (int p = 0; p < map.length; p++) {
                assertThat(map[p]).isCloseTo(Math.abs(x[i][p] - reconstruction[i][p]), within(1e-6f));
                sum += map[p] * (double) map[p];
            }
            assertThat(scores.scores()[i]).as("image %d", i).isCloseTo(sum / map.length, within(1e-7));
        }
    }

    private void assertSameOutputs(ModelBundle bundle) {
        DenseForward forward = DenseForward.of(bundle.network());
        assertThat(forward).isNotNull();
        Preprocessing prep = bundle.metadata().preprocessing();
        // a full batch, a smaller one (new activation matrices), then the full size again
        for (int n : new int[] {48, 7, 48}) {
            INDArray input = prep.toInput(test.pixels(), 0, n);
            float[][] expected = bundle.network().output(input, false).toFloatMatrix();
            float[][] actual = forward.output(input).toFloatMatrix();
            assertThat(actual.length).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < expected[i].length; p++) {
                    assertThat(actual[i][p]).as("image %d pixel %d", i, p).isCloseTo(expected[i][p], within(1e-5f));
                }
            }
        }
    }
}
