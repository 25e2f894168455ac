package io.frameguard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import io.frameguard.model.Scorer.Scores;
import io.frameguard.training.Versions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A batch cut into parts scored side by side gives what one forward pass over it gives. */
class BundleBatchScorerTest {
    private final ImageSet test = TestData.mnist(Split.TEST).head(300);

    @Test
    void shouldScoreABatchInPartsExactlyAsInOnePass() {
        ModelBundle bundle = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        try (BundleBatchScorer one = new BundleBatchScorer(bundle, 1);
             BundleBatchScorer three = new BundleBatchScorer(bundle, 3)) {
            // 300 frames: three parts of 100; 70: two parts of 35; 40: one pass (parts under 32 frames)
            for (int n : new int[] {300, 70, 40}) {
                byte[] px = Arrays.copyOf(test.pixels(), n * 784);
                Scores whole = one.score(px, n, true);
                Scores parts = three.score(px, n, true);
                assertThat(parts.scores()).as("%d frames", n).containsExactly(whole.scores());
                assertThat(parts.errorMaps()).as("%d frames", n).containsExactly(whole.errorMaps());
                assertThat(parts.errorMap(n - 1)).isEqualTo(whole.errorMap(n - 1));
            }
        }
    }

    @Test
    void shouldScoreOnTheCopyAnEndedThreadUsedRatherThanCloneTheNetworkForEachNewThread() throws Exception {
        ModelBundle bundle = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        byte[] px = Arrays.copyOf(test.pixels(), 8 * 784);
        try (BundleBatchScorer scorer = new BundleBatchScorer(bundle, 1)) {
            double[] expected = scorer.score(px, 8, false).scores();
            // as a warm-up's stream thread, then the line's, then a replacement after a crash: one after another
            for (int i = 0; i < 3; i++) {
                double[][] got = new double[1][];
                Thread t = new Thread(() -> got[0] = scorer.score(px, 8, false).scores(), "stream-thread-" + i);
                t.start();
                t.join();
                assertThat(got[0]).containsExactly(expected);
            }
            assertThat(scorer.networkCopies()).isEqualTo(1);
        }
    }

    @Test
    void shouldPassAHelperThreadsFailureToTheCaller() {
        ModelBundle bundle = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        try (BundleBatchScorer two = new BundleBatchScorer(bundle, 2)) {
            // 100 frames claimed, 90 given: the second part reads past the end of the pixels (an array
            // index in plain Java, a vector's bounds check on the Vector API)
            assertThatThrownBy(() -> two.score(new byte[90 * 784], 100, false))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void shouldScoreALatentKnnBatchInPartsWhenScoringWithTwoThreads() {
        ModelBundle knn = latentKnnBundle();
        int n = 100; // two parts of 50: the second is scored by a helper thread's copy of the bundle
        byte[] px = Arrays.copyOf(test.pixels(), n * 784);
        try (BundleBatchScorer one = new BundleBatchScorer(knn, 1);
             BundleBatchScorer two = new BundleBatchScorer(knn, 2)) {
            double[] whole = one.score(px, n, false).scores();
            double[] parts = two.score(px, n, false).scores();
            for (int i = 0; i < n; i++) {
                assertThat(parts[i]).as("frame %d", i).isCloseTo(whole[i], within(1e-6 * whole[i]));
            }
        }
    }

    /** An untrained VAE scored by distance to the codes of 300 training images: small, and enough to score. */
    private static ModelBundle latentKnnBundle() {
        ModelBundle vae = ModelBundle.untrained(ModelSpec.defaults(ModelFamily.VAE), Versions.current());
        ImageSet references = TestData.mnist(Split.TRAIN).head(300);
        var codes = new Scorer(vae).encode(vae.metadata().preprocessing().toInput(references.pixels(), 0, references.size()));
        BundleMetadata m = vae.metadata();
        return new ModelBundle(vae.network(), new BundleMetadata(m.formatVersion(), m.modelId(), m.spec(), m.preprocessing(),
                ScoreFunction.LATENT_KNN, m.calibration(), m.training(), m.versions(), m.createdAt()), codes);
    }
}
