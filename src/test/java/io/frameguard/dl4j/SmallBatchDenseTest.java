package io.frameguard.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.BundleMetadata;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer;
import io.frameguard.training.Versions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batches of up to {@link SmallBatchDense#MAX_BATCH} images are scored in plain Java: the same
 * scores and error maps as the batched ND4J path, for every score function of the dense families.
 */
class SmallBatchDenseTest {
    private final ImageSet test = TestData.mnist(Split.TEST).head(24);

    @ParameterizedTest
    @EnumSource(value = ScoreFunction.class, names = {"MSE", "MAE", "LOG_MSE", "MSE_PER_INK"})
    void shouldScoreSmallBatchesAsTheBatchedPathDoes(ScoreFunction function) {
        ModelBundle trained = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        BundleMetadata m = trained.metadata();
        ModelBundle bundle = new ModelBundle(trained.network(), new BundleMetadata(m.formatVersion(), m.modelId(), m.spec(),
                m.preprocessing(), function, m.calibration(), m.training(), m.versions(), m.createdAt()));
        assertSameScores(bundle);
    }

    @Test
    void shouldScoreAnUntrainedShallowNetworkAsTheBatchedPathDoes() {
        assertSameScores(ModelBundle.untrained(ModelSpec.defaults(ModelFamily.SHALLOW), Versions.current()));
    }

    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"CONV", "DENOISING", "SUPERRES", "VAE"})
    void shouldLeaveOtherFamiliesToDl4j(ModelFamily family) {
        assertThat(SmallBatchDense.of(ModelBundle.untrained(ModelSpec.defaults(family), Versions.current()).network())).isNull();
    }

    private void assertSameScores(ModelBundle bundle) {
        assertThat(SmallBatchDense.of(bundle.network())).isNotNull();
        Scorer scorer = new Scorer(bundle);
        assertThat(scorer.usesSmallBatches()).isTrue();
        assertThat(Scorer.tracking(bundle).usesSmallBatches()).as("a network in training is never copied").isFalse();
        // all 24 at once take the ND4J path; up to MAX_BATCH at a time the Java one
        Scorer.Scores batched = scorer.score(test.pixels(), 0, test.size(), true);
        for (int size : new int[] {1, 2, 4, SmallBatchDense.MAX_BATCH}) {
            for (int first = 0; first + size <= test.size(); first += size) {
                Scorer.Scores small = scorer.score(test.pixels(), first, size, true);
                for (int i = 0; i < size; i++) {
                    double expected = batched.scores()[first + i];
                    assertThat(small.scores()[i]).as("image %d in batches of %d", first + i, size)
                            .isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
                    float[] map = small.errorMap(i);
                    float[] want = batched.errorMap(first + i);
                    for (int p = 0; p < map.length; p++) {
                        assertThat(map[p]).isCloseTo(want[p], within(1e-5f));
                    }
                }
            }
        }
    }
}
